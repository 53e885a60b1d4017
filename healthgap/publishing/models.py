"""Abstract models shared by every editable item: publication state and a version number.

Public code reads a publishable model only through ``public_objects``. ``private_objects``
(every row, drafts too) is for the workspace. There is no ``objects``: a draft cannot leak through
a manager nobody chose. Django still needs a default manager (the admin, related lookups,
``dumpdata``); ``private_objects`` is declared first so it is that default. It is safe because
public code never uses the default manager: ``tests/publishing/test_public_reads.py`` scans the
public modules (``healthgap.publishing.public_code``) and fails on any read through it.
"""

from django.conf import settings
from django.db import models


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PrivateManager(models.Manager):
    """Every row, whatever its state: for the workspace only."""


class PublicManager(models.Manager):
    """Published rows only: the one manager public pages and the API read."""

    def get_queryset(self):
        return super().get_queryset().filter(publication_state=PublicationState.PUBLISHED)


class Publishable(models.Model):
    """Draft, published or withdrawn, with who and when (and why, when withdrawn).

    Change the state only through ``healthgap.publishing.services.publish`` and ``withdraw``.
    """

    publication_state = models.CharField(
        max_length=10, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.TextField(blank=True, editable=False)

    # Declared first, so Django's default manager (see the module's docstring).
    private_objects = PrivateManager()
    public_objects = PublicManager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED


class Versioned(models.Model):
    """A version number raised by every save, so that a save from a stale form is refused
    (``healthgap.publishing.services.save_versioned``)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

"""Organisations and the profile that ties a user (Django's ``auth.User``) to one; roles are
Django groups named in ``healthgap.constants.Role``. Object rules are in ``permissions.py``."""

from django.conf import settings
from django.db import models


class Sector(models.TextChoices):
    COUNCIL = "council", "Council"
    ELECTED_MEMBER = "elected_member", "Elected member"
    ICB = "icb", "Integrated care board"
    NHS_PROVIDER = "nhs_provider", "NHS provider"
    GP_PRACTICE = "gp_practice", "GP practice"
    PUBLIC_HEALTH = "public_health", "Public health"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    VCS = "vcs", "Voluntary and community sector"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text="The Health and Wellbeing Board the organisation works for.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Made by the demo loader; `check --deploy` refuses these."
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation or 'no organisation'})"

"""The knowledge hub: JSNA chapters, needs assessments, evaluations, research and engagement
findings, each an uploaded file (its text extracted for search) or a link to an external page,
tagged by theme, ward, place, population group and priority and linked to indicators,
programmes and board meeting items.

Full-text search is in ``search.py``: on SQLite an FTS5 table holding a copy of the searched
columns, kept by the document services; on PostgreSQL a stored generated vector column with a
GIN index, kept by the database itself (see the migrations)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from healthgap.publishing.models import Publishable, Versioned


class DocumentType(models.TextChoices):
    JSNA_CHAPTER = "jsna_chapter", "JSNA chapter"
    NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
    EVALUATION = "evaluation", "Evaluation"
    RESEARCH = "research", "Research paper"
    ENGAGEMENT = "engagement", "Engagement or consultation findings"


class TagKind(models.TextChoices):
    THEME = "theme", "Theme"
    POPULATION_GROUP = "population_group", "Population group"
    PRIORITY = "priority", "Priority"


class Tag(models.Model):
    """A theme, population group or strategy priority a document is about."""

    kind = models.CharField(max_length=20, choices=TagKind.choices)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="tag_unique_name")]

    def __str__(self):
        return self.name


class Document(Publishable, Versioned):
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    authors = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    document_type = models.CharField("type", max_length=20, choices=DocumentType.choices)
    issued_on = models.DateField("date", null=True, blank=True)
    # The date's year, kept by the services: the year facet counts and filters it with an index.
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    review_on = models.DateField("review date", null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_documents",
    )
    file = models.FileField(upload_to="knowledge/%Y/", blank=True)
    file_type = models.CharField(max_length=10, blank=True, editable=False)
    external_url = models.URLField("link to an external page", max_length=500, blank=True)
    # The file's text, extracted once on upload: what search reads besides title and summary.
    text = models.TextField(blank=True, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents")
    wards = models.ManyToManyField("areas.Area", blank=True, related_name="documents")
    # Places and routes of the analysts' own; the public sees only the published ones.
    places = models.ManyToManyField("places.Place", blank=True, related_name="documents")
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="+")
    programmes = models.ManyToManyField("delivery.Programme", blank=True, related_name="documents")
    # Board agenda items it informed; their meetings' pages list it under the item.
    agenda_items = models.ManyToManyField(
        "board.AgendaItem", blank=True, related_name="documents", verbose_name="meeting items"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "title"]
        indexes = [
            models.Index(fields=["document_type"]),
            models.Index(fields=["review_on"]),
            models.Index(fields=["year"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:document", args=[self.pk])

    def agenda_items_in(self, meetings):
        """Its agenda items at ``meetings`` (``Meeting.public_objects`` for the public), newest
        meeting first, with their meetings and boards."""
        return (
            self.agenda_items.filter(meeting__in=meetings)
            .select_related("meeting__committee")
            .order_by("-meeting__starts_at", "number")
        )

    def tags_of(self, kind: str) -> list[Tag]:
        return [tag for tag in self.tags.all() if tag.kind == kind]


class EvaluationMethod(models.TextChoices):
    BEFORE_AFTER = "before_after", "Before and after"
    INTERRUPTED_TIME_SERIES = "its", "Interrupted time series"
    COMPARISON = "comparison", "Comparison with similar areas"
    QUALITATIVE = "qualitative", "Qualitative"
    MIXED = "mixed", "Mixed methods"


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    UNDER_WAY = "under_way", "Under way"
    REPORTED = "reported", "Reported"


class Evaluation(Publishable, Versioned):
    """One evaluation of a programme: its question, method, status and findings."""

    programme = models.ForeignKey(
        "delivery.Programme", on_delete=models.PROTECT, related_name="evaluations"
    )
    question = models.TextField()
    method = models.CharField(max_length=20, choices=EvaluationMethod.choices)
    status = models.CharField(
        max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.PLANNED
    )
    findings = models.TextField(blank=True)
    outcome_indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The outcome measure, for a before-and-after chart.",
    )
    report = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme__name", "question"]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("knowledge:evaluation", args=[self.pk])

    @property
    def compares_before_and_after(self) -> bool:
        """Its method is one the programme's before-and-after page supports."""
        return self.method in {
            EvaluationMethod.BEFORE_AFTER,
            EvaluationMethod.INTERRUPTED_TIME_SERIES,
        }

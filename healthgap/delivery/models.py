"""The delivery plan: strategies, their priorities and outcome measures with targets and
trajectories; programmes of work towards them, with milestones and updates; and the board's
performance reports, stored as dated snapshots that never change."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from healthgap.areas.models import Area
from healthgap.constants import PERSONS
from healthgap.indicators.models import Indicator, Period
from healthgap.mortality.causes import ALL_CAUSES
from healthgap.publishing.models import Publishable, Versioned

ALL_AGES = "All ages"


class StrategyKind(models.TextChoices):
    JOINT_STRATEGY = "jhws", "Joint Health and Wellbeing Strategy"
    MARMOT = "marmot", "Marmot place programme"
    OTHER = "other", "Other strategy"


class Strategy(Publishable, Versioned):
    """A strategy the board owns (a Joint Health and Wellbeing Strategy, a Marmot City
    programme) for one area, made of priorities."""

    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=StrategyKind.choices, default=StrategyKind.JOINT_STRATEGY
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="strategies")
    summary = models.TextField(blank=True)
    is_example = models.BooleanField(
        default=False, help_text="Example data made up for the demo: labelled on every page."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plan:strategy", args=[self.pk])


class Priority(Versioned):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "position", "name"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.name


class TargetKind(models.TextChoices):
    VALUE = "value", "A value by a date"
    ENGLAND = "england", "Reach England's value"
    TOP_QUARTILE = "top_quartile", "Reach the top-quartile threshold of upper-tier authorities"
    HALVE_GAP = "halve_gap", "Halve the gap with England"
    PERCENT_CHANGE = "percent_change", "A percentage change"


class Frequency(models.TextChoices):
    YEARLY = "yearly", "Yearly"
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


class TrajectoryShape(models.TextChoices):
    LINEAR = "linear", "Equal steps each period"
    PERCENTAGE = "percentage", "The same percentage change each period"


class OutcomeMeasure(Versioned):
    """An indicator series the priority is judged by, pointed at by its key in the indicator
    store (indicator, area, sex, age, breakdown), never at a value row, so that re-imports
    never break it; with a baseline taken from the store and a target turned into a number."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=20, default=PERSONS)
    age = models.CharField(max_length=40, default=ALL_AGES)
    category_type = models.CharField(max_length=200, blank=True, default="")
    category = models.CharField(max_length=200, blank=True, default="")
    baseline_period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline_value = models.FloatField(null=True, blank=True)
    target_kind = models.CharField(max_length=16, choices=TargetKind.choices, blank=True)
    target_input = models.FloatField(
        null=True, blank=True, help_text="The value (a value by a date) or the percentage change."
    )
    target_date = models.DateField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True, editable=False)
    target_basis = models.TextField(blank=True, editable=False)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.YEARLY)
    shape = models.CharField(
        max_length=10, choices=TrajectoryShape.choices, default=TrajectoryShape.LINEAR
    )
    is_mortality = models.BooleanField(
        default=False, help_text="Deaths to avert are shown against the programmes claiming them."
    )
    # A group of mortality/cause_groups.csv (data, so not fixed choices here) or all causes.
    cause_group = models.CharField(
        "cause of death",
        max_length=20,
        default=ALL_CAUSES,
        help_text="The deaths a mortality measure counts, for its deaths to avert.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "indicator__name"]

    def __str__(self):
        return f"{self.indicator.name} ({self.area.name})"

    def get_absolute_url(self):
        return reverse("plan:measure", args=[self.pk])


class TrajectoryPoint(models.Model):
    """The value expected at the end of one period on the way to the target; generated from
    the target and then editable period by period."""

    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="trajectory")
    due = models.DateField(help_text="The end of the period this value is expected for.")
    expected = models.FloatField()
    edited = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "due"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "due"], name="one_expected_value_per_due")
        ]

    def __str__(self):
        return f"{self.measure_id} {self.due}: {self.expected}"


class ProgrammeStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Programme(Publishable, Versioned):
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_programmes",
    )
    lead_organisation_name = models.CharField("lead organisation", max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.NOT_STARTED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="programmes")
    is_example = models.BooleanField(
        default=False, help_text="Example data made up for the demo: labelled on every page."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("delivery:programme", args=[self.pk])


class MeasureClaim(models.Model):
    """A programme's claim on an outcome measure: for a mortality measure, the deaths a year
    it says it will avert."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="claims")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="claims")
    deaths_a_year = models.FloatField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "measure"], name="one_claim_per_measure")
        ]

    def __str__(self):
        return f"{self.programme} on {self.measure}"


class LinkedPlan(models.Model):
    """An underpinning strategy or partner plan the programme delivers (a document or link)."""

    class Kind(models.TextChoices):
        UNDERPINNING = "underpinning", "Underpinning strategy"
        PARTNER = "partner", "Partner plan"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self):
        return self.title


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Milestone(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_milestones"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self):
        return self.title

    def is_overdue_on(self, day) -> bool:
        return self.status != MilestoneStatus.DONE and self.due_date < day


class ProgrammeUpdate(Publishable, Versioned):
    """Commentary on a programme's progress by its lead; public once approved (published)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    commentary = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self):
        return f"Update on {self.programme} ({self.written_at:%d %B %Y})"


class BoardReport(Publishable, Versioned):
    """A performance report as the board received it: the HTML and PDF bytes of one moment,
    never regenerated (a new report is a new snapshot)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="reports")
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    html = models.TextField(editable=False)
    pdf = models.BinaryField(editable=False)
    seconds_to_generate = models.FloatField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["html", "pdf"])

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self):
        return f"{self.strategy} performance report, {self.generated_at:%d %B %Y %H:%M}"

    def get_absolute_url(self):
        return reverse("plan:report", args=[self.pk])

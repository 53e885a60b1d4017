"""Indicators, their periods and values, and where each value came from."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from healthgap.areas.models import Area
from healthgap.constants import PERSONS
from healthgap.methods import DisclosureRule

# NHS England's small-numbers rule for hospital data, the default for every indicator.
DEFAULT_DISCLOSURE = DisclosureRule()


class Polarity(models.TextChoices):
    HIGH_IS_GOOD = "high", "Higher is better"
    LOW_IS_GOOD = "low", "Lower is better"
    NO_JUDGEMENT = "none", "No judgement"


class ValueType(models.TextChoices):
    PROPORTION = "proportion", "Proportion"
    CRUDE_RATE = "crude_rate", "Crude rate"
    DSR = "dsr", "Directly standardised rate"
    ISR = "isr", "Indirectly standardised ratio"
    LIFE_EXPECTANCY = "life_expectancy", "Life expectancy"
    MEAN = "mean", "Mean"
    COUNT = "count", "Count"
    SLOPE_INDEX = "sii", "Slope index of inequality"
    OTHER = "other", "Other"


class Indicator(models.Model):
    """A measure published for many areas and periods (a Fingertips indicator or a local one).

    ``code`` is the Fingertips indicator ID where there is one ("90366"), or the council's own.
    """

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    domain = models.CharField(
        max_length=120, blank=True, help_text="Profile section, e.g. 'Mortality'"
    )
    unit = models.CharField(max_length=80, blank=True, help_text="e.g. '%', 'per 100,000'")
    value_type = models.CharField(max_length=20, choices=ValueType.choices, default=ValueType.OTHER)
    method = models.CharField(max_length=200, blank=True, help_text="e.g. 'Wilson score interval'")
    # Fingertips-style metadata, shown on the indicator's definition page.
    rationale = models.TextField(blank=True)
    numerator = models.TextField("definition of numerator", blank=True)
    denominator = models.TextField("definition of denominator", blank=True)
    frequency = models.CharField(max_length=120, blank=True, help_text="e.g. 'Annual'")
    caveats = models.TextField(blank=True)
    polarity = models.CharField(
        max_length=4, choices=Polarity.choices, default=Polarity.NO_JUDGEMENT
    )
    source = models.CharField(max_length=300, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    is_synthetic = models.BooleanField(
        default=False,
        help_text="Generated demo data (not real): every page showing it says 'synthetic'.",
    )
    needs_disclosure_control = models.BooleanField(
        default=False,
        help_text="Computed by healthgap from record-level or unpublished data: small numbers are "
        "suppressed and counts rounded before publication (healthgap.methods.disclose). Figures "
        "republished from an official open source (Fingertips) keep that source's treatment.",
    )
    # The rule for this indicator when it is under disclosure control (other publishers' rules
    # differ: some suppress up to 9 or 10 and round to 10).
    suppress_counts_up_to = models.PositiveSmallIntegerField(
        default=DEFAULT_DISCLOSURE.high,
        validators=[MinValueValidator(1)],
        help_text="Counts from 1 to this are suppressed (shown as '*') below national level.",
    )
    round_counts_to = models.PositiveSmallIntegerField(
        default=DEFAULT_DISCLOSURE.rounding_base,
        validators=[MinValueValidator(1)],
        help_text="Larger counts are rounded to the nearest multiple of this (1: not rounded).",
    )

    class Meta:
        ordering = ["domain", "name"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def disclosure_rule(self) -> DisclosureRule:
        """The disclosure rule this indicator's figures are published under (when flagged)."""
        high, base = self.suppress_counts_up_to, self.round_counts_to
        if (high, base) == (DEFAULT_DISCLOSURE.high, DEFAULT_DISCLOSURE.rounding_base):
            return DEFAULT_DISCLOSURE
        rounded = f"rounded to {base}" if base > 1 else "not rounded"
        return DisclosureRule(
            high=high, rounding_base=base, name=f"small numbers (1-{high} suppressed, {rounded})"
        )


class Period(models.Model):
    """A time period as published ('2015-17', '2021/22 Q1') with a sortable start and end."""

    label = models.CharField(max_length=60, unique=True)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["start", "end"]

    def __str__(self):
        return self.label


class ImportRecord(models.Model):
    """One file taken in: who, when, which importer, and how it went."""

    class Status(models.TextChoices):
        LOADED = "loaded", "Loaded"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    importer = models.CharField(max_length=60)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LOADED)
    message = models.TextField(blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The signed-in user who ran the import, if any.",
    )
    run_by_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who ran it, as given (the user name, or the OS user on the command line).",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.importer}: {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class IndicatorValue(models.Model):
    """One published figure, in the Fingertips layout, and the row of the file it came from.

    Empty ``category_type`` and ``category`` mean the whole population; breakdowns such as
    deprivation decile or ethnic group carry both.

    Benchmarking, computed by ``healthgap.indicators.benchmarking`` after every import with
    ``healthgap.methods`` (never typed in by hand):

    * ``compared_to_england`` / ``compared_to_region``: the value's 95% confidence interval
      against the England / region value of the same indicator, period, sex, age and category,
      labelled as Fingertips does: "Better", "Similar", "Worse" (indicators with a polarity),
      "Higher", "Similar", "Lower" (no judgement), or "Not compared" (no limits, no benchmark).
      ``compared_to_england_998`` / ``compared_to_region_998``: the same at 99.8%. Together
      they give Fingertips' five-level legend: "Better" at 99.8% is "Better 99.8%"; "Better" at
      95% only is "Better 95%".
    * ``comparison_basis``: "computed" (from the limits, as above), "published" (the file had no
      limits, so the label its publisher computed is kept, e.g. Fingertips' via the Trafford
      extracts) or "" (nothing to compare).
    * ``rank_upper_tier``: rank among English upper-tier authorities (counties and unitaries)
      with a value for the same indicator, period, sex, age and category; 1 = best (highest
      where higher is better, lowest where lower is better; lowest value where there is no
      judgement). ``ranked_among`` is how many were ranked. ``quartile_upper_tier``: 1 = best
      quarter ... 4 = worst (same order). ``quintile_upper_tier``: 1 = lowest values ... 5 =
      highest, Fingertips' quintiles for indicators without a polarity (set for every ranked
      value). All null for areas that are not upper tier, or without a value.
    * ``recent_trend``: Fingertips' trend marker computed as if this value were the latest:
      "Increasing and getting better", "Increasing and getting worse", "Decreasing and getting
      better", "Decreasing and getting worse", "Increasing", "Decreasing", "No significant
      change" or "Cannot be calculated". ``trend_basis``: "computed", "published" (the store
      lacks the history to compute it, so the marker the file carried is kept) or "".
    """

    # No single-column indexes on indicator, area and period: the unique constraint (indicator
    # first) and the (area, indicator) and (indicator, period, ...) indexes serve the lookups, and
    # every index slows imports. Periods are looked up with their indicator; only deleting a
    # period (refused while values use it) reads the values by period alone.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="indicator_values", db_index=False
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="values", db_index=False
    )
    sex = models.CharField(max_length=20, default=PERSONS)
    age = models.CharField(max_length=40, default="All ages")
    category_type = models.CharField(max_length=200, blank=True, default="")
    category = models.CharField(max_length=200, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField("lower 95% limit", null=True, blank=True)
    upper95 = models.FloatField("upper 95% limit", null=True, blank=True)
    lower998 = models.FloatField("lower 99.8% limit", null=True, blank=True)
    upper998 = models.FloatField("upper 99.8% limit", null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=300, blank=True, default="")
    import_record = models.ForeignKey(
        ImportRecord, on_delete=models.PROTECT, related_name="values", null=True, blank=True
    )
    source_row = models.PositiveIntegerField(
        null=True, blank=True, help_text="Line number in the imported file (header is line 1)."
    )
    compared_to_england = models.CharField(max_length=20, blank=True, default="")
    compared_to_region = models.CharField(max_length=20, blank=True, default="")
    compared_to_england_998 = models.CharField(max_length=20, blank=True, default="")
    compared_to_region_998 = models.CharField(max_length=20, blank=True, default="")
    comparison_basis = models.CharField(max_length=10, blank=True, default="")
    rank_upper_tier = models.PositiveIntegerField(null=True, blank=True)
    ranked_among = models.PositiveIntegerField(null=True, blank=True)
    quartile_upper_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    quintile_upper_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    recent_trend = models.CharField(max_length=40, blank=True, default="")
    trend_basis = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "sex", "age", "category_type", "category"],
                name="one_value_per_breakdown",
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period", "sex", "age"]),
            models.Index(fields=["area", "indicator"]),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.area_id} {self.period_id} {self.sex}: {self.value}"


class SupersededValue(models.Model):
    """A value replaced by a newer file for the same indicator, area, period and breakdown.

    The history of an :class:`IndicatorValue`: what it was, which import supplied it and which
    import replaced it.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=20)
    age = models.CharField(max_length=40)
    category_type = models.CharField(max_length=200, blank=True, default="")
    category = models.CharField(max_length=200, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField(null=True, blank=True)
    upper95 = models.FloatField(null=True, blank=True)
    lower998 = models.FloatField(null=True, blank=True)
    upper998 = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=300, blank=True, default="")
    import_record = models.ForeignKey(
        ImportRecord, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        ImportRecord, on_delete=models.PROTECT, related_name="superseded_values"
    )

    class Meta:
        indexes = [models.Index(fields=["indicator", "area", "period"])]

    def __str__(self):
        return f"{self.indicator_id} {self.area_id} {self.period_id} (superseded): {self.value}"


class ValueCheck(models.Model):
    """A disagreement between what a file published and what healthgap recomputed.

    ``field`` is "value", "lower95", "upper95", "lower998", "upper998", "compared_to_england",
    "compared_to_region" or "recent_trend"; ``given`` is the file's figure or label and
    ``computed`` healthgap's, with ``method`` naming how it was computed.
    """

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="checks")
    field = models.CharField(max_length=40)
    given = models.CharField(max_length=60)
    computed = models.CharField(max_length=60)
    method = models.CharField(max_length=120, blank=True)
    import_record = models.ForeignKey(
        ImportRecord, on_delete=models.CASCADE, related_name="checks", null=True, blank=True
    )

    def __str__(self):
        return f"{self.value_id} {self.field}: given {self.given}, computed {self.computed}"


class ComparatorGroup(models.Model):
    """Areas to compare an area with: its region, England, nearest neighbours or a user's list.

    ``method`` says in words how the group was made (for nearest neighbours: the variables, their
    sources and the distance), so that anyone can check it.
    """

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        ENGLAND = "england", "England"
        NEAREST = "nearest", "Statistical nearest neighbours"
        USER = "user", "User-defined"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comparator_groups",
        help_text="The area the group is for (empty for a free-standing user group).",
    )
    method = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "area"], name="one_comparator_group_name")
        ]

    def __str__(self):
        return self.name


class ComparatorMember(models.Model):
    """One area in a comparator group, with its distance where the group was computed."""

    group = models.ForeignKey(ComparatorGroup, on_delete=models.CASCADE, related_name="members")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 = nearest")
    distance = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["group", "rank", "area"]
        constraints = [
            models.UniqueConstraint(fields=["group", "area"], name="one_membership_per_area")
        ]

    def __str__(self):
        return f"{self.area_id} in {self.group}"

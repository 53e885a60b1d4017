"""Indicators, their periods and values, and where each value came from."""

from django.db import models

from healthgap.areas.models import Area


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
    polarity = models.CharField(
        max_length=4, choices=Polarity.choices, default=Polarity.NO_JUDGEMENT
    )
    source = models.CharField(max_length=300, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    is_synthetic = models.BooleanField(
        default=False,
        help_text="Generated demo data (not real): every page showing it says 'synthetic'.",
    )

    class Meta:
        ordering = ["domain", "name"]

    def __str__(self):
        return f"{self.code} {self.name}"


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

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.importer}: {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class IndicatorValue(models.Model):
    """One published figure, in the Fingertips layout, and the row of the file it came from.

    Empty ``category_type`` and ``category`` mean the whole population; breakdowns such as
    deprivation decile or ethnic group carry both.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicator_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    sex = models.CharField(max_length=20, default="Persons")
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

"""GP practices: each is an area (``AreaType.GP_PRACTICE``, under its primary care network, sub-ICB
location and ICB) with what the area model does not hold: its status, postcode, deprivation and
registered list by age band. Practice indicators (QOF prevalence, smoking, A&E attendances,
admissions) are ordinary indicator values of the practice's area."""

from django.db import models
from simple_history.models import HistoricalRecords

from healthgap.areas.models import Area, AreaType
from healthgap.areas.queries import band_label
from healthgap.constants import FEMALE, MALE, SEXES
from healthgap.indicators.models import ImportRecord


class PracticeStatus(models.TextChoices):
    """The ODS status codes of the ``epraccur`` file."""

    ACTIVE = "A", "Open"
    CLOSED = "C", "Closed"
    DORMANT = "D", "Dormant"


class Practice(models.Model):
    area = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="practice",
        limit_choices_to={"area_type": AreaType.GP_PRACTICE},
    )
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=1, choices=PracticeStatus.choices)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    imd_score = models.FloatField(
        "IMD 2019 score",
        null=True,
        blank=True,
        help_text="The IMD 2019 scores of its patients' LSOAs, weighted by the patients living "
        "in each (OHID Fingertips indicator 93553).",
    )
    imd_basis = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["area__name"]

    def __str__(self):
        return str(self.area)

    @property
    def is_open(self) -> bool:
        return self.status == PracticeStatus.ACTIVE


class PracticeList(models.Model):
    """Patients registered at a practice in one age band (persons): the open QOF files give the
    list for ages 0-5, 6-15, 16, 17, 18-49 and 50+ (differences of its list-size types)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="lists")
    period = models.CharField(max_length=20, help_text="e.g. '2022/23' (QOF year)")
    age_start = models.PositiveSmallIntegerField()
    age_end = models.PositiveSmallIntegerField(null=True, blank=True, help_text="None: and over")
    patients = models.PositiveIntegerField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["practice", "period", "age_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "period", "age_start"], name="one_list_count_per_band"
            )
        ]

    def __str__(self):
        return f"{self.practice_id} {self.period} {self.band}: {self.patients}"

    @property
    def band(self) -> str:
        if self.age_end is None:
            return f"{self.age_start}+"
        if self.age_end == self.age_start:
            return str(self.age_start)
        return f"{self.age_start}-{self.age_end}"


class ModelledPrevalence(models.Model):
    """A modelled prevalence estimate uploaded by an analyst (e.g. OHID's modelled estimates of
    hypertension or COPD, or a local model): for each QOF condition it gives, the prevalence by
    age band and sex. Case finding may use it instead of England's recorded prevalence. A new
    upload under the same name replaces its figures (the change is kept in its history)."""

    name = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=300, blank=True, help_text="Who modelled it, and when.")
    import_record = models.ForeignKey(ImportRecord, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "modelled prevalence estimates"

    def __str__(self):
        return self.name

    @property
    def conditions(self) -> list[str]:
        return sorted(set(self.rates.values_list("condition", flat=True)))


class ModelledPrevalenceRate(models.Model):
    """The modelled prevalence of one condition in one age band and sex (a proportion)."""

    estimate = models.ForeignKey(ModelledPrevalence, on_delete=models.CASCADE, related_name="rates")
    condition = models.CharField(max_length=20, help_text="QOF group code, e.g. 'HYP'.")
    sex = models.CharField(max_length=8, choices=[(sex, sex) for sex in SEXES])
    age_start = models.PositiveSmallIntegerField()
    age_end = models.PositiveSmallIntegerField(null=True, blank=True, help_text="None: and over")
    prevalence = models.FloatField(help_text="A proportion, 0 to 1.")

    class Meta:
        ordering = ["estimate", "condition", "sex", "age_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["estimate", "condition", "sex", "age_start"],
                name="one_modelled_prevalence_per_band",
            )
        ]

    def __str__(self):
        return f"{self.estimate_id} {self.condition} {self.sex} {self.age_start}: {self.prevalence}"


class PracticeAgeSexList(models.Model):
    """Patients registered at a practice on one extract date, by sex and five-year age band
    (NHS Digital, "Patients Registered at a GP Practice", ``gp-reg-pat-prac-quin-age``). There
    are some 250,000 rows a month for England, so the rows keep no history of their own: each
    import is recorded once, in its ``import_record`` (the change log lists it)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="age_sex_lists", db_index=False
    )
    period = models.CharField(max_length=7, help_text="The extract's month, e.g. '2022-05'.")
    sex = models.CharField(max_length=8, choices=[(sex, sex) for sex in (MALE, FEMALE)])
    age_start = models.PositiveSmallIntegerField()
    age_end = models.PositiveSmallIntegerField(null=True, blank=True, help_text="None: and over")
    patients = models.PositiveIntegerField()
    import_record = models.ForeignKey(ImportRecord, on_delete=models.PROTECT, related_name="+")
    is_example = models.BooleanField(
        default=False, help_text="An example list made for the demo, not NHS Digital's figures."
    )

    class Meta:
        ordering = ["practice", "period", "sex", "age_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "period", "sex", "age_start"],
                name="one_age_sex_count_per_band",
            )
        ]

    def __str__(self):
        return f"{self.practice_id} {self.period} {self.sex} {self.band}: {self.patients}"

    @property
    def band(self) -> str:
        return band_label(self.age_start, self.age_end)

"""Deaths aggregated from record-level extracts, and published deaths with their population.

The records of a civil-registration extract are never stored: the importer keeps only counts by
LSOA x life-table age band x sex x calendar year x cause group. Published all-cause deaths by
authority (ONS) are kept with the matching population, for life expectancy and deaths to avert.
"""

from django.db import models

from healthgap.areas.models import Area
from healthgap.indicators.models import ImportRecord

# The 20 life-table bands of healthgap.methods.life_expectancy: <1, 1-4, 5-9 ... 85-89, 90+.
BAND_STARTS = (0, 1, *range(5, 95, 5))


class DeathSex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class DeathCount(models.Model):
    """Deaths of residents of one LSOA in one calendar year, band, sex and cause group."""

    # The unique constraint's index starts with the area: no second index to keep up on import.
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="death_counts", db_index=False
    )
    year = models.PositiveSmallIntegerField(help_text="Calendar year of death (or registration).")
    sex = models.CharField(max_length=6, choices=DeathSex.choices)
    startage = models.PositiveSmallIntegerField(help_text="Life-table band: 0, 1, 5 ... 90.")
    cause_group = models.CharField(max_length=20, help_text="A group of mortality/cause_groups.csv")
    deaths = models.FloatField(
        help_text="Deaths in the cell: whole deaths, plus the shares of deaths given only a "
        "postcode district (see apportioned)."
    )
    apportioned = models.FloatField(
        default=0,
        help_text="Of these, the shares of deaths given only a postcode district, shared across "
        "its LSOAs by population (mortality/districts.py).",
    )
    preventable = models.FloatField(
        default=0,
        help_text="Of these, deaths considered preventable (ONS 2019 definition, under 75; "
        "conditions shared with 'treatable' count one half).",
    )
    import_record = models.ForeignKey(ImportRecord, on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sex", "startage", "cause_group"],
                name="one_death_count_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.sex} {self.startage}+ {self.cause_group}"


class BandDeaths(models.Model):
    """Deaths registered in a year by sex and life-table band (``startage``), with the population
    of that band, as a source published them."""

    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=6, choices=DeathSex.choices)
    startage = models.PositiveSmallIntegerField()
    deaths = models.PositiveIntegerField()
    population = models.FloatField()
    source = models.CharField(max_length=300)

    class Meta:
        abstract = True


class PublishedDeaths(BandDeaths):
    """All-cause deaths registered in a year for an authority (or England) by sex and band,
    with the mid-year population of that band (ONS), as published."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="published_deaths")

    class Meta:
        verbose_name_plural = "published deaths"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sex", "startage"], name="one_published_death_count"
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.sex} {self.startage}+: {self.deaths}"


class DecileDeaths(BandDeaths):
    """England's deaths under 75 registered in a year by the IMD decile of the LSOA of residence
    (1 = most deprived), sex and life-table band, with the population: the deprivation gradient
    whose least deprived decile is a target for every area."""

    decile = models.PositiveSmallIntegerField(help_text="IMD decile, 1 = most deprived.")

    class Meta:
        verbose_name_plural = "decile deaths"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "decile", "sex", "startage"], name="one_decile_death_count"
            )
        ]

    def __str__(self):
        return f"decile {self.decile} {self.year} {self.sex} {self.startage}+: {self.deaths}"

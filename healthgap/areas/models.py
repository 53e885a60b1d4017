"""Areas from LSOA to England, their boundaries, population and deprivation."""

from django.db import models

# The 2013 European Standard Population's 19 five-year bands (90+ last), as (start, end) ages.
ESP2013_BANDS = [(start, start + 4) for start in range(0, 90, 5)] + [(90, None)]


class AreaType(models.TextChoices):
    """England's statistical and administrative geographies.

    A unitary authority (metropolitan district, London borough, unitary) is both a lower- and an
    upper-tier local authority; counties are upper-tier only and districts lower-tier only.
    """

    ENGLAND = "england", "England"
    REGION = "region", "Region"
    COUNTY = "county", "County council"
    UNITARY = "unitary", "Unitary authority"
    DISTRICT = "district", "District council"
    COMBINED = "combined", "Combined authority"
    WARD = "ward", "Electoral ward"
    MSOA = "msoa11", "Middle layer super output area (2011)"
    LSOA = "lsoa11", "Lower layer super output area (2011)"
    CCG = "ccg", "Clinical commissioning group"
    GP_PRACTICE = "gp", "GP practice"
    # NHS primary-care geographies above the practice (issue 12): practice -> primary care
    # network -> sub-ICB location (the former CCG, same E38 codes) -> integrated care board.
    PCN = "pcn", "Primary care network"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    ICB = "icb", "Integrated care board"


UPPER_TIER_TYPES = (AreaType.COUNTY, AreaType.UNITARY)
LOWER_TIER_TYPES = (AreaType.DISTRICT, AreaType.UNITARY)


class AreaQuerySet(models.QuerySet):
    def upper_tier(self):
        """Counties and unitary authorities: the tier that has a Health and Wellbeing Board."""
        return self.filter(area_type__in=UPPER_TIER_TYPES)

    def lower_tier(self):
        return self.filter(area_type__in=LOWER_TIER_TYPES)

    def of_type(self, area_type):
        return self.filter(area_type=area_type)


class Area(models.Model):
    code = models.CharField("GSS code", max_length=12, primary_key=True)
    name = models.CharField(max_length=200)
    area_type = models.CharField(max_length=12, choices=AreaType.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The next area up: LSOA to MSOA, MSOA or ward to its local authority, "
        "district to county, upper tier to region, region to England.",
    )
    ward = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lsoas",
        limit_choices_to={"area_type": AreaType.WARD},
        help_text="For an LSOA: the ward it best fits (ONS best-fit lookup).",
    )
    is_hwb = models.BooleanField(
        "Health and Wellbeing Board area", default=False, help_text="Shown on the home page."
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["area_type", "parent"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_upper_tier(self):
        return self.area_type in UPPER_TIER_TYPES

    def region(self):
        """The region above this area, walking up the parents (None for England)."""
        area = self
        while area is not None and area.area_type != AreaType.REGION:
            area = area.parent
        return area


class Boundary(models.Model):
    """An area's boundary as a simplified GeoJSON geometry (WGS84), small enough for the web."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, primary_key=True)
    geometry = models.JSONField()
    source = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self):
        return f"Boundary of {self.area}"


class Sex(models.TextChoices):
    PERSONS = "persons", "Persons"
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class PopulationEstimate(models.Model):
    """A population count for one single year of age (90 means 90 and over)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField(help_text="Mid-year of the estimate.")
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.PERSONS)
    age = models.PositiveSmallIntegerField(help_text="Single year of age; 90 means 90+.")
    count = models.FloatField()
    source = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sex", "age"], name="one_population_count_per_age"
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.sex} age {self.age}: {self.count:g}"


class Deprivation(models.Model):
    """English Indices of Deprivation: an LSOA's rank and decile, or a local authority summary.

    Ranks run from 1, the most deprived. For a local authority ``rank`` is the rank of its average
    score among all authorities and ``score`` the population-weighted average score.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation")
    year = models.PositiveSmallIntegerField(default=2019)
    domain = models.CharField(
        max_length=80, help_text="'Index of Multiple Deprivation' or a domain"
    )
    rank = models.PositiveIntegerField(null=True, blank=True)
    decile = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    proportion_most_deprived_decile = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "domain"], name="one_deprivation_value_per_domain"
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.domain} {self.year}"


IMD = "Index of Multiple Deprivation"

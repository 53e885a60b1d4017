"""Deaths to avert for a mortality measure: the closing-the-gap model on the area's deaths by
age band (observed minus expected deaths at the target's age-specific rates, as the OHID Segment
Tool and Lewer et al., Lancet Public Health 2020;5:e33-41), worked by hand below, against the
deaths the programmes claim, with the shortfall; and a mortality measure whose area has no
deaths by age band, or whose age group does not fit the bands, refused with a clear message."""

from datetime import date

import pytest

from healthgap.constants import ENGLAND_CODE, Role
from healthgap.delivery import services
from healthgap.delivery.deaths import deaths_to_avert
from healthgap.delivery.measure_deaths import age_bands
from healthgap.delivery.models import MeasureClaim, OutcomeMeasure, TargetKind
from healthgap.delivery.targets import TargetError
from healthgap.indicators.models import IndicatorValue
from healthgap.mortality.models import PublishedDeaths
from tests.delivery.plan import indicator, measure, value, year
from tests.factories import AreaFactory, EnglandFactory
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 1)
AREA = "E06T90001"
# Deaths and population by sex and band, 65-69 and 70-74 (one year, 2021).
AREA_DEATHS = {("male", 65): (30, 10000), ("female", 65): (20, 10000),
               ("male", 70): (50, 8000), ("female", 70): (30, 8000)}  # fmt: skip
# England: 2 deaths per 1,000 at 65-69 and 3.5 per 1,000 at 70-74, both sexes.
ENGLAND_DEATHS = {("male", 65): (100, 50000), ("female", 65): (100, 50000),
                  ("male", 70): (140, 40000), ("female", 70): (140, 40000)}  # fmt: skip


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


def _deaths(code: str, cells: dict) -> None:
    for (sex, startage), (deaths, population) in cells.items():
        PublishedDeaths.objects.create(
            area_id=code, year=2021, sex=sex, startage=startage, deaths=deaths,
            population=population, source="test",
        )  # fmt: skip


@pytest.fixture
def mortality_indicator():
    """An area (with England) whose rate for ages 65-74 is 150 in 2021, England's 130."""
    EnglandFactory()
    AreaFactory(code=AREA)
    _deaths(AREA, AREA_DEATHS)
    _deaths(ENGLAND_CODE, ENGLAND_DEATHS)
    ind = indicator(name="Mortality at 65-74")
    for code, figure in ((AREA, 150.0), (ENGLAND_CODE, 130.0)):
        IndicatorValue.objects.create(indicator=ind, area_id=code, period=year("2021"),
                                      age="65-74 yrs", value=figure, lower95=figure - 10,
                                      upper95=figure + 10)  # fmt: skip
    return ind


def _mortality_measure(analyst, ind, **target) -> OutcomeMeasure:
    item = measure(analyst, ind, area_code=AREA, age="65-74 yrs", is_mortality=True)
    for name, figure in {"target_date": date(2030, 12, 31), **target}.items():
        setattr(item, name, figure)
    return services.set_target(item, analyst, item.version, today=TODAY)


def test_a_target_value_scales_every_bands_rate_and_claims_leave_a_shortfall(
    analyst, mortality_indicator
):
    item = _mortality_measure(
        analyst, mortality_indicator, target_kind=TargetKind.VALUE, target_input=120.0
    )
    smokefree = programme(analyst, name="Smokefree")
    screening = programme(analyst, name="Earlier diagnosis")
    MeasureClaim.objects.create(programme=smokefree, measure=item, deaths_a_year=8)
    MeasureClaim.objects.create(programme=screening, measure=item, deaths_a_year=4)
    deaths = deaths_to_avert(item)
    # Persons: 50 deaths at 65-69 and 80 at 70-74. Every band's rate x 120/150 = 0.8: expected
    # 40 and 64, so 10 + 16 = 26 deaths a year to avert; claims 12, shortfall 14.
    assert [band["band"] for band in deaths.bands] == ["65-69", "70-74"]
    assert [band["value"] for band in deaths.bands] == pytest.approx([10.0, 16.0])
    assert deaths.needed == pytest.approx(26.0)
    assert deaths.lower < 26 < deaths.upper
    assert deaths.claimed == pytest.approx(12.0) and deaths.shortfall == pytest.approx(14.0)
    assert deaths.words.endswith("the programmes claim 12, a shortfall of 14 deaths a year.")
    assert deaths.basis.startswith(
        "ONS deaths registered in 2021 in Area E06T90001 (Persons, 65-74 yrs), cause of death "
        "All causes (every ICD-10 code), against the area's death rate"
    )


def test_reaching_england_uses_englands_rates_in_each_band(analyst, mortality_indicator):
    item = _mortality_measure(analyst, mortality_indicator, target_kind=TargetKind.ENGLAND)
    deaths = deaths_to_avert(item)
    # England's rates: 20,000 x 0.002 = 40 at 65-69 and 16,000 x 0.0035 = 56 at 70-74, so
    # (50 - 40) + (80 - 56) = 34 deaths a year; nothing claimed.
    assert [band["expected"] for band in deaths.bands] == pytest.approx([40.0, 56.0])
    assert deaths.needed == pytest.approx(34.0) and deaths.shortfall == pytest.approx(34.0)
    assert "England's death rates in each age band in 2021" in deaths.basis


def test_a_mortality_measure_without_deaths_by_age_band_is_refused(analyst):
    EnglandFactory()
    AreaFactory(code=AREA)
    ind = indicator(name="Mortality without deaths")
    value(ind, AREA, "2021", 150.0, 140.0, 160.0)
    item = measure(analyst, ind, area_code=AREA, is_mortality=True)
    item.target_kind, item.target_input = TargetKind.VALUE, 120.0
    item.target_date = date(2030, 12, 31)
    with pytest.raises(TargetError, match="the mortality store holds none for") as refusal:
        services.set_target(item, analyst, item.version, today=TODAY)
    assert refusal.value.field == "is_mortality"
    stored = OutcomeMeasure.objects.get(pk=item.pk)
    assert stored.target_value is None and stored.version == item.version


@pytest.mark.parametrize(
    "age, bands",
    [("<75 yrs", [0, 1, *range(5, 75, 5)]), ("65-74 yrs", [65, 70]), ("90+ yrs", [90]),
     ("All ages", [0, 1, *range(5, 95, 5)]), ("18+ yrs", None), ("16-64 yrs", None),
     ("Primary school age", None)],
)  # fmt: skip
def test_age_groups_are_matched_to_the_life_table_bands(age, bands):
    assert age_bands(age) == bands

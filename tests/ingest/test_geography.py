"""The demo geography as loaded by `healthgap load-demo` (the `demo_db` fixture)."""

import pytest

from healthgap.areas import queries
from healthgap.areas.models import IMD, Area, AreaType, Boundary, Deprivation, PopulationEstimate
from healthgap.demo.loader import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

COVENTRY, LEICESTER = "E08000026", "E06000016"


def test_wards_and_lsoas_of_the_two_cities():
    coventry, leicester = Area.objects.get(code=COVENTRY), Area.objects.get(code=LEICESTER)
    assert queries.wards_of(coventry).count() == 18
    assert queries.wards_of(leicester).count() == 21
    assert Area.objects.of_type(AreaType.LSOA).filter(parent__parent=coventry).count() == 195
    assert Area.objects.of_type(AreaType.LSOA).filter(parent__parent=leicester).count() == 192
    assert Area.objects.of_type(AreaType.LSOA).filter(ward__parent=coventry).count() == 195


def test_population_totals_match_the_ons_mid_2019_files():
    assert queries.total_population(Area.objects.get(code=COVENTRY), 2019) == 371521
    assert queries.total_population(Area.objects.get(code=LEICESTER), 2019) == 354224


def test_population_in_the_19_esp_bands_sums_to_the_total():
    bands = queries.population_in_esp_bands([COVENTRY], 2019)[COVENTRY]
    assert len(bands) == 19
    assert sum(bands) == 371521
    single_years = PopulationEstimate.objects.filter(
        area_id=COVENTRY, year=2019, sex="persons", age__lt=5
    )
    assert bands[0] == sum(single_years.values_list("count", flat=True))


def test_hierarchy_runs_from_lsoa_to_england():
    lsoa = Area.objects.get(code="E01009522")  # Coventry 014A
    chain = []
    area = lsoa
    while area is not None:
        chain.append(area.area_type)
        area = area.parent
    assert chain == ["lsoa11", "msoa11", "unitary", "region", "england"]
    assert lsoa.ward.name == "Bablake"
    assert Area.objects.get(code=COVENTRY).region().code == "E12000005"
    assert Area.objects.get(code=LEICESTER).region().code == "E12000004"


def test_districts_hang_under_their_county():
    district = Area.objects.get(code="E07000234")  # Bromsgrove, Worcestershire
    assert district.parent.area_type == AreaType.COUNTY
    assert Area.objects.upper_tier().filter(code__in=[COVENTRY, LEICESTER]).count() == 2


def test_imd_2019_for_lsoas_and_authorities():
    lsoa_imd = Deprivation.objects.get(area_id="E01000001", domain=IMD)
    assert (lsoa_imd.rank, lsoa_imd.decile) == (29199, 9)
    coventry = Deprivation.objects.get(area_id=COVENTRY, domain=IMD)
    leicester = Deprivation.objects.get(area_id=LEICESTER, domain=IMD)
    assert (coventry.rank, leicester.rank) == (78, 32)


def test_boundaries_are_simplified_geojson_for_every_ward_lsoa_and_upper_tier_authority():
    coventry = Area.objects.get(code=COVENTRY)
    ward_codes = queries.wards_of(coventry).values_list("code", flat=True)
    assert Boundary.objects.filter(area_id__in=ward_codes).count() == 18
    assert Boundary.objects.filter(area__area_type=AreaType.LSOA).count() == 387
    assert Boundary.objects.filter(area__area_type=AreaType.REGION).count() == 9
    boundary = Boundary.objects.get(area_id="E05001218")
    assert boundary.geometry["type"] in {"Polygon", "MultiPolygon"}


def test_ward_deprivation_summarises_each_wards_lsoas():
    wards = queries.ward_deprivation(Area.objects.get(code=COVENTRY))
    assert len(wards) == 18
    assert sum(ward["lsoas"] for ward in wards) == 195
    ranks = [ward["average_imd_rank"] for ward in wards]
    assert ranks == sorted(ranks)


def test_loading_the_demo_twice_changes_nothing():
    before = {
        model.__name__: model.objects.count()
        for model in (Area, Boundary, Deprivation, PopulationEstimate)
    }
    load_demo(report=lambda *_: None)
    after = {
        model.__name__: model.objects.count()
        for model in (Area, Boundary, Deprivation, PopulationEstimate)
    }
    assert after == before

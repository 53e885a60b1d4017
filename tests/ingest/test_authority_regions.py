"""Each authority's region: ONS's lookup first, and a county never in another region than its
districts (issue 15: the mySociety file puts Derbyshire and Lincolnshire in the wrong region)."""

import pytest

from healthgap.areas.models import Area
from healthgap.demo.loader import demo_file
from healthgap.ingest.authority_regions import read_ons_hierarchy
from healthgap.ingest.errors import IngestError
from healthgap.ingest.geography import load_local_authorities

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

EAST_MIDLANDS, WEST_MIDLANDS = "E12000004", "E12000005"
HEADER = (
    "local-authority-code,nice-name,gss-code,nation,region,local-authority-type,county-la,"
    "replaced-by\n"
)
ONS_MYE2_2014 = "population/ons_mye2_mid2014_males_single_year_la.csv"


def _authorities_file(tmp_path, county_region):
    path = tmp_path / "authorities.csv"
    path.write_text(
        HEADER
        + f"XCT,Testshire,E10099991,England,{county_region},CTY,,\n"
        + "XD1,North Testshire,E07099991,England,East Midlands,NMD,XCT,\n"
        + "XD2,South Testshire,E07099992,England,East Midlands,NMD,XCT,\n",
        encoding="utf-8",
    )
    return path


def test_a_county_in_another_region_than_its_districts_is_a_load_problem_naming_the_rows(
    tmp_path,
):
    path = _authorities_file(tmp_path, "West Midlands")
    with pytest.raises(IngestError) as raised:
        load_local_authorities(path)
    [problem] = raised.value.problems
    assert problem.row == 2 and problem.column == "region"
    assert "county Testshire (E10099991) is in 'West Midlands'" in problem.message
    assert "row 3 North Testshire (E07099991) in 'East Midlands'" in problem.message
    assert "row 4 South Testshire (E07099992)" in problem.message
    assert not Area.objects.filter(code__in=["E10099991", "E07099991"]).exists()


def test_the_same_county_in_its_districts_region_loads(tmp_path):
    assert load_local_authorities(_authorities_file(tmp_path, "East Midlands")) == 3
    assert Area.objects.get(code="E10099991").parent_id == EAST_MIDLANDS
    assert Area.objects.get(code="E07099991").parent_id == "E10099991"


def test_ons_mye2_lists_derbyshire_and_lincolnshire_in_the_east_midlands():
    hierarchy = read_ons_hierarchy(demo_file(ONS_MYE2_2014))
    regions = hierarchy.regions
    assert regions["E10000007"] == EAST_MIDLANDS  # Derbyshire
    assert regions["E10000019"] == EAST_MIDLANDS  # Lincolnshire
    assert regions["E08000026"] == WEST_MIDLANDS  # Coventry
    assert not any(code.startswith("W") for code in regions)


def test_the_demo_puts_every_county_in_its_districts_region():
    assert Area.objects.get(code="E10000007").region().code == EAST_MIDLANDS
    assert Area.objects.get(code="E10000019").region().code == EAST_MIDLANDS
    west_midlands = Area.objects.upper_tier().filter(parent_id=WEST_MIDLANDS)
    assert "E10000007" not in set(west_midlands.values_list("code", flat=True))
    for county in Area.objects.filter(area_type="county"):
        for district in county.children.all():
            assert district.region() == county.region(), (county, district)


def test_ons_mye2_lists_forest_heath_under_suffolk_not_surrey():
    # mySociety's file gives Forest Heath (abolished 2019) the county "SRY"; ONS: Suffolk.
    assert read_ons_hierarchy(demo_file(ONS_MYE2_2014)).counties["E07000201"] == "E10000029"
    assert Area.objects.get(code="E07000201").parent_id == "E10000029"

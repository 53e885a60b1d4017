"""Deaths given only a postcode district: shared across the district's LSOAs by population
times the share of each LSOA's postcodes in the district, the shares summing back to the
district's deaths, and the import report saying so. The lookups are small files in the ONS
NSPL's layout (columns as the bundled CV/LE extract)."""

import math

import pytest
from django.core.management import call_command

from healthgap.areas.models import PopulationEstimate
from healthgap.ingest.deaths import import_deaths
from healthgap.ingest.errors import IngestError
from healthgap.mortality.districts import postcode_counts, shares_by_population
from healthgap.mortality.models import DeathCount
from tests.factories import LsoaFactory

NSPL_HEADER = "pcds,outcode,sector,ladcd,ladnm,wardcd,wardnm,lsoa21cd,lsoa21nm"
A, B, NOT_HELD = "E01T91001", "E01T91002", "E01T91003"
# A has 3 of its 4 postcodes in CV1 and 1 in CV2; B has both of its postcodes in CV1; the
# third LSOA (CV2 and CV3 only) is not held by healthgap.
POSTCODES = [
    ("CV1 1AA", A), ("CV1 1AB", A), ("CV1 1AC", A), ("CV2 1AA", A),
    ("CV1 2AA", B), ("CV1 2AB", B),
    ("CV2 2AA", NOT_HELD), ("CV3 2AB", NOT_HELD),
]  # fmt: skip
POPULATION = {A: {40: 600.0, 70: 400.0}, B: {20: 500.0}}  # persons, mid-2019
# By hand: CV1 weights A = 1000 x 3/4 = 750, B = 500 x 2/2 = 500, so shares 0.6 and 0.4;
# CV2: A = 1000 x 1/4 = 250 and the LSOA not held is left out, so A takes it all.
HEADER = "date_of_death,age_years,sex,lsoa_code,underlying_cause,postcode_district"


def nspl_line(postcode: str, lsoa: str) -> str:
    outcode, inward = postcode.split()
    return (
        f"{postcode},{outcode},{outcode} {inward[0]},E08000026,Coventry,E05001219,Ward,"
        f"{lsoa},{lsoa} name"
    )


@pytest.fixture
def lookup(tmp_path, settings):
    path = tmp_path / "nspl_extract.csv"
    lines = [NSPL_HEADER, *(nspl_line(postcode, lsoa) for postcode, lsoa in POSTCODES)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings.POSTCODE_LOOKUP = str(path)
    return path


@pytest.fixture
def lsoas(db):
    held = [LsoaFactory(code=A), LsoaFactory(code=B)]
    for lsoa in held:
        for age, count in POPULATION[lsoa.code].items():
            PopulationEstimate.objects.create(
                area=lsoa, year=2019, sex="persons", age=age, count=count, source="test"
            )
    return held


def write(tmp_path, lines, name="deaths.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def cell(area, sex, startage, cause):
    return DeathCount.objects.get(
        area_id=area, year=2019, sex=sex, startage=startage, cause_group=cause
    )


def test_shares_are_population_times_postcode_fraction_normalised():
    lookup = {postcode.replace(" ", ""): lsoa for postcode, lsoa in POSTCODES}
    counts = postcode_counts(lookup, ["CV1", "CV2"])
    found = shares_by_population(counts, {A: 1000.0, B: 500.0}.get)
    shares = found.shares.set_index(["district", "lsoa"])["share"]
    assert shares.to_dict() == pytest.approx({("CV1", A): 0.6, ("CV1", B): 0.4, ("CV2", A): 1.0})
    assert found.left_out.to_dict("records") == [{"district": "CV2", "lsoa": NOT_HELD}]


GOOD = [
    "2019-03-01,67,M,,I21.9,CV1",  # heart attack, district only: 0.6 to A, 0.4 to B
    "2019-04-01,68,1,,I219,cv1",  # the same cell; the district in lower case
    "2019-05-01,80,F,,C34.1,CV 2",  # lung cancer at 80, district only: all to A
    "2019-06-01,50,F,E01T91002,C34.1,CV1",  # the LSOA given too: it wins
]


def test_district_deaths_are_shared_by_population_and_sum_back(lsoas, lookup, tmp_path):
    result = import_deaths(write(tmp_path, GOOD))
    heart_a, heart_b = cell(A, "male", 65, "circulatory"), cell(B, "male", 65, "circulatory")
    assert (heart_a.deaths, heart_a.apportioned) == (pytest.approx(1.2), pytest.approx(1.2))
    assert (heart_b.deaths, heart_b.apportioned) == (pytest.approx(0.8), pytest.approx(0.8))
    assert heart_a.preventable == pytest.approx(0.6)  # circulatory under 75 counts one half
    shared, given = cell(A, "female", 80, "cancer"), cell(B, "female", 50, "cancer")
    assert (shared.deaths, shared.apportioned) == (1.0, 1.0)
    assert (given.deaths, given.apportioned) == (1.0, 0.0)
    held = DeathCount.objects.filter(area_id__in=[A, B])
    assert math.fsum(held.values_list("deaths", flat=True)) == pytest.approx(4, abs=1e-12)
    assert math.fsum(held.values_list("apportioned", flat=True)) == pytest.approx(3, abs=1e-12)
    assert result.by_district == {"CV1": 2, "CV2": 1}
    assert result.left_out_lsoas == 1
    assert "3 deaths given only a postcode district (CV1: 2, CV2: 1) were shared" in (
        result.describe()
    )


def test_the_command_reports_the_districts(lsoas, lookup, tmp_path, capsys):
    call_command("import", "deaths", str(write(tmp_path, GOOD)))
    out = capsys.readouterr().out
    assert "(CV1: 2, CV2: 1) were shared across its LSOAs by population" in out
    assert "1 LSOAs of those districts in the postcode lookup" in out


def test_unknown_districts_are_row_errors_and_nothing_is_loaded(lsoas, lookup, tmp_path):
    lines = [
        GOOD[0],
        "2019-03-01,67,M,,I21.9,ZZ9",  # row 3: not in the lookup
        "2019-03-01,67,M,,I21.9,CV3",  # row 4: its only LSOA is not held
        "2019-03-01,67,M,,I21.9,",  # row 5: neither an LSOA nor a district
    ]
    with pytest.raises(IngestError) as raised:
        import_deaths(write(tmp_path, lines))
    found = {(p.row, p.column): p.message for p in raised.value.problems}
    assert set(found) == {(3, "postcode_district"), (4, "postcode_district"), (5, "lsoa_code")}
    assert "'ZZ9' is not a postcode district" in found[(3, "postcode_district")]
    assert "or give a postcode_district" in found[(5, "lsoa_code")]
    assert not DeathCount.objects.filter(area_id__in=[A, B]).exists()


def test_a_2021_code_inside_one_2011_lsoa_counts_in_that_lsoa(db, tmp_path, settings):
    # Real codes and names (ONS): Coventry 031C (E01009642, 2011) was split into Coventry 031E
    # and 031F (E01034743, E01034744) in 2021; the NSPL gives only the 2021 codes.
    parent = LsoaFactory(code="E01009642", name="Coventry 031C")
    PopulationEstimate.objects.create(
        area=parent, year=2019, sex="persons", age=30, count=1500.0, source="test"
    )
    pieces = [("CV1 3AA", "E01034743", "Coventry 031E"), ("CV1 3AB", "E01034744", "Coventry 031F")]
    path = tmp_path / "nspl_extract.csv"
    rows = [
        f"{pc},CV1,CV1 3,E08000026,Coventry,E05001219,Ward,{code},{name}"
        for pc, code, name in pieces
    ]
    path.write_text("\n".join([NSPL_HEADER, *rows]) + "\n", encoding="utf-8")
    settings.POSTCODE_LOOKUP = str(path)
    lines = ["2019-03-01,67,M,E01034744,I21.9,", "2019-03-02,67,M,,I21.9,CV1"]
    import_deaths(write(tmp_path, lines))
    heart = cell("E01009642", "male", 65, "circulatory")
    assert (heart.deaths, heart.apportioned) == (2.0, 1.0)  # the district's only held LSOA
    assert not DeathCount.objects.exclude(area_id="E01009642").exists()


def test_a_2021_lsoa_made_of_several_2011_ones_is_shared_by_population(db, tmp_path, settings):
    # Real codes and names (ONS): Leicester 040A, 040B and 040D (2011) became 040E, 040F and
    # 040G in 2021, several to several; populations made up: 1,000, 3,000 and 1,000.
    held = {"E01013646": "Leicester 040A", "E01013647": "Leicester 040B"}
    held["E01032875"] = "Leicester 040D"
    for (code, name), people in zip(held.items(), (1000.0, 3000.0, 1000.0), strict=True):
        lsoa = LsoaFactory(code=code, name=name)
        PopulationEstimate.objects.create(
            area=lsoa, year=2019, sex="persons", age=30, count=people, source="test"
        )
    new = [("LE2 1AA", "E01034019", "Leicester 040E"), ("LE2 1AB", "E01034020", "Leicester 040F")]
    new.append(("LE2 1AD", "E01034021", "Leicester 040G"))
    path = tmp_path / "nspl_extract.csv"
    rows = [f"{pc},LE2,LE2 1,E06000016,Leicester,E05010458,Ward,{c},{n}" for pc, c, n in new]
    path.write_text("\n".join([NSPL_HEADER, *rows]) + "\n", encoding="utf-8")
    settings.POSTCODE_LOOKUP = str(path)
    result = import_deaths(write(tmp_path, ["2019-03-01,67,M,E01034019,I21.9,"]))
    shares = {code: cell(code, "male", 65, "circulatory").deaths for code in held}
    assert shares == pytest.approx({"E01013646": 0.2, "E01013647": 0.6, "E01032875": 0.2})
    assert result.in_merged_lsoas == 1
    assert "1 deaths given a 2021 LSOA made of several 2011 LSOAs were shared" in (
        result.describe()
    )

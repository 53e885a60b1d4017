"""Closing the gap: deaths to avert and the life expectancy gap, on ONS 2014 deaths by
authority (real) and the demo cities' synthetic record-level deaths, with data twins."""

import io
import json

import openpyxl
import pandas as pd
import pytest

from healthgap.areas.models import Area, AreaType
from healthgap.constants import Role
from healthgap.demo.mortality import load_synthetic_deaths
from healthgap.indicators.models import ImportRecord, IndicatorValue
from healthgap.mortality.models import DeathCount
from tests.accounts.factories import UserFactory
from tests.web.conftest import COVENTRY, LEICESTER

pytestmark = pytest.mark.django_db
PAGE = "/areas/{code}/closing-the-gap"
TABLES = ["deaths_to_avert", "life_expectancy_gap_by_age", "sex_gap_by_age", "trajectory",
          "deprivation_gap_by_cause", "deprivation_gap_by_age", "wards", "sex_gap_by_cause",
          "ward_life_expectancy", "ward_gap_by_age", "ward_gap_by_cause"]  # fmt: skip
# ONS, Deaths registered by area of usual residence, 2014 registrations, Table 1a:
# age-standardised mortality rates per 100,000 persons (2013 European Standard Population) and
# deaths of persons.
ONS_ASMR_2014 = {COVENTRY: 1012.8, LEICESTER: 1108.4, "E92000001": 946.7}
ONS_DEATHS_2014 = {COVENTRY: 2673, LEICESTER: 2458}


def page_of(client, code, query=""):
    response = client.get(PAGE.format(code=code) + query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("code", [COVENTRY, LEICESTER])
def test_both_cities_show_every_view_labelled_synthetic_where_it_is(client, code):
    response = page_of(client, code)
    page = response.context["page"]
    assert [table.name for table in page.tables] == TABLES
    assert page.synthetic
    body = response.content.decode()
    for marker in ["gap-summary", "synthetic-notice", "local-summary", "method"]:
        assert f'data-testid="{marker}"' in body
    assert len(page.table("wards").rows) >= 18


def test_observed_deaths_are_the_ons_2014_registrations(client):
    """ONS, Deaths registered by area of usual residence, England and Wales, 2014, Table 2:
    Coventry 1,276 male and 1,397 female deaths."""
    rows = page_of(client, COVENTRY).context["page"].table("deaths_to_avert").rows
    totals = {row["series"]: row["observed"] for row in rows if row["category"] == "All ages"}
    assert totals == {"Male": 1276, "Female": 1397}


def test_age_bands_add_up_to_each_total(client):
    for target in ("england", "top-quartile"):
        page = page_of(client, COVENTRY, f"?target={target}").context["page"]
        rows = page.table("deaths_to_avert").rows
        for sex in ("Male", "Female"):
            bands = [r["value"] for r in rows if r["series"] == sex and r["category"] != "All ages"]
            total = next(
                r["value"] for r in rows if r["series"] == sex and r["category"] == "All ages"
            )
            assert sum(bands) == pytest.approx(total, abs=0.1 * len(bands))


def test_the_best_quartile_target_asks_more_than_england(client):
    """Coventry's death rates are above England's; the best quartile's edge is below England's,
    so more deaths must be averted to reach it."""

    def total(target):
        page = page_of(client, COVENTRY, f"?target={target}").context["page"]
        rows = page.table("deaths_to_avert").rows
        return sum(r["value"] for r in rows if r["category"] == "All ages")

    assert 0 < total("england") < total("top-quartile")


def test_life_expectancy_gap_adds_up_by_age(client):
    context = page_of(client, LEICESTER).context
    gap = context["page"].table("life_expectancy_gap_by_age").rows
    for sex, le in context["page"].context["published"]["life_expectancy"].items():
        parts = sum(row["value"] for row in gap if row["series"] == sex)
        assert parts == pytest.approx(le["england"] - le["area"], abs=0.11)
        assert le["gap"] > 0  # Leicester's life expectancy was below England's in 2014


def test_twins_json_csv_xlsx(client):
    data = json.loads(client.get(PAGE.format(code=COVENTRY) + ".json").content)
    assert data["synthetic"] is True
    csv_text = client.get(PAGE.format(code=COVENTRY) + "/wards.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("Ward,Code,Deaths a year")
    xlsx = client.get(PAGE.format(code=COVENTRY) + "/deprivation_gap_by_cause.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    causes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert "Circulatory diseases" in causes and "Liver disease" in causes


def test_an_area_without_published_deaths_is_not_found(client):
    response = client.get("/areas/E01009582/closing-the-gap")
    assert response.status_code == 404
    assert "No published deaths" in response.content.decode()


def test_synthetic_deaths_come_through_the_importer_once(client):
    records = ImportRecord.objects.filter(importer="deaths", file_name__contains="synthetic")
    assert records.count() == 2
    before = DeathCount.objects.count()
    assert DeathCount.objects.filter(is_synthetic=False).count() == 0
    load_synthetic_deaths()
    assert DeathCount.objects.count() == before
    assert records.count() == 2


def test_deprivation_gap_within_the_city_adds_up_and_is_plausible(client):
    local = page_of(client, COVENTRY).context["page"].context["local"]
    assert 70 < local["le_most"] < local["le_least"] < 90
    by_age = sum(row["value"] for row in local["ages"])
    by_cause = sum(row["value"] for row in local["causes"])
    assert by_age == pytest.approx(local["le_least"] - local["le_most"], abs=0.15)
    assert by_cause == pytest.approx(by_age, abs=0.05)


def test_ward_deaths_add_up_to_the_city_records(client):
    """As computed (an analyst's view: the public's counts are rounded to 5)."""
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    local = page_of(client, COVENTRY).context["page"].context["local"]
    ward_deaths = sum(row["observed"] for row in local["wards"])
    cause_deaths = sum(row["observed"] for row in local["causes"])
    records = sum(DeathCount.objects.filter(area__parent__parent_id=COVENTRY).values_list(
        "deaths", flat=True))  # fmt: skip
    assert ward_deaths == pytest.approx(records / local["years"], abs=0.1 * len(local["wards"]))
    assert cause_deaths == pytest.approx(records / local["years"], abs=0.1 * len(local["causes"]))


def _sum(rows, **match):
    return sum(r["value"] for r in rows if all(r[k] == v for k, v in match.items()))


@pytest.mark.parametrize("code", [COVENTRY, LEICESTER])
def test_men_and_women_gap_by_age_adds_up_to_their_life_expectancies(client, code):
    published = page_of(client, code).context["page"].context["published"]
    parts = _sum(published["sexes"])
    assert parts == pytest.approx(published["le_women"] - published["le_men"], abs=0.11)
    assert 2 < published["sex_gap"] < 6  # women outlived men in every English authority, 2014
    # Men die more often than women at most ages, so most bands widen the gap.
    assert sum(row["value"] > 0 for row in published["sexes"]) >= 15


@pytest.mark.parametrize("code", [COVENTRY, LEICESTER])
def test_trajectory_starts_at_the_ons_rate_and_ends_with_the_target_dsr_deaths(client, code):
    """The path starts from ONS's published age-standardised rate (Table 1a) and, in its last
    year, asks for (1 - target / rate) x deaths: England's rate is ONS's 946.7."""
    page = page_of(client, code, "?goal=2024").context["page"]
    path = page.context["published"]["trajectory"]
    assert path["baseline"] == pytest.approx(ONS_ASMR_2014[code], abs=0.6)
    assert path["target"] == pytest.approx(ONS_ASMR_2014["E92000001"], abs=0.6)
    rows = page.table("trajectory").rows
    assert [row["category"] for row in rows] == [str(year) for year in range(2014, 2025)]
    assert rows[0]["value"] == 0 and rows[0]["expected"] == path["baseline"]
    assert rows[-1]["expected"] == pytest.approx(path["target"], abs=0.1)
    last = ONS_DEATHS_2014[code] * (1 - ONS_ASMR_2014["E92000001"] / ONS_ASMR_2014[code])
    assert rows[-1]["value"] == pytest.approx(last, rel=0.01)
    steps = [b["expected"] - a["expected"] for a, b in zip(rows, rows[1:])]
    assert max(steps) - min(steps) < 0.3  # equal steps, to rounding


def test_a_percentage_path_falls_by_the_same_share_each_year(client):
    rows = page_of(client, COVENTRY, "?goal=2019&path=percentage").context["page"]
    rows = rows.table("trajectory").rows
    ratios = [b["expected"] / a["expected"] for a, b in zip(rows, rows[1:])]
    assert len(rows) == 6 and max(ratios) - min(ratios) < 0.0005 and ratios[0] < 1


def test_no_path_where_the_area_is_already_below_the_target(client):
    """Leicestershire's rate (ONS 877.2) was below England's (946.7) in 2014."""
    response = page_of(client, "E10000018")
    assert "trajectory" not in [table.name for table in response.context["page"].tables]
    assert 'data-testid="no-trajectory"' in response.content.decode()


def test_men_and_women_by_cause_add_up_to_their_gap(client):
    local = page_of(client, LEICESTER).context["page"].context["local"]
    assert {row["category"] for row in local["sex_causes"]} >= {"Circulatory diseases"}
    assert _sum(local["sex_causes"]) == pytest.approx(local["sex_le_gap"], abs=0.05)
    assert 0 < local["sex_le_gap"] < 10


def test_each_ward_against_the_city_adds_up_by_age_and_by_cause(client):
    page = page_of(client, COVENTRY).context["page"]
    ward = page.context["local"]["ward_gap"]
    ranked = page.table("ward_life_expectancy").rows
    assert len(ranked) == 18 and ward["code"] == ranked[0]["code"]  # the widest gap by default
    assert len({row["city"] for row in ranked}) == 1
    gaps = [row["value"] for row in ranked]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] > 0 > gaps[-1]
    for row in ranked:
        assert row["value"] == pytest.approx(row["city"] - row["area"], abs=0.11)
    chosen = ranked[-1]
    page = page_of(client, COVENTRY, f"?ward={chosen['code']}").context["page"]
    assert page.filter_values()["ward"] == chosen["code"]
    by_age = _sum(page.table("ward_gap_by_age").rows)
    by_cause = _sum(page.table("ward_gap_by_cause").rows)
    assert by_age == pytest.approx(chosen["value"], abs=0.05)
    assert by_cause == pytest.approx(chosen["value"], abs=0.05)


def test_an_unknown_ward_falls_back_to_the_widest_gap(client):
    page = page_of(client, LEICESTER, "?ward=E05001218").context["page"]  # a Coventry ward
    ranked = page.table("ward_life_expectancy").rows
    assert page.filter_values()["ward"] == ranked[0]["code"]


def _ons_under_75_deaths(shared_data, code: str) -> dict[str, int]:
    """ONS 2014 Table 2 deaths of the area under 75, by sex, from the published file."""
    table = pd.read_csv(shared_data / "mortality/ons_deaths_area_2014_table2_by_age_sex_tidy.csv")
    table = table[(table["area_code_from_mye2"] == code) & (table["age_band"] != "All ages")]
    young = table[table["age_band"].str.extract(r"^(\d+)")[0].astype(int) < 75]
    return young.groupby("sex")["deaths"].sum().to_dict()


def test_england_least_deprived_decile_target_counts_deaths_under_75(client, shared_data):
    """The least deprived tenth of England's LSOAs (ONS ad hoc 007710, 2014) had lower death
    rates under 75 than England as a whole: more deaths to avert than against England's rates
    at the same ages."""
    decile = page_of(client, COVENTRY, "?target=least-deprived-decile").context["page"]
    rows = decile.table("deaths_to_avert").rows
    assert [r["category"] for r in rows if r["series"] == "Male"][-2:] == ["70-74", "Under 75"]
    observed = {r["series"]: r["observed"] for r in rows if r["total"]}
    assert observed == _ons_under_75_deaths(shared_data, COVENTRY)
    england = page_of(client, COVENTRY).context["page"].table("deaths_to_avert").rows
    young = {"<1", "1-4", *[f"{a}-{a + 4}" for a in range(5, 75, 5)]}
    for sex in ("Male", "Female"):
        against_decile = next(r["value"] for r in rows if r["total"] and r["series"] == sex)
        against_england = sum(
            r["value"] for r in england if r["series"] == sex and r["category"] in young
        )
        assert against_decile > against_england > 0


def test_decile_target_path_starts_at_the_under_75_rate(client):
    """The path starts at the area's under-75 DSR, the figure of the premature mortality
    indicator healthgap computes from the same ONS files."""
    page = page_of(client, LEICESTER, "?target=least-deprived-decile").context["page"]
    path = page.context["published"]["trajectory"]
    u75 = IndicatorValue.objects.get(
        indicator_id="108", area_id=LEICESTER, sex="Persons", period__label="2014"
    )
    assert path["baseline"] == pytest.approx(u75.value, abs=0.1)
    assert path["target"] < path["baseline"]
    assert page.table("trajectory").rows[-1]["expected"] == pytest.approx(path["target"], abs=0.1)


def test_decile_deaths_are_stored_as_published(shared_data):
    from healthgap.mortality.models import DecileDeaths

    for kind, field in (("deaths", "deaths"), ("population", "population")):
        wide = pd.read_csv(
            shared_data / f"mortality/ons_{kind}_u75_by_imd_decile_sex_single_age_england_"
            "2001_2016.csv"
        )
        published = wide[(wide["year"] == 2014) & (wide["imd10"] == 10)].iloc[:, 3:].sum().sum()
        stored = DecileDeaths.objects.filter(year=2014, decile=10).values_list(field, flat=True)
        assert sum(stored) == pytest.approx(published)


def test_the_page_is_offered_only_to_areas_with_published_deaths(client):
    """The crawl over the demo found PCN pages linking to a closing-the-gap page that answered
    404: an area without ONS deaths by age band is no longer offered it."""
    ward = Area.objects.filter(parent_id=COVENTRY, area_type=AreaType.WARD).first()
    link = 'href="/areas/{code}/{page}"'
    city_page = client.get(f"/areas/{COVENTRY}").content.decode()
    assert link.format(code=COVENTRY, page="closing-the-gap") in city_page
    ward_page = client.get(f"/areas/{ward.code}").content.decode()
    assert link.format(code=ward.code, page="profile") in ward_page
    assert link.format(code=ward.code, page="closing-the-gap") not in ward_page
    assert client.get(PAGE.format(code=ward.code)).status_code == 404

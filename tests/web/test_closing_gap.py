"""Closing the gap: deaths to avert and the life expectancy gap, on ONS 2014 deaths by
authority (real) and the demo cities' synthetic record-level deaths, with data twins."""

import io
import json

import openpyxl
import pytest

from healthgap.constants import Role
from healthgap.demo.mortality import load_synthetic_deaths
from healthgap.indicators.models import ImportRecord
from healthgap.mortality.models import DeathCount
from tests.accounts.factories import UserFactory
from tests.web.conftest import COVENTRY, LEICESTER

pytestmark = pytest.mark.django_db
PAGE = "/areas/{code}/closing-the-gap"
TABLES = ["deaths_to_avert", "life_expectancy_gap_by_age", "deprivation_gap_by_cause",
          "deprivation_gap_by_age", "wards"]  # fmt: skip


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

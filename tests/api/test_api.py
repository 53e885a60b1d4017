"""The open-data API (/api/v1/): answers, formats, licence, caching, rate limit, bad input,
published programmes only, and disclosure control of values that need it."""

import csv
import io
import math

import pytest
from django.core.cache import cache
from django.test import override_settings
from openpyxl import load_workbook

from healthgap.constants import ENGLAND_CODE, FEMALE, MALE, Role
from healthgap.delivery.models import Programme
from healthgap.indicators.models import ValueType
from healthgap.publishing import services
from tests.accounts.factories import UserFactory
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    UpperTierFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def city_with_wards():
    """Coventry and three wards with counts 4, 12 and 30 of a count indicator (46 in all)."""
    city = UpperTierFactory()
    wards = [WardFactory(parent=city) for _ in range(3)]
    return city, wards


def _counts(indicator, city, wards, counts):
    IndicatorValueFactory(
        indicator=indicator, area=city, count=sum(counts), value=sum(counts), denominator=None
    )
    for ward, count in zip(wards, counts):
        IndicatorValueFactory(
            indicator=indicator, area=ward, count=count, value=count, denominator=None
        )


def test_every_answer_carries_the_licence_and_attribution(client, city_with_wards):
    answer = client.get("/api/v1/areas", {"parent": "E08000026"})
    body = answer.json()
    assert body["ok"] is True
    assert body["licence"]["url"] == LICENCE_URL
    assert "Open Government Licence" in body["attribution"]
    assert {row["code"] for row in body["results"]} == {w.code for w in city_with_wards[1]}
    download = client.get("/api/v1/areas", {"parent": "E08000026", "format": "csv"})
    assert LICENCE_URL in download["Link"]
    assert "Open Government Licence" in download["X-Attribution"]
    error = client.get("/api/v1/areas/E99999999")
    assert LICENCE_URL in error["Link"]


def test_area_hierarchy_goes_up_to_england(client, city_with_wards):
    ward = city_with_wards[1][0]
    result = client.get(f"/api/v1/areas/{ward.code}").json()["result"]
    assert [a["code"] for a in result["ancestors"]] == ["E08000026", "E12000005", ENGLAND_CODE]
    children = client.get(result["children_url"]).json()["results"]
    assert children == []


def test_pages_link_to_each_other_and_stay_stable(client, city_with_wards):
    first = client.get("/api/v1/areas", {"parent": "E08000026", "page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["next"] is None and len(second["results"]) == 1
    codes = [r["code"] for r in first["results"] + second["results"]]
    assert codes == sorted(w.code for w in city_with_wards[1])


def test_csv_and_xlsx_hold_the_same_rows_as_json(client, city_with_wards):
    query = {"parent": "E08000026"}
    rows = client.get("/api/v1/areas", query).json()["results"]
    text = client.get("/api/v1/areas", {**query, "format": "csv"}).content.decode()
    assert [r["code"] for r in csv.DictReader(io.StringIO(text))] == [r["code"] for r in rows]
    xlsx = client.get("/api/v1/areas", {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        r["code"] for r in rows
    ]


def test_etag_gives_not_modified_and_public_caching(client, city_with_wards):
    first = client.get("/api/v1/areas/E08000026")
    assert first["Cache-Control"].startswith("public, max-age=")
    again = client.get("/api/v1/areas/E08000026", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_signed_in_answers_are_never_stored(client, city_with_wards):
    user = UserFactory(roles=[Role.ANALYST])
    client.force_login(user)
    answer = client.get("/api/v1/areas/E08000026")
    assert answer["Cache-Control"] == "private, no-store" and "ETag" not in answer


@override_settings(API_RATE_LIMIT="3/m")
def test_each_client_is_rate_limited(client, city_with_wards):
    statuses = [client.get("/api/v1/areas/E08000026").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/areas/E08000026")
    assert limited.json()["status"] == 429 and int(limited["Retry-After"]) > 0
    other = client.get("/api/v1/areas/E08000026", REMOTE_ADDR="127.0.0.9")
    assert other.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/areas?page_size=100000",
        "/api/v1/areas?page=0",
        "/api/v1/areas?page=abc",
        "/api/v1/areas?type=planet",
        "/api/v1/values",
        "/api/v1/values?indicator=nothing-like-it",
        "/api/v1/areas/E99999999",
        "/api/v1/indicators/nothing-like-it",
        "/api/v1/programmes/99999999",
        "/api/v1/programmes/-1",
        "/api/v1/areas?format=pdf",
        "/api/v1/strategies/0",
        "/api/v1/measures/99999999",
        "/api/v1/measures?strategy=x",
        "/api/v1/meetings/99999999",
        "/api/v1/meetings?until=0",
        "/api/v1/decisions?since=2026-02-30",
    ],
)
def test_bad_input_gets_a_4xx_in_the_one_error_shape(client, url):
    answer = client.get(url)
    assert 400 <= answer.status_code < 500
    body = answer.json()
    assert body == {"ok": False, "status": answer.status_code, "error": body["error"]}
    assert body["error"]


def test_only_published_programmes_are_served(client):
    author = UserFactory(roles=[Role.PROGRAMME_LEAD])
    draft = services.create(Programme(name="Draft plan"), author)
    public = services.create(Programme(name="Published plan"), author)
    services.publish(public, author)
    names = [row["name"] for row in client.get("/api/v1/programmes").json()["results"]]
    assert "Published plan" in names and "Draft plan" not in names
    assert client.get(f"/api/v1/programmes/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/programmes/{public.pk}").json()["result"]["name"] == (
        "Published plan"
    )


def _ward_counts(client, indicator, **query):
    rows = client.get("/api/v1/values", {"indicator": indicator.code, **query}).json()["results"]
    return {row["area"]: (row["count"], row["suppressed"]) for row in rows}


def test_small_counts_are_suppressed_and_cannot_be_recovered(client, city_with_wards):
    """NHS England's rule for Hospital Episode Statistics (NHS Digital, "Hospital Episode
    Statistics (HES) Analysis Guide", disclosure control): counts 1-7 shown as "*", other
    counts rounded to the nearest 5. Ward counts 4, 12 and 30 in a city of 46: 4 is suppressed,
    and 12 too, else 46 - 30 - 12 would give it back."""
    city, wards = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.COUNT, needs_disclosure_control=True)
    _counts(indicator, city, wards, [4, 12, 30])
    shown = _ward_counts(client, indicator)
    assert shown == {
        city.code: (45.0, False),
        wards[0].code: (None, True),
        wards[1].code: (None, True),
        wards[2].code: (30.0, False),
    }
    # Asking for one ward alone does not weaken the protection.
    assert _ward_counts(client, indicator, area=wards[1].code) == {wards[1].code: (None, True)}


def test_each_indicator_is_published_under_its_own_rule(client, city_with_wards):
    """The same ward counts 9, 14 and 30 (53 in the city) under two indicators. Under NHS
    England's rule (1-7, rounded to 5) nothing is suppressed: 10, 15, 30 and 55. Under a stricter
    rule set on the indicator (1-9 suppressed, rounded to 10) the 9 is suppressed, the 14 with it
    (else 53 - 30 - 14 would give it back) and the city is rounded to 50."""
    city, wards = city_with_wards
    default = IndicatorFactory(value_type=ValueType.COUNT, needs_disclosure_control=True)
    stricter = IndicatorFactory(
        value_type=ValueType.COUNT,
        needs_disclosure_control=True,
        suppress_counts_up_to=9,
        round_counts_to=10,
    )
    for indicator in (default, stricter):
        _counts(indicator, city, wards, [9, 14, 30])
    assert _ward_counts(client, default) == {
        city.code: (55.0, False),
        wards[0].code: (10.0, False),
        wards[1].code: (15.0, False),
        wards[2].code: (30.0, False),
    }
    assert _ward_counts(client, stricter) == {
        city.code: (50.0, False),
        wards[0].code: (None, True),
        wards[1].code: (None, True),
        wards[2].code: (30.0, False),
    }
    rows = client.get("/api/v1/values", {"indicator": stricter.code}).json()["results"]
    reasons = {row["area"]: row["disclosure"] for row in rows}
    assert reasons[wards[0].code] == "primary: count 1-9"


def test_analysts_see_unsuppressed_figures_marked_as_such(client, city_with_wards):
    city, wards = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.COUNT, needs_disclosure_control=True)
    _counts(indicator, city, wards, [4, 12, 30])
    user = UserFactory(roles=[Role.ANALYST])
    client.force_login(user)
    rows = client.get("/api/v1/values", {"indicator": indicator.code}).json()["results"]
    assert sorted(row["count"] for row in rows) == [4, 12, 30, 46]
    assert all(row["disclosure"].startswith("Unsuppressed") for row in rows)


def test_sexes_cannot_be_subtracted_from_persons(client, city_with_wards):
    city, _ = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.COUNT, needs_disclosure_control=True)
    for sex, count in (("Persons", 40), (MALE, 3), (FEMALE, 37)):
        IndicatorValueFactory(indicator=indicator, area=city, sex=sex, count=count, value=count)
    rows = client.get("/api/v1/values", {"indicator": indicator.code}).json()["results"]
    by_sex = {row["sex"]: row["count"] for row in rows}
    assert by_sex == {"Persons": 40.0, MALE: None, FEMALE: None}


def test_open_source_figures_keep_their_own_treatment(client, city_with_wards):
    city, wards = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.COUNT)  # e.g. a Fingertips export
    _counts(indicator, city, wards, [4, 12, 30])
    shown = _ward_counts(client, indicator)
    assert shown[wards[0].code] == (4.0, False) and shown[city.code] == (46.0, False)


def test_programmes_download_as_a_workbook_with_dates_as_text(client):
    """Found by the fuzzer: publication times (with a time zone) broke the XLSX."""
    author = UserFactory(roles=[Role.PROGRAMME_LEAD])
    services.publish(services.create(Programme(name="Dated plan"), author), author)
    answer = client.get("/api/v1/programmes", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(answer.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    published = [dict(zip(header, row)) for row in rows if row[1] == "Dated plan"][0]
    assert published["published_at"].startswith("20")


def _proportions(indicator, city, wards, counts, denominators, with_counts=True):
    """A proportion (percentage) for the city and each ward, as count of denominator."""
    for area, count, denominator in zip(
        [city, *wards], [sum(counts), *counts], [sum(denominators), *denominators]
    ):
        IndicatorValueFactory(
            indicator=indicator,
            area=area,
            count=count if with_counts else None,
            denominator=denominator,
            value=round(100 * count / denominator, 4),
            lower95=0,
            upper95=100,
        )


def _shown_rows(client, indicator) -> dict:
    rows = client.get("/api/v1/values", {"indicator": indicator.code}).json()["results"]
    return {row["area"]: row for row in rows}


def _wilson(count, n, z=1.959963984540054):
    """The Wilson score interval, in percent."""
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_a_proportion_follows_its_rounded_count(client, city_with_wards):
    """A percentage times its denominator would give the true count back: where the count is
    rounded (46 of 1,000 shown as 45) the value and its Wilson limits are those of the rounded
    count (45 of 1,000 is 4.5%, with the Wilson score interval written out below from Wilson
    (1927), J Am Stat Assoc 22:209-212, as in PHE's "Technical Guide: Confidence intervals"),
    and the suppressed wards (4 of 100, then 12 of 300 to protect it) show no value or
    limits."""
    city, wards = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.PROPORTION, needs_disclosure_control=True)
    _proportions(indicator, city, wards, [4, 12, 30], [100, 300, 600])
    shown = _shown_rows(client, indicator)
    whole = shown[city.code]
    assert whole["count"] == 45 and whole["value"] == pytest.approx(4.5)
    assert whole["value"] * whole["denominator"] / 100 == pytest.approx(45)
    assert (whole["lower95"], whole["upper95"]) == pytest.approx(_wilson(45, 1000), abs=1e-9)
    for ward in wards[:2]:
        row = shown[ward.code]
        assert row["suppressed"] and row["count"] is None and row["value"] is None
        assert all(row[limit] is None for limit in ("lower95", "upper95", "lower998", "upper998"))
    assert shown[wards[2].code]["value"] == pytest.approx(5.0)  # 30 of 600: a multiple of 5


def test_a_proportion_without_its_count_is_controlled_by_the_count_it_implies(
    client, city_with_wards
):
    """No count held, but 4% of 100 is 4 people: suppressed all the same."""
    city, wards = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.PROPORTION, needs_disclosure_control=True)
    _proportions(indicator, city, wards, [4, 12, 30], [100, 300, 600], with_counts=False)
    shown = _shown_rows(client, indicator)
    assert shown[wards[0].code]["suppressed"] and shown[wards[0].code]["value"] is None
    assert shown[wards[1].code]["suppressed"]


def test_age_bands_cannot_be_subtracted_from_all_ages(client, city_with_wards):
    city, _ = city_with_wards
    indicator = IndicatorFactory(value_type=ValueType.COUNT, needs_disclosure_control=True)
    for age, count in (("All ages", 50), ("0-64 yrs", 45), ("65+ yrs", 5)):
        IndicatorValueFactory(indicator=indicator, area=city, age=age, count=count, value=count)
    rows = client.get("/api/v1/values", {"indicator": indicator.code}).json()["results"]
    by_age = {row["age"]: row["count"] for row in rows}
    assert by_age == {"All ages": 50.0, "0-64 yrs": None, "65+ yrs": None}

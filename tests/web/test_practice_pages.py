"""GP practice pages (issue 12) on the demo's real practice files: the practice profile, funnel
plots (with overdispersion), case finding and admissions growth, each with its data twins."""

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from healthgap.demo.loader import demo_file
from healthgap.practices.models import PracticeAgeSexList
from tests.web.conftest import COVENTRY, ENGLAND

pytestmark = pytest.mark.django_db
B2M3M = "E38000251"  # NHS Coventry and Warwickshire ICB - B2M3M (sub-ICB location)
QOF = demo_file("gp_practice/nhsd_qof_2022-23_prevalence_by_practice_demo.csv")


@pytest.fixture(scope="module")
def qof():
    return pd.read_csv(QOF, dtype={"PRACTICE_CODE": str})


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_practice_profile_and_its_twins(client, qof):
    response = client.get("/practices/C82005")
    assert response.status_code == 200
    body = response.content.decode()
    total = qof[(qof["PRACTICE_CODE"] == "C82005") & (qof["PATIENT_LIST_TYPE"] == "TOTAL")]
    assert f"{int(total['PRACTICE_LIST_SIZE'].iat[0]):,}" in body  # 10,658 on the QOF file
    assert "Primary care network" in body and "Integrated care board" in body
    data = _json(client, "/practices/C82005.json")
    hypertension = next(
        r for r in data["tables"]["indicators"] if r["name"].endswith("hypertension")
    )
    row = qof[(qof["PRACTICE_CODE"] == "C82005") & (qof["GROUP_CODE"] == "HYP")].iloc[0]
    assert hypertension["count"] == row["REGISTER"]
    assert hypertension["denominator"] == row["PRACTICE_LIST_SIZE"]
    lines = client.get("/practices/C82005/list.csv").content.decode().splitlines()
    assert lines[0] == "Age band,Patients,% of the list,QOF year"
    assert len(lines) == 7  # 0-5, 6-15, 16, 17, 18-49, 50+
    missing = client.get("/practices/Z99999.json")
    assert missing.status_code == 404 and json.loads(missing.content)["ok"] is False


def test_synthetic_indicators_are_labelled_on_the_profile(client):
    body = client.get("/practices/C82005").content.decode()
    assert 'data-testid="synthetic-notice"' in body and "fixed seed" in body


def test_funnel_average_is_the_practices_pooled_prevalence(client, qof):
    data = _json(client, f"/areas/{B2M3M}/practice-funnel.json?indicator=qof_HYP")
    practices = data["tables"]["practices"]
    codes = {row["code"] for row in practices}
    hyp = qof[(qof["GROUP_CODE"] == "HYP") & qof["PRACTICE_CODE"].isin(codes)]
    assert len(hyp) == len(practices) > 100
    average = hyp["REGISTER"].sum() / hyp["PRACTICE_LIST_SIZE"].sum() * 100
    response = client.get(f"/areas/{B2M3M}/practice-funnel?indicator=qof_HYP")
    assert response.context["page"].context["average"] == pytest.approx(average, abs=0.01)
    for row in data["tables"]["outliers"]:
        outside = row["value"] < row["limit_low_95"] or row["value"] > row["limit_high_95"]
        assert outside, row
        assert row["significance"] != "Similar"


def test_funnel_points_link_to_their_practices(client):
    response = client.get(f"/areas/{B2M3M}/practice-funnel")
    spec = response.context["page"].charts["funnel"].spec
    points = spec["layer"][1]["data"]["values"]
    assert all(point["url"] == f"/practices/{point['code']}" for point in points)
    assert client.get(points[0]["url"]).status_code == 200


def test_overdispersion_widens_the_limits_and_gives_z_scores(client):
    plain = _json(client, f"/areas/{B2M3M}/practice-funnel.json?indicator=qof_HYP")
    adjusted = _json(
        client, f"/areas/{B2M3M}/practice-funnel.json?indicator=qof_HYP&overdispersion=yes"
    )
    assert len(adjusted["tables"]["outliers"]) < len(plain["tables"]["outliers"])
    for row in adjusted["tables"]["outliers"]:
        assert abs(row["z_adjusted"]) > 1.959
    body = client.get(
        f"/areas/{B2M3M}/practice-funnel?indicator=qof_HYP&overdispersion=yes"
    ).content.decode()
    assert 'data-testid="overdispersion"' in body and "tau" in body


def test_rate_funnel_for_a_and_e_attendances(client):
    data = _json(client, f"/areas/{B2M3M}/practice-funnel.json?indicator=93930")
    rows = data["tables"]["practices"]
    assert rows and all(row["value"] > 0 for row in rows)
    assert data["filters"]["period"] == "2021/22"


def test_case_finding_expected_register_from_england_prevalence(client, qof):
    data = _json(client, f"/areas/{COVENTRY}/case-finding.json?indicator=qof_DM")
    rows = data["tables"]["case_finding"]
    england = qof[(qof["PRACTICE_CODE"] == ENGLAND) & (qof["GROUP_CODE"] == "DM")].iloc[0]
    reference = england["REGISTER"] / england["PRACTICE_LIST_SIZE"]
    for row in rows[:5]:
        own = qof[(qof["PRACTICE_CODE"] == row["code"]) & (qof["GROUP_CODE"] == "DM")].iloc[0]
        expected = own["PRACTICE_LIST_SIZE"] * reference  # the 17+ list x England's prevalence
        assert row["expected"] == pytest.approx(expected, abs=0.06)
        assert row["observed"] == own["REGISTER"]
        assert row["missing"] == pytest.approx(max(0.0, expected - own["REGISTER"]), abs=0.1)
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["missing"] >= rows[-1]["missing"]
    wards = data["tables"]["wards"]  # mapped by the ward of each practice's postcode
    assert len(wards) == 18 and sum(ward["practices"] for ward in wards) == len(rows)
    assert sum(w["missing"] for w in wards) == pytest.approx(
        sum(r["missing"] for r in rows), abs=10
    )


def test_admissions_growth_in_the_reviewers_words(client):
    response = client.get(f"/areas/{COVENTRY}/admissions-growth")
    body = response.content.decode()
    assert 'data-testid="synthetic-notice"' in body
    headline = re.search(r'data-testid="growth-headline">(.*?)</div>', body, re.S).group(1)
    assert re.search(r"grew \d+\.\d% against a cluster average of \d+\.\d%", headline)
    data = _json(client, f"/areas/{COVENTRY}/admissions-growth.json")
    rows = data["tables"]["growth"]
    before = sum(row["before"] for row in rows)
    after = sum(row["after"] for row in rows)
    cluster = response.context["page"].context["summary"]["cluster_growth"]
    # Lists differ slightly between the years, so compare with the count growth loosely.
    assert cluster == pytest.approx(100 * (after / before - 1), abs=1.5)
    lines = list(
        csv.reader(
            io.StringIO(
                client.get(f"/areas/{COVENTRY}/admissions-growth/growth.csv").content.decode()
            )
        )
    )
    assert lines[0][-1] == "In words" and len(lines) == len(rows) + 1


def test_practice_pages_appear_in_the_nav_only_where_there_are_practices(client):
    coventry = client.get(f"/areas/{COVENTRY}/profile").content.decode()
    england = client.get(f"/areas/{ENGLAND}/profile").content.decode()
    assert f"/areas/{COVENTRY}/case-finding" in coventry
    assert f"/areas/{ENGLAND}/case-finding" not in england


def test_a_funnels_scale_spans_the_practices_not_the_limits_of_the_smallest_lists():
    from healthgap.web.practice_charts import funnel

    points = [{"x": x, "y": y, "significance": "Similar"} for x, y in [(5, 60), (900, 150)]]
    lines = [{"x": 1, "y": 100_000, "line": "99.8% limits", "side": "upper"}]
    spec = funnel("f", "Funnel", "A funnel.", points, lines, x_title="x", y_title="y").spec
    assert spec["layer"][1]["encoding"]["y"]["scale"]["domain"] == [46.5, 163.5]
    assert spec["layer"][0]["mark"]["clip"] is True


# Bands that the demo's (example) five-year lists by age and sex hold whole.
MODEL = (
    "condition,age_band,sex,prevalence\nDM,0-14,Persons,0\nDM,15-49,Persons,3\nDM,50+,Persons,12\n"
)


def _upload(client, text, name="Test diabetes model"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("model.csv", text.encode(), content_type="text/csv")
    return client.post(
        "/workspace/practices/prevalence/new",
        {"name": name, "source": "Written for this test", "file": upload},
    )


@pytest.fixture
def analyst_client(client):
    from healthgap.constants import Role
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.ANALYST]))
    return client


def test_case_finding_with_an_uploaded_modelled_prevalence(analyst_client, qof):
    response = _upload(analyst_client, MODEL)
    assert response.status_code == 302
    listing = analyst_client.get("/workspace/practices/prevalence/").content.decode()
    assert "Test diabetes model" in listing and "DM" in listing
    page = analyst_client.get(f"/areas/{COVENTRY}/case-finding?indicator=qof_DM")
    reference = dict(page.context["page"].filters[-1].options)
    key = next(key for key, label in reference.items() if label.startswith("Test diabetes"))
    data = _json(
        analyst_client, f"/areas/{COVENTRY}/case-finding.json?indicator=qof_DM&reference={key}"
    )
    rows = data["tables"]["case_finding"]
    assert rows
    for row in rows[:5]:
        # Worked by hand from the practice's list by sex and five-year band (the demo's example
        # lists): the 15-49s at 3%, the 50+ at 12%, children under 15 at 0.
        assert row["basis"] == "age-sex list"
        bands = PracticeAgeSexList.objects.filter(practice=row["code"])
        aged_15_49 = sum(
            bands.filter(age_start__gte=15, age_start__lt=50).values_list("patients", flat=True)
        )
        older = sum(bands.filter(age_start__gte=50).values_list("patients", flat=True))
        assert row["expected"] == pytest.approx(aged_15_49 * 0.03 + older * 0.12, abs=0.06)
    body = analyst_client.get(
        f"/areas/{COVENTRY}/case-finding?indicator=qof_DM&reference={key}"
    ).content.decode()
    assert "Test diabetes model" in body and 'data-testid="age-sex-basis"' in body
    assert 'data-testid="example-notice"' in body  # the demo's lists by age and sex are examples


def test_a_bad_modelled_prevalence_file_is_refused_with_its_rows(analyst_client):
    from healthgap.practices.models import ModelledPrevalence

    bad = MODEL + "DM,40-60,Persons,5\nDM,10-20,Nobody,3\n"
    response = _upload(analyst_client, bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "model.csv, row 6, column &#x27;sex&#x27;" in body
    assert 'data-testid="error-summary"' in body
    assert not ModelledPrevalence.objects.exists()


def test_only_analysts_and_administrators_upload_modelled_prevalence(client):
    from healthgap.constants import Role
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEAD]))
    assert client.get("/workspace/practices/prevalence/").status_code == 200
    assert client.get("/workspace/practices/prevalence/new").status_code == 403
    assert _upload(client, MODEL).status_code == 403


def test_the_practices_page_leads_internal_users_to_modelled_prevalence(client):
    from healthgap.constants import Role
    from tests.accounts.factories import UserFactory

    link = 'href="/workspace/practices/prevalence/"'
    assert link not in client.get("/practices/").content.decode()
    for role, shown in [(Role.PEER_REVIEWER, False), (Role.PROGRAMME_LEAD, True)]:
        client.force_login(UserFactory(roles=[role]))
        assert (link in client.get("/practices/").content.decode()) is shown


def test_admissions_growth_at_icb_level_against_the_other_icb():
    """Each ICB's admissions summed over its practices; with two ICBs held, each is compared
    with the other. Worked by hand: ratio of rate ratios (a2/na2)/(a1/na1) / ((b2/nb2)/(b1/nb1)),
    95% limits exp(log ratio -/+ 1.96 sqrt(1/a1 + 1/a2 + 1/b1 + 1/b2)) (Altman & Bland, BMJ
    2003;326:219)."""
    from django.test import Client

    from healthgap.areas.models import Area, AreaType
    from healthgap.indicators.models import IndicatorValue
    from healthgap.practices.queries import practice_groups

    url = f"/areas/{COVENTRY}/admissions-growth.json?indicator=SYN-GP-ELECTIVE&level=icb"
    rows = _json(Client(), url)["tables"]["growth"]
    values = IndicatorValue.objects.filter(
        indicator_id="SYN-GP-ELECTIVE", area__area_type=AreaType.GP_PRACTICE
    ).values_list("area_id", "period__label", "count", "denominator")
    frame = pd.DataFrame(list(values), columns=["practice", "period", "count", "patients"])
    icbs = practice_groups(list(frame["practice"].unique()), AreaType.ICB)
    frame["icb"] = frame["practice"].map(lambda p: icbs[p].code)
    sums = frame.groupby(["icb", "period"])[["count", "patients"]].sum()
    assert {row["code"] for row in rows} == set(frame["icb"]) and len(rows) == 2
    for row in rows:
        other = next(r["code"] for r in rows if r["code"] != row["code"])
        a1, na1 = sums.loc[(row["code"], "2021/22")]
        a2, na2 = sums.loc[(row["code"], "2022/23")]
        b1, nb1 = sums.loc[(other, "2021/22")]
        b2, nb2 = sums.loc[(other, "2022/23")]
        ratio = (a2 / na2) / (a1 / na1) / ((b2 / nb2) / (b1 / nb1))
        half = 1.959964 * np.sqrt(1 / a1 + 1 / a2 + 1 / b1 + 1 / b2)
        assert row["before"] == a1 and row["after"] == a2
        assert row["ratio"] == pytest.approx(ratio, abs=0.0006)
        assert row["lower95"] == pytest.approx(ratio * np.exp(-half), abs=0.0006)
        assert row["upper95"] == pytest.approx(ratio * np.exp(half), abs=0.0006)
    coventry_icb = Area.objects.get(code="E54000018").name
    body = Client().get(url.replace(".json", "")).content.decode()
    headline = re.search(r'data-testid="growth-headline">(.*?)</div>', body, re.S).group(1)
    assert coventry_icb in headline  # the area's own ICB leads
    for row in rows:  # each ICB links to its own practices' growth
        assert f'href="/areas/{row["code"]}/admissions-growth?indicator=SYN-GP-ELECTIVE' in body
    assert re.search(r"grew \d+\.\d% against a cluster average of \d+\.\d%", headline)


def test_admissions_growth_by_primary_care_network_sums_its_practices():
    from django.test import Client

    base = f"/areas/{B2M3M}/admissions-growth.json?indicator=SYN-GP-ELECTIVE"
    practices = _json(Client(), base)["tables"]["growth"]
    networks = _json(Client(), f"{base}&level=pcn")["tables"]["growth"]
    assert 10 < len(networks) < len(practices)
    assert sum(row["after"] for row in networks) <= sum(row["after"] for row in practices)
    sowe_valley = next(row for row in networks if row["code"] == "U68252")
    assert sowe_valley["name"] == "Sowe Valley PCN"

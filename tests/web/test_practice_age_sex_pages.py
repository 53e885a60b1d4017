"""Practices' lists by age and sex on the demo (issue 12): the demo's lists are EXAMPLES (the
real all-ages list of NHS Digital's May 2022 file split by the age and sex of the people around
the practice), shown as a pyramid on the practice profile with its twins, and labelled
"example" wherever they are shown."""

import json
import re

import pandas as pd
import pytest

from healthgap.demo.loader import demo_file
from healthgap.demo.practice_age_sex import load_example_age_sex_lists
from healthgap.indicators.models import ImportRecord
from healthgap.practices.models import PracticeAgeSexList

pytestmark = pytest.mark.django_db
ALL_AGES = demo_file("gp_practice/nhsd_gp_registered_patients_by_practice_england_2022-05.csv")


def _real_list(code: str) -> int:
    frame = pd.read_csv(ALL_AGES, dtype={"CODE": str})
    return int(frame.loc[frame["CODE"] == code, "NUMBER_OF_PATIENTS"].iat[0])


def test_the_profile_shows_the_example_pyramid_with_its_twins(client):
    body = client.get("/practices/C82005").content.decode()
    assert 'id="practice-age-sex"' in body and "Registered patients by age and sex" in body
    assert 'data-testid="example-notice"' in body and "example" in body
    data = json.loads(client.get("/practices/C82005.json").content)
    rows = data["tables"]["age_sex"]
    assert [row["band"] for row in rows][:2] == ["0-4", "5-9"] and rows[-1]["band"] == "95+"
    assert len(rows) == 20 and {row["data"] for row in rows} == {"example"}
    assert sum(row["male"] + row["female"] for row in rows) == _real_list("C82005")
    assert sum(r["male_percent"] + r["female_percent"] for r in rows) == pytest.approx(100, 0.01)
    lines = client.get("/practices/C82005/age_sex.csv").content.decode().splitlines()
    assert lines[0] == "Age band,Men,Women,% of the list: men,% of the list: women,Month,Data"
    assert len(lines) == 21 and lines[1].endswith(",2022-05,example")
    found = re.search(r'<script id="practice-age-sex-spec"[^>]*>(.*?)</script>', body, re.DOTALL)
    spec = json.loads(found.group(1))
    assert len(spec["data"]["values"]) == 40  # a bar for each sex in each band


def test_the_example_lists_follow_the_people_around_the_practice():
    # Every open demo practice in the May 2022 file has a list adding up to its real list, and
    # the split is not flat: more of a city-centre practice's list is young adults than aged 75+.
    lists = pd.DataFrame(
        PracticeAgeSexList.objects.values("practice", "age_start", "patients", "is_example")
    )
    assert lists["is_example"].all()
    totals = lists.groupby("practice")["patients"].sum()
    assert totals["C82005"] == _real_list("C82005")
    own = lists[lists["practice"] == "C82005"]
    young = own[own["age_start"].between(20, 34)]["patients"].sum()
    old = own[own["age_start"] >= 75]["patients"].sum()
    assert young > old


def test_loading_the_example_lists_again_changes_nothing():
    before = list(PracticeAgeSexList.objects.order_by("pk").values_list("pk", "patients"))
    imports = ImportRecord.objects.count()
    load_example_age_sex_lists()
    assert list(PracticeAgeSexList.objects.order_by("pk").values_list("pk", "patients")) == before
    assert ImportRecord.objects.count() == imports

"""Case finding over a practice's list by sex and five-year age band (issue 12), on a small
example counted by hand. Indirect standardisation as in PHE's "Technical guide: Common public
health statistics and their confidence intervals" (indirectly standardised ratios): expected =
sum over strata of the practice's patients in the stratum x the reference prevalence there."""

import json
from datetime import date

import pytest
from django.urls import reverse

from healthgap.areas.models import AreaType
from healthgap.constants import FEMALE, MALE
from healthgap.practices.models import (
    ModelledPrevalence,
    ModelledPrevalenceRate,
    PracticeAgeSexList,
    PracticeList,
)
from tests.factories import (
    AreaFactory,
    EnglandFactory,
    ImportRecordFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db
SUB_ICB = "E38000999"
# The model: men 2% under 45 and 10% from 45; women 1% and 6%.
MODEL = ((MALE, 0, 44, 0.02), (MALE, 45, None, 0.10), (FEMALE, 0, 44, 0.01),
         (FEMALE, 45, None, 0.06))  # fmt: skip


@pytest.fixture
def case_finding_url():
    england = EnglandFactory()
    group = AreaFactory(code=SUB_ICB, name="Test sub-ICB", area_type=AreaType.SUB_ICB,
                        parent=england)  # fmt: skip
    by_age_sex = PracticeFactory(area__code="T00001", area__name="Age-sex practice",
                                 area__parent=group)  # fmt: skip
    persons_only = PracticeFactory(area__code="T00002", area__name="Persons practice",
                                   area__parent=group)  # fmt: skip
    record = ImportRecordFactory()
    # Men: 100 in each of the nine bands 0-4 ... 40-44, 50 in each of the eleven 45-49 ... 95+;
    # women: 120 and 80.
    for start in range(0, 100, 5):
        under_45 = start < 45
        for sex, patients in ((MALE, 100 if under_45 else 50), (FEMALE, 120 if under_45 else 80)):
            PracticeAgeSexList.objects.create(
                practice=by_age_sex, period="2022-05", sex=sex, age_start=start,
                age_end=None if start == 95 else start + 4, patients=patients,
                import_record=record,
            )  # fmt: skip
    for start, end, patients in ((0, 17, 1000), (18, None, 2000)):
        PracticeList.objects.create(practice=persons_only, period="2022/23", age_start=start,
                                    age_end=end, patients=patients, source="test")  # fmt: skip
    indicator = IndicatorFactory(code="qof_DM", name="QOF recorded prevalence: diabetes (17+)")
    period = PeriodFactory(label="2022/23", start=date(2022, 4, 1), end=date(2023, 3, 31))
    for practice, register, list_size in ((by_age_sex, 100, 3410), (persons_only, 130, 3000)):
        IndicatorValueFactory(indicator=indicator, area=practice.area, period=period,
                              count=register, denominator=list_size)  # fmt: skip
    estimate = ModelledPrevalence.objects.create(name="Hand model", import_record=record)
    for sex, start, end, prevalence in MODEL:
        ModelledPrevalenceRate.objects.create(estimate=estimate, condition="DM", sex=sex,
                                              age_start=start, age_end=end,
                                              prevalence=prevalence)  # fmt: skip
    return f"/areas/{SUB_ICB}/case-finding{{}}?indicator=qof_DM&reference=model-{estimate.pk}"


def test_expected_register_sums_the_age_sex_list_times_prevalence(client, case_finding_url):
    data = json.loads(client.get(case_finding_url.format(".json")).content)
    rows = {row["code"]: row for row in data["tables"]["case_finding"]}
    # By hand: 900 men under 45 x 2% + 550 men from 45 x 10% + 1,080 women x 1% + 880 x 6%
    # = 18 + 55 + 10.8 + 52.8 = 136.6 expected; 100 observed: 36.6 missing, ratio 73.2.
    age_sex = rows["T00001"]
    assert age_sex["basis"] == "age-sex list"
    assert age_sex["expected"] == pytest.approx(136.6)
    assert age_sex["missing"] == pytest.approx(36.6)
    assert age_sex["ratio"] == pytest.approx(73.2)
    # The persons list (no reference population held: men and women weigh the same): ages 0-17
    # at 1.5%; ages 18-90 are 27 years at 1.5% and 46 at 8%, mean 408.5 / 73 %.
    # 1,000 x 1.5% + 2,000 x 408.5 / 7,300 = 15 + 111.92 = 126.9.
    persons = rows["T00002"]
    assert persons["basis"] == "persons list"
    assert persons["expected"] == pytest.approx(126.9, abs=0.05)


def test_the_page_says_which_list_each_practice_used(client, case_finding_url):
    body = client.get(case_finding_url.format("")).content.decode()
    assert 'data-testid="age-sex-basis"' in body and 'data-testid="persons-basis"' in body
    assert "Age-sex list</strong> (1 practice)" in body
    assert "Expected from the practice&#x27;s" in body or "Expected from the practice's" in body
    assert 'data-testid="example-notice"' not in body  # NHS Digital's lists, not examples
    query = case_finding_url.split("?")[1]
    table = reverse("web:outcome_table", args=[SUB_ICB, "case-finding", "case_finding", "csv"])
    lines = client.get(f"{table}?{query}").content.decode().splitlines()
    assert lines[0].endswith(",Expected from the practice's")
    assert sorted(line.rsplit(",", 1)[1] for line in lines[1:]) == ["age-sex list", "persons list"]


def test_england_reference_stays_on_the_persons_list(client, case_finding_url):
    # England's recorded prevalence is published for persons of the register's ages only.
    IndicatorValueFactory(
        indicator_id="qof_DM", area_id="E92000001", period=PeriodFactory(label="2022/23"),
        count=3_600_000, denominator=50_000_000,
    )  # fmt: skip
    england_url = case_finding_url.format(".json").split("&reference=")[0] + "&reference=england"
    response = client.get(england_url)
    assert response.status_code == 200
    rows = json.loads(response.content)["tables"]["case_finding"]
    # 3,410 x 7.2% = 245.52 and 3,000 x 7.2% = 216: each practice's list at the register's ages.
    assert {row["code"]: row["expected"] for row in rows} == {"T00001": 245.5, "T00002": 216.0}
    assert {row["basis"] for row in rows} == {"persons list"}

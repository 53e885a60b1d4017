"""Deaths to avert for a mortality measure of one cause: the deaths of its cause group in the
council's record-level extract (imported through ``healthgap import deaths``), by age band, as
a yearly average, worked by hand below with the closing-the-gap model of the OHID Segment Tool
and Lewer et al. (Lancet Public Health 2020;5:e33-41): observed minus expected deaths, the
expected ones at the area's own rates scaled by target / latest value. Where the extract holds
no deaths of the cause, the measure says so and what to load, never falling back to all causes.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from healthgap.constants import Role
from healthgap.delivery import services
from healthgap.delivery.deaths import deaths_to_avert
from healthgap.delivery.models import MeasureClaim, TargetKind
from healthgap.delivery.targets import TargetError
from healthgap.ingest.deaths import import_deaths
from healthgap.mortality.models import DeathCount
from healthgap.publishing import services as publishing
from healthgap.web import delivery_report
from healthgap.web.delivery_report import render_report
from tests.delivery.plan import measure
from tests.delivery.test_deaths import AREA, TODAY, mortality_indicator  # noqa: F401
from tests.delivery.test_public_reports import _pdf_text
from tests.factories import AreaFactory, LsoaFactory, MsoaFactory
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db
HEADER = "date_of_death,age_years,sex,lsoa_code,underlying_cause"
LSOAS = ("E01T91001", "E01T91002")
# (year, age, sex, LSOA, ICD-10 code, deaths) over 2020 and 2021. Circulatory (I00-I99) at
# 65-74, the measure's ages: 65-69 has 3 + 1 + 2 = 6 deaths, 70-74 has 4 + 6 = 10.
EXTRACT = [
    (2020, 66, "M", LSOAS[0], "I21.9", 3), (2020, 68, "F", LSOAS[1], "I64", 1),
    (2021, 67, "M", LSOAS[1], "I25.1", 2), (2020, 72, "F", LSOAS[0], "I50.0", 4),
    (2021, 73, "M", LSOAS[0], "I21.0", 6),
    # Not counted: cancer deaths at those ages, and circulatory deaths at 80.
    (2020, 66, "M", LSOAS[0], "C34.1", 5), (2021, 81, "F", LSOAS[1], "I21.9", 2),
]  # fmt: skip


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


@pytest.fixture
def extract(mortality_indicator, tmp_path):  # noqa: F811
    msoa = MsoaFactory(parent=AreaFactory(code=AREA))
    for code in LSOAS:
        LsoaFactory(code=code, parent=msoa)
    lines = [
        f"{year}-06-15,{age},{sex},{lsoa},{code}"
        for year, age, sex, lsoa, code, deaths in EXTRACT
        for _ in range(deaths)
    ]
    path = tmp_path / "deaths.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    import_deaths(path)
    return mortality_indicator


def _cause_measure(analyst, ind, cause_group: str, **target):
    item = measure(analyst, ind, area_code=AREA, age="65-74 yrs", is_mortality=True,
                   cause_group=cause_group)  # fmt: skip
    values = {"target_kind": TargetKind.VALUE, "target_input": 120.0,
              "target_date": date(2030, 12, 31), **target}  # fmt: skip
    for name, figure in values.items():
        setattr(item, name, figure)
    return services.set_target(item, analyst, item.version, today=TODAY)


def test_a_cause_measure_counts_the_extracts_deaths_of_that_cause_a_year(analyst, extract):
    item = _cause_measure(analyst, extract, "circulatory")
    MeasureClaim.objects.create(programme=programme(analyst), measure=item, deaths_a_year=1)
    deaths = deaths_to_avert(item)
    # A year: 6 / 2 = 3 deaths at 65-69 and 10 / 2 = 5 at 70-74. The target asks 120 / 150 =
    # 0.8 of today's rates: expected 2.4 and 4.0, so 0.6 + 1.0 = 1.6 deaths a year to avert;
    # the programme claims 1, a shortfall of 0.6.
    assert [band["observed"] for band in deaths.bands] == pytest.approx([3.0, 5.0])
    assert [band["expected"] for band in deaths.bands] == pytest.approx([2.4, 4.0])
    assert deaths.needed == pytest.approx(1.6) and deaths.shortfall == pytest.approx(0.6)
    assert deaths.lower < 1.6 < deaths.upper
    assert "the record-level deaths extract for 2020-2021 (a yearly average over 2 years)" in (
        deaths.basis
    )
    assert "cause of death Circulatory diseases (ICD-10 I00-I99" in deaths.basis
    assert not deaths.synthetic and not deaths.missing


def test_reaching_england_for_a_cause_scales_the_areas_own_rates(analyst, extract):
    item = _cause_measure(analyst, extract, "circulatory", target_kind=TargetKind.ENGLAND)
    deaths = deaths_to_avert(item)
    # England's rates by cause are not held: 8 deaths a year x (1 - 130 / 150).
    assert deaths.needed == pytest.approx(8 * (1 - 130 / 150))
    assert "England's death rates by cause not being held" in deaths.basis


def test_a_cause_the_extract_does_not_hold_is_refused_saying_what_to_load(analyst, extract):
    with pytest.raises(TargetError, match="have no deaths from Liver disease") as refusal:
        _cause_measure(analyst, extract, "liver")
    assert refusal.value.field == "cause_group"
    assert "(ICD-10 K70-K77" in str(refusal.value) and "healthgap import deaths FILE" in str(
        refusal.value
    )


def test_deaths_gone_from_the_extract_show_an_empty_state_not_all_causes(analyst, extract, client):
    item = _cause_measure(analyst, extract, "circulatory")
    DeathCount.objects.filter(cause_group="circulatory").delete()
    deaths = deaths_to_avert(item)
    # Published all-cause deaths are held for the area, and are not used in their place. Only
    # the 2020 cancer deaths are left in the extract.
    assert deaths.missing.startswith("The record-level deaths held for Area E06T90001 (2020)")
    assert "have no deaths from Circulatory diseases" in deaths.words
    assert deaths.bands == ()
    client.force_login(analyst)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "No deaths to avert can be worked out." in page
    assert 'data-testid="deaths-by-band"' not in page
    report = render_report(item.priority.strategy, timezone.now())
    assert "have no deaths from Circulatory diseases" in report
    assert "Not known: the deaths are not held" in report


def test_a_cause_group_gone_from_the_table_asks_for_the_cause_again(analyst, extract):
    item = _cause_measure(analyst, extract, "circulatory")
    item.cause_group = "heart"  # as if the editable table had dropped the measure's group
    assert "is no longer in the cause-group table" in deaths_to_avert(item).missing


def test_the_measure_page_and_report_name_the_cause_and_its_codes(analyst, extract, client):
    item = _cause_measure(analyst, extract, "circulatory")
    client.force_login(analyst)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Reaching the target means 2 fewer deaths a year" in page
    assert "Circulatory diseases (ICD-10 I00-I99" in page
    report = render_report(item.priority.strategy, timezone.now())
    assert "Circulatory diseases (ICD-10 I00-I99" in report


def test_the_analyst_chooses_the_cause_on_the_target_form_with_history(analyst, extract, client):
    item = _cause_measure(analyst, extract, "circulatory")
    client.force_login(analyst)
    url = reverse("plan:measure_target", args=[item.pk])
    form = client.get(url).content.decode()
    assert '<option value="circulatory" selected>Circulatory diseases</option>' in form
    assert '<option value="all">All causes</option>' in form
    response = client.post(url, {
        "version": item.version, "target_kind": TargetKind.VALUE, "target_input": "120",
        "target_date": "2030-12-31", "frequency": "yearly", "shape": "linear",
        "is_mortality": "on", "cause_group": "all",
    })  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.cause_group == "all"
    assert list(item.history.values_list("cause_group", flat=True)[:2]) == ["all", "circulatory"]
    assert "ONS deaths registered in 2021" in deaths_to_avert(item).basis


def test_a_cause_not_in_the_table_is_refused_by_the_form(analyst, extract, client):
    item = _cause_measure(analyst, extract, "circulatory")
    client.force_login(analyst)
    response = client.post(reverse("plan:measure_target", args=[item.pk]), {
        "version": item.version, "target_kind": TargetKind.VALUE, "target_input": "120",
        "target_date": "2030-12-31", "frequency": "yearly", "shape": "linear",
        "is_mortality": "on", "cause_group": "heart",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.cause_group == "circulatory"


def test_the_published_report_names_the_cause_on_the_public_site(
    analyst, extract, client, tmp_path
):
    item = _cause_measure(analyst, extract, "circulatory")
    snapshot = delivery_report.generate(item.priority.strategy, analyst)
    publishing.publish(snapshot, analyst)
    page = client.get(reverse("public_report", args=[snapshot.pk])).content.decode()
    assert "Circulatory diseases (ICD-10 I00-I99" in page
    pdf = client.get(reverse("public_report_pdf", args=[snapshot.pk]))
    text = " ".join(_pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content,
                              tmp_path).split())  # fmt: skip
    assert "Circulatory diseases (ICD-10 I00-I99" in text

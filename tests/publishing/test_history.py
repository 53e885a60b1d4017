"""An item's history in words, and the administrators' change log with its filters."""

import datetime

import pytest
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.models import BoardReport, Strategy
from healthgap.indicators.models import ImportRecord
from healthgap.publishing import services
from healthgap.publishing.changelog import IMPORTS, ChangeLog, LogFilters
from healthgap.publishing.history import item_history
from tests.factories import UpperTierFactory
from tests.publishing.people import UTC, person, programme, set_last_change_time

pytestmark = pytest.mark.django_db

MARCH_3_1004 = datetime.datetime(2026, 3, 3, 10, 4, tzinfo=UTC)


@pytest.fixture
def amina():
    return person("amina", "Amina Khan", Role.ADMINISTRATOR)


@pytest.fixture
def ben():
    return person("ben", "Ben Okafor", Role.PROGRAMME_LEAD)


def test_history_says_who_changed_what_from_what_to_what_and_when(amina, ben):
    item = programme(amina, summary="Halve smoking by 2030.")
    set_last_change_time(item, MARCH_3_1004 - datetime.timedelta(days=1))
    item.summary, item.status = "Halve smoking by 2028.", "at_risk"
    item.lead, item.start_date = ben, datetime.date(2026, 4, 1)
    services.save_versioned(item, amina, 1)
    set_last_change_time(item, MARCH_3_1004)

    newest, created = item_history(item)
    assert created.sentences == ["Amina Khan created this programme on 2 March 2026 at 10:04."]
    on = "on 3 March 2026 at 10:04."
    assert newest.sentences == [
        f"Amina Khan changed the lead from 'nothing' to 'Ben Okafor' {on}",
        f"Amina Khan changed the start date from 'nothing' to '1 April 2026' {on}",
        f"Amina Khan changed the status from 'Not started' to 'At risk' {on}",
        f"Amina Khan changed the summary from 'Halve smoking by 2030.' to "
        f"'Halve smoking by 2028.' {on}",
    ]


def test_a_change_with_no_user_is_someones(amina):
    item = programme(None)
    assert item_history(item)[0].sentences[0].startswith("Someone created this programme")


def _log(**filters):
    log = ChangeLog(LogFilters(**filters))
    return log[0 : len(log)]


def test_change_log_lists_changes_and_imports_newest_first(amina, ben):
    item = programme(ben, name="Healthy weight")
    set_last_change_time(item, MARCH_3_1004)
    ImportRecord.objects.create(file_name="later.csv", sha256="0" * 64, importer="tdl")
    ImportRecord.objects.filter(file_name="later.csv").update(
        started_at=MARCH_3_1004 + datetime.timedelta(hours=1)
    )

    entries = _log(date_from=datetime.date(2026, 3, 3), date_to=datetime.date(2026, 3, 3))
    assert [(e.kind, e.item) for e in entries] == [
        ("Indicator import", "later.csv"),
        ("Programme", "Healthy weight"),
    ]
    assert entries[1].who == "Ben Okafor"
    assert entries[1].url == reverse("delivery:programme", args=[item.pk])
    assert entries[0].description.startswith("A command imported later.csv with the tdl importer")


def test_change_log_names_items_whose_history_leaves_fields_out(amina):
    # A board report's history leaves out its HTML and PDF; the report is publishable, so it has
    # no default manager to fetch them from.
    strategy = services.create(Strategy(name="Marmot City", area=UpperTierFactory()), amina)
    report = services.create(
        BoardReport(strategy=strategy, generated_at=MARCH_3_1004, html="<p>Report</p>"), amina
    )
    entries = _log(model="delivery.boardreport")
    assert [(e.kind, e.item, e.url) for e in entries] == [
        ("Board report", str(report), reverse("plan:report", args=[report.pk]))
    ]


def test_change_log_filters_by_person_model_and_date(amina, ben):
    first = programme(ben, name="First")
    set_last_change_time(first, MARCH_3_1004)
    second = programme(amina, name="Second")
    ImportRecord.objects.create(file_name="values.csv", sha256="0" * 64, importer="tdl")

    assert [e.item for e in _log(person_id=ben.pk)] == ["First"]
    assert [e.item for e in _log(person_id=amina.pk)] == ["Second"]
    programmes = [e.item for e in _log(model="delivery.programme")]
    assert [item for item in programmes if item in {"First", "Second"}] == ["Second", "First"]
    assert {e.kind for e in _log(model=IMPORTS)} == {"Indicator import"}
    before_march_4 = _log(model="delivery.programme", date_to=datetime.date(2026, 3, 3))
    assert "First" in [e.item for e in before_march_4]
    assert "Second" not in [e.item for e in before_march_4]
    assert second.pk  # made today, so after 3 March 2026


def test_change_log_pages_merge_the_sources_in_date_order(amina):
    made = []
    for hour in range(5):
        item = programme(amina, name=f"P{hour}")
        set_last_change_time(item, MARCH_3_1004 + datetime.timedelta(hours=2 * hour))
        made.append(item)
    for hour in (1, 5):
        ImportRecord.objects.create(file_name=f"i{hour}.csv", sha256="0" * 64, importer="tdl")
        ImportRecord.objects.filter(file_name=f"i{hour}.csv").update(
            started_at=MARCH_3_1004 + datetime.timedelta(hours=hour)
        )
    day = {"date_from": datetime.date(2026, 3, 3), "date_to": datetime.date(2026, 3, 3)}
    log = ChangeLog(LogFilters(**day))
    assert len(log) == 7
    assert [e.item for e in log[0:3]] == ["P4", "P3", "i5.csv"]
    assert [e.item for e in log[3:7]] == ["P2", "P1", "i1.csv", "P0"]


def test_change_log_page_is_for_administrators_only(client, amina, ben):
    url = reverse("change_log")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(ben)
    assert client.get(url).status_code == 403
    client.force_login(amina)
    programme(ben, name="Healthy weight")
    response = client.get(url, {"person": ben.pk, "model": "delivery.programme"})
    assert response.status_code == 200
    assert "Ben Okafor created this programme" in response.content.decode()


def test_change_log_rejects_a_date_range_the_wrong_way_round(client, amina):
    client.force_login(amina)
    response = client.get(
        reverse("change_log"), {"date_from": "2026-03-04", "date_to": "2026-03-03"}
    )
    assert response.status_code == 200
    assert "must be the same as or after" in response.content.decode()

"""The API's published delivery plans (strategies, priorities, outcome measures with target,
trajectory and judgement) and published board meetings with their decisions: published items
only, the delivery app's own judgement, and disclosure control carried through to measures."""

import csv
import datetime
import io
from datetime import date

import pytest
from django.core.cache import cache

from healthgap.board import services as board_services
from healthgap.board.models import AgendaItem, ItemType, Theme
from healthgap.constants import Role
from healthgap.delivery import services as delivery_services
from healthgap.delivery.models import TargetKind
from healthgap.indicators import disclosure
from healthgap.indicators.models import ValueType
from healthgap.publishing import services
from tests.board.people import board, meeting, member
from tests.delivery.plan import COVENTRY, indicator, measure, value
from tests.factories import UpperTierFactory
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def analyst():
    UpperTierFactory()  # Coventry, in its region, in England
    return person("amina", "Amina Khan", Role.ANALYST)


def _with_target(analyst, item, target=16.0):
    item.target_kind, item.target_input = TargetKind.VALUE, target
    item.target_date = date(2027, 12, 31)
    return delivery_services.set_target(item, analyst, item.version, today=date(2024, 6, 1))


@pytest.fixture
def on_track(analyst):
    """Lower is better; baseline 20 in 2023, target 16 by the end of 2027: a straight line
    expects 19 in 2024. The 2024 value 18 (17 to 19) is on track: its upper limit is at it."""
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0, 19.0, 21.0)
    item = _with_target(analyst, measure(analyst, ind))
    value(ind, COVENTRY, "2024", 18.0, 17.0, 19.0)
    return item


def test_a_draft_strategy_and_its_measures_are_never_served(client, on_track):
    strategy = on_track.priority.strategy
    assert client.get("/api/v1/strategies").json()["results"] == []
    assert client.get(f"/api/v1/strategies/{strategy.pk}").status_code == 404
    assert client.get("/api/v1/measures").json()["count"] == 0
    assert client.get(f"/api/v1/measures/{on_track.pk}").status_code == 404


def test_a_published_strategy_with_its_measure_judged_and_published_programmes(
    client, analyst, on_track
):
    strategy = on_track.priority.strategy
    services.publish(strategy, analyst)
    shown, hidden = programme(analyst, name="Shown"), programme(analyst, name="Draft")
    for item in (shown, hidden):
        item.priorities.add(on_track.priority)
    services.publish(shown, analyst)

    listed = client.get("/api/v1/strategies").json()["results"]
    assert [row["name"] for row in listed] == ["Coventry Marmot City"]
    result = client.get(listed[0]["url"]).json()["result"]
    [priority] = result["priorities"]
    assert [p["name"] for p in priority["programmes"]] == ["Shown"]
    [row] = priority["measures"]
    assert row["status"] == "on track" and "against the 19.0 expected" in row["judgement"]
    assert (row["baseline_value"], row["target_value"], row["latest_value"]) == (20.0, 16.0, 18.0)

    detail = client.get(row["url"]).json()["result"]
    assert [p["expected"] for p in detail["trajectory"]] == pytest.approx([20, 19, 18, 17, 16])
    assert [(p["period"], p["value"], p["expected"]) for p in detail["series"]] == [
        ("2023", 20.0, pytest.approx(20.0)),
        ("2024", 18.0, pytest.approx(19.0)),
    ]


def test_measures_download_as_one_row_each(client, analyst, on_track):
    services.publish(on_track.priority.strategy, analyst)
    text = client.get("/api/v1/measures", {"format": "csv"}).content.decode()
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["indicator"], row["area"], row["status"]) == ("t-1", COVENTRY, "on track")


def test_a_measure_under_disclosure_control_shows_only_published_figures(client, analyst):
    """Deaths counted by the council (flagged): the 2024 count of 5 is suppressed (1-7), so
    the measure shows no value for it, and no words quoting the stored figures."""
    ind = indicator(value_type=ValueType.COUNT, needs_disclosure_control=True)
    value(ind, COVENTRY, "2023", 40.0, count=40)
    item = _with_target(analyst, measure(analyst, ind), target=30.0)
    value(ind, COVENTRY, "2024", 5.0, count=5)
    services.publish(item.priority.strategy, analyst)

    detail = client.get(f"/api/v1/measures/{item.pk}").json()["result"]
    assert [(p["period"], p["value"], p["suppressed"]) for p in detail["series"]] == [
        ("2023", 40.0, False),
        ("2024", None, True),
    ]
    assert detail["latest_value"] is None
    assert "5" not in detail["judgement"] and detail["judgement"].startswith("Withheld")
    assert detail["target_value"] == 30.0  # from a baseline published as stored


def test_a_measure_under_control_works_out_its_published_series_once(client, analyst, monkeypatch):
    """The judgement and the figures the API shows come from one disclosed series."""
    ind = indicator(value_type=ValueType.COUNT, needs_disclosure_control=True)
    value(ind, COVENTRY, "2023", 40.0, count=40)
    item = _with_target(analyst, measure(analyst, ind), target=30.0)
    services.publish(item.priority.strategy, analyst)
    calls, real = [], disclosure.disclosed_rows

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(disclosure, "disclosed_rows", counted)
    assert client.get(f"/api/v1/measures/{item.pk}").status_code == 200
    assert len(calls) == 1


def test_a_rounded_baseline_takes_the_target_and_trajectory_with_it(client, analyst):
    """A baseline count of 43 is published as 45: the trajectory would start from 43."""
    ind = indicator(value_type=ValueType.COUNT, needs_disclosure_control=True)
    value(ind, COVENTRY, "2023", 43.0, count=43)
    item = _with_target(analyst, measure(analyst, ind), target=30.0)
    services.publish(item.priority.strategy, analyst)
    detail = client.get(f"/api/v1/measures/{item.pk}").json()["result"]
    assert detail["baseline_value"] == 45.0
    assert detail["target_value"] is None and detail["trajectory"] == []
    assert [p["expected"] for p in detail["series"]] == [None]


@pytest.fixture
def officer():
    return person("olu", "Olu Adeyemi", Role.BOARD_OFFICER)


def _item(held, officer, number, title, decision=""):
    return board_services.add_agenda_item(
        AgendaItem(meeting=held, number=number, title=title, theme=Theme.PREVENTION,
                   item_type=ItemType.DECISION if decision else ItemType.DISCUSSION,
                   decision=decision),
        officer,
    )  # fmt: skip


def test_published_meetings_with_agenda_decisions_and_attendance(client, officer):
    committee = board(officer)
    cllr = member(officer, committee, "Cllr Caan")
    published = meeting(officer, committee, 2026, 5, 10)
    draft = meeting(officer, committee, 2026, 7, 12)
    _item(published, officer, 1, "Pharmaceutical needs assessment", "Approved for consultation.")
    _item(published, officer, 2, "Winter plan")
    _item(draft, officer, 1, "Secret budget", "Not yet public.")
    board_services.record_attendance(published, cllr, "present", officer)
    services.publish(published, officer)

    listed = client.get("/api/v1/meetings").json()["results"]
    assert [row["id"] for row in listed] == [published.pk]
    assert client.get(f"/api/v1/meetings/{draft.pk}").status_code == 404
    result = client.get(listed[0]["url"]).json()["result"]
    assert [(i["number"], i["decision"]) for i in result["items"]] == [
        (1, "Approved for consultation."),
        (2, ""),
    ]
    assert result["attendance"] == [{"member": "Cllr Caan", "status": "Present", "substitute": ""}]
    decisions = client.get("/api/v1/decisions").json()["results"]
    assert [d["decision"] for d in decisions] == ["Approved for consultation."]
    assert client.get("/api/v1/meetings", {"since": "2026-06-01"}).json()["count"] == 0
    until = client.get("/api/v1/decisions", {"until": "2026-05-10", "format": "csv"})
    assert "Approved for consultation." in until.content.decode()


def test_meeting_times_keep_their_zone(client, officer):
    held = meeting(officer, board(officer), 2026, 1, 20, hour=10)
    services.publish(held, officer)
    starts = client.get(f"/api/v1/meetings/{held.pk}").json()["result"]["starts_at"]
    assert datetime.datetime.fromisoformat(starts) == held.starts_at

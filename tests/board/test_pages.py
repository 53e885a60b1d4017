"""Board pages: who may read and write, bad input refused on the page with its message, the
landing page's tables as files, the iCalendar feed, papers, and the public view."""

import csv
import datetime
import io

import icalendar
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthgap.board import services
from healthgap.board.models import Action, AgendaItem, ItemType, Theme
from healthgap.constants import Role
from healthgap.publishing import services as publishing
from tests.board.people import board, meeting, member, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def olu():
    return officer()


@pytest.fixture
def reader():
    user = User.objects.create_user("dev", first_name="Dev", last_name="Patel", password="pw")
    user.groups.add(Group.objects.get_or_create(name=Role.BOARD_MEMBER)[0])
    return user


@pytest.fixture
def held(olu):
    committee = board(olu)
    member(olu, committee, "Cllr Caan")
    held = meeting(olu, committee, 2026, 5, 10)
    services.add_agenda_item(
        AgendaItem(
            meeting=held,
            number=1,
            title="Winter plan",
            theme=Theme.NHS_OPERATIONAL,
            item_type=ItemType.INFORMATION,
            minutes_allotted=20,
        ),
        olu,
    )
    return held


def test_a_board_member_reads_but_cannot_write(client, reader, held):
    client.force_login(reader)
    assert client.get(held.get_absolute_url()).status_code == 200
    url = reverse("board:record_attendance", args=[held.pk])
    assert client.post(url, {"member": 1, "status": "present"}).status_code == 403
    client.logout()
    assert client.get(held.get_absolute_url()).status_code == 302  # to sign in


def test_attendance_for_a_non_member_is_refused_on_the_page(client, olu, held):
    late = member(olu, held.committee, "Dr Late", start=held.starts_at.date().replace(month=12))
    client.force_login(olu)
    url = reverse("board:record_attendance", args=[held.pk])
    response = client.post(url, {"member": late.pk, "status": "present"})
    assert response.status_code == 200
    assert "Dr Late was not a member" in response.content.decode()
    assert not held.attendance.exists()


def test_an_item_without_theme_is_refused_on_the_page(client, olu, held):
    client.force_login(olu)
    url = reverse("board:add_item", args=[held.pk])
    response = client.post(url, {"number": 2, "title": "AOB", "item_type": "discussion"})
    assert (
        response.status_code == 200 and "Choose the item&#x27;s theme" in response.content.decode()
    )
    assert held.items.count() == 1


def test_a_paper_that_is_not_a_pdf_is_refused_and_a_pdf_is_served(
    client, olu, held, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(olu)
    item = held.items.get()
    url = reverse("board:upload_paper", args=[item.pk])
    fake = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"title": "Plan", "file": fake})
    assert response.status_code == 200 and "is not a PDF" in response.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert client.post(url, {"title": "Plan", "file": pdf}).status_code == 302
    paper = item.papers.get()
    client.logout()
    # Not published: the public cannot fetch it; once published, it can.
    assert client.get(reverse("board:paper", args=[paper.pk])).status_code == 404
    publishing.publish(held, olu)
    response = client.get(reverse("board:paper", args=[paper.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_landing_page_and_its_table_as_csv(client, reader, held):
    client.force_login(reader)
    committee = held.committee
    page = client.get(committee.get_absolute_url(), {"from": "2026-01-01", "to": "2026-12-31"})
    assert page.status_code == 200 and "Agenda balance by theme" in page.content.decode()
    url = reverse("board_home_table", args=[committee.pk, "themes", "csv"])
    rows = list(
        csv.DictReader(io.StringIO(client.get(url, {"from": "2026-01-01"}).content.decode()))
    )
    nhs = next(r for r in rows if r["Theme"] == "NHS operational")
    assert (nhs["Items"], nhs["% of items"], nhs["Minutes"]) == ("1", "100.0", "20")
    bad = client.get(committee.get_absolute_url(), {"from": "1 May"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()


def test_the_calendar_feed_is_icalendar(client, reader, held):
    client.force_login(reader)
    response = client.get(reverse("board:meetings_ics", args=[held.committee.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == held.starts_at


def test_the_public_sees_published_meetings_only(client, olu, held):
    assert "Winter plan" not in client.get(reverse("public_meetings")).content.decode()
    assert client.get(reverse("public_meeting", args=[held.pk])).status_code == 404
    publishing.publish(held, olu)
    page = client.get(reverse("public_meeting", args=[held.pk])).content.decode()
    assert "Winter plan" in page


def test_overdue_board_actions_appear_in_the_owners_work(client, olu, held):
    services.add_action(
        Action(
            meeting=held,
            description="Report on SEND waits",
            owner=olu,
            due_date=datetime.date(2026, 1, 1),
        ),
        olu,
    )
    client.force_login(olu)
    page = client.get(reverse("web:workspace")).content.decode()
    assert "Board actions" in page and "Report on SEND waits" in page


def test_a_past_meeting_is_refused_from_the_forward_plan_page(client, olu, held):
    client.force_login(olu)
    url = reverse("board:plan_meeting", args=[held.committee.pk])
    response = client.post(url, {"starts_at": "2020-01-01T14:00", "kind": "formal"})
    assert "is in the past" in response.content.decode()
    assert held.committee.meetings.count() == 1
    response = client.post(url, {"starts_at": "2099-01-01T14:00", "kind": "workshop"})
    assert response.status_code == 302 and held.committee.meetings.count() == 2


def test_a_members_register_shows_interests_and_declarations(client, olu, held):
    cllr = held.committee.members.get()
    services.declare(held.items.get(), cllr, "Governor of a school in the pilot", olu)
    client.force_login(olu)
    url = reverse("board:member", args=[cllr.pk])
    client.post(
        url, {"kind": "non_financial", "description": "School governor", "start_date": "2024-09-01"}
    )
    page = client.get(url).content.decode()
    assert "School governor" in page and "Governor of a school in the pilot" in page
    cllr.refresh_from_db()
    assert cllr.register_updated_on is not None


def test_the_action_log_records_an_update_and_a_status(client, olu, reader, held):
    action = services.add_action(
        Action(meeting=held, description="Write to the ICB", due_date=datetime.date(2026, 6, 1)),
        olu,
    )
    url = reverse("board:actions", args=[held.committee.pk])
    client.force_login(reader)
    assert client.post(url, {"action": action.pk, "text": "x"}).status_code == 403
    client.force_login(olu)
    client.post(url, {"action": action.pk, "text": "Letter sent.", "status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.updates.get().text == "Letter sent."
    assert "Letter sent." in client.get(url).content.decode()


def test_a_published_meeting_is_withdrawn_with_its_reason_and_leaves_the_public_site(
    client, olu, held
):
    publishing.publish(held, olu)
    public_url = reverse("public_meeting", args=[held.pk])
    assert client.get(public_url).status_code == 200
    client.force_login(olu)
    url = reverse("board:withdraw_meeting", args=[held.pk])
    refused = client.post(url, {"reason": " "}, follow=True)
    assert "Give the reason for withdrawing it" in refused.content.decode()
    held.refresh_from_db()
    assert held.is_published
    page = client.post(url, {"reason": "Papers named a resident."}, follow=True).content.decode()
    assert "The meeting is withdrawn" in page and "Papers named a resident." in page
    held.refresh_from_db()
    assert held.publication_state == "withdrawn" and held.withdrawn_by == olu
    client.logout()
    assert client.get(public_url).status_code == 404


def test_plan_a_meeting_is_offered_only_to_those_who_may_plan_one(client, olu, reader, held):
    """The crawl over the demo found the board page offering "Plan a meeting" to analysts and
    board members, whom the page then refused (403)."""
    home = reverse("board_home", args=[held.committee.pk])
    plan = reverse("board:plan_meeting", args=[held.committee.pk])
    client.force_login(reader)
    assert f'href="{plan}"' not in client.get(home).content.decode()
    assert client.get(plan).status_code == 403
    client.force_login(olu)
    assert f'href="{plan}"' in client.get(home).content.decode()
    assert client.get(plan).status_code == 200

"""The ModernGov import (sample files in tests/board/moderngov, written in the shape of the
mgWebService GetMeetings and GetMeeting answers: element names as in healthgap.board.moderngov's
docstring) and the iCalendar export, read back."""

import datetime
import io
from pathlib import Path

import icalendar
import pytest
from django.core.management import CommandError, call_command

from healthgap.accounts.models import Sector
from healthgap.board import ical, moderngov
from healthgap.board.models import StatutoryRole, Theme
from healthgap.board.services import BoardError
from tests.board.people import LONDON, board, member, officer, organisation

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "moderngov"


@pytest.fixture
def user():
    return officer()


@pytest.fixture
def hwb(user):
    committee = board(user)
    member(user, committee, "Cllr Kamran Caan", StatutoryRole.COUNCILLOR, moderngov_id="11")
    member(user, committee, "Allison Duggal", StatutoryRole.PUBLIC_HEALTH, moderngov_id="12")
    healthwatch = organisation("Healthwatch Coventry", Sector.HEALTHWATCH)
    member(user, committee, "Ruth Light", StatutoryRole.HEALTHWATCH, healthwatch)
    return committee


def test_getmeeting_loads_meeting_attendance_and_items_once(user, hwb):
    path = FILES / "getmeeting_2026_01_20.xml"
    for _ in range(2):
        (held,) = moderngov.import_files(hwb, [path], user)
    assert held.starts_at == datetime.datetime(2026, 1, 20, 14, tzinfo=LONDON)
    assert held.location == "Diamond Room 2, Council House"
    attendance = {a.member.name: (a.status, a.substitute) for a in held.attendance.all()}
    assert attendance == {
        # Her substitute, a ModernGov attendee of their own, is not a member: not recorded.
        "Allison Duggal": ("apologies", ""),
        "Cllr Kamran Caan": ("present", ""),
        "Ruth Light": ("absent", ""),
    }
    items = [(i.number, i.theme, i.item_type, i.decision) for i in held.items.all()]
    assert items == [
        (4, Theme.NHS_OPERATIONAL, "discussion", ""),
        (5, Theme.CHILDREN, "decision", "The Board endorsed the plan."),
        (6, Theme.WIDER_DETERMINANTS, "discussion", ""),
    ]
    assert hwb.meetings.count() == 1 and not held.is_published


def test_getmeetings_adds_the_meetings_it_lists_but_not_a_cancelled_one(user, hwb):
    moderngov.import_files(hwb, [FILES / "getmeetings_2026.xml"], user)
    assert list(hwb.meetings.values_list("moderngov_id", flat=True)) == ["7101", "7102"]


@pytest.mark.parametrize(
    "attendee, message",
    [
        ('<attendee memberid="11" attendance="Present"/>', "an <attendee> has no name attribute"),
        (
            '<attendee memberid="11" name="Cllr Kamran Caan" attendance="Late"/>',
            "attendance “late” of Cllr Kamran Caan is not one ModernGov uses",
        ),
    ],
)
def test_an_attendee_without_a_name_or_with_an_unknown_attendance_loads_nothing(
    user, hwb, tmp_path, attendee, message
):
    path = tmp_path / "getmeeting.xml"
    path.write_text(
        "<meeting><meetingid>9</meetingid><meetingdate>01/02/2026</meetingdate>"
        f"<attendees>{attendee}</attendees></meeting>"
    )
    with pytest.raises(BoardError, match=message):
        moderngov.import_files(hwb, [path], user)
    assert not hwb.meetings.exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("malformed_date.xml", r"malformed_date.xml, meeting 7202: date “2026-03-17 14:00” is not"),
        ("truncated.xml", r"truncated.xml is not well-formed XML"),
    ],
)
def test_a_bad_file_loads_nothing(user, hwb, name, message):
    with pytest.raises(BoardError, match=message):
        moderngov.import_files(hwb, [FILES / "getmeetings_2026.xml", FILES / name], user)
    assert not hwb.meetings.exists()


def test_an_attendee_who_is_not_a_member_or_an_item_without_theme_loads_nothing(
    user, hwb, tmp_path
):
    hwb.members.get(name="Ruth Light").delete()
    with pytest.raises(BoardError, match="Ruth Light is not a member"):
        moderngov.import_files(hwb, [FILES / "getmeeting_2026_01_20.xml"], user)
    unthemed = tmp_path / "unthemed.xml"
    unthemed.write_text(
        "<meeting><meetingid>9</meetingid><meetingdate>01/02/2026</meetingdate>"
        "<agendaitems><agendaitem><agendaitemnumber>1</agendaitemnumber>"
        "<agendaitemtitle>Any other business</agendaitemtitle></agendaitem></agendaitems>"
        "</meeting>"
    )
    with pytest.raises(BoardError, match="“Any other business” has no theme"):
        moderngov.import_files(hwb, [unthemed], user)
    themed = moderngov.import_files(hwb, [unthemed], user, {"Any other business": "prevention"})
    assert themed[0].items.get().theme == Theme.PREVENTION
    assert hwb.meetings.count() == 1


def test_icalendar_export_reads_back_as_one_event_per_meeting(user, hwb):
    moderngov.import_files(hwb, [FILES / "getmeetings_2026.xml"], user)
    feed = ical.meetings_calendar("Coventry HWB", hwb.meetings.all(), "https://example.org")
    events = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [
        datetime.datetime(2026, 1, 20, 14, tzinfo=LONDON),
        datetime.datetime(2026, 3, 17, 14, tzinfo=LONDON),
    ]
    assert str(events[0]["url"]).startswith("https://example.org/workspace/board/meetings/")
    assert len({str(e["uid"]) for e in events}) == 2


def test_the_command_loads_a_file_and_refuses_a_bad_one_loading_nothing(user, hwb, tmp_path):
    themes = tmp_path / "themes.csv"
    themes.write_text("title,theme\nWinter pressures in urgent care,prevention\n")
    out = io.StringIO()
    path = FILES / "getmeeting_2026_01_20.xml"
    call_command("import_moderngov", hwb.pk, path, "--themes", themes, stdout=out)
    assert "1 meetings from 1 files" in out.getvalue()
    assert hwb.meetings.get().items.get(number=4).theme == Theme.PREVENTION
    with pytest.raises(CommandError, match="is not well-formed XML .* Nothing was loaded"):
        call_command(
            "import_moderngov", hwb.pk, FILES / "getmeetings_2026.xml", FILES / "truncated.xml"
        )
    assert hwb.meetings.count() == 1

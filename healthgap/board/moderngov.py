"""Meetings, attendance and agenda items from ModernGov's web service XML, read from files.

The element names are those the vendor's ``mgWebService.asmx`` returns, as open-source clients
of real councils' installations read them (checked against afdy/moderngov ``moderngov/api.py``
and ``mgq.py``, and the Gloucestershire councils' ModernGov SOAP client's ``_parseAttendees`` and
``_parseAgendaItems``):

- ``GetMeetings`` answers ``<getmeetings>`` holding ``<committee>`` elements, each with its
  ``<committeemeetings>`` of ``<meeting>`` stubs (``meetingid``, ``meetingdate`` dd/mm/yyyy,
  ``meetingtime`` hh:mm, ``meetingstatus``).
- ``GetMeeting`` answers one ``<meeting>`` (the same, plus ``meetinglocation``) with
  ``<attendees>`` of ``<attendee>`` elements whose *attributes* carry ``memberid``, ``name``,
  ``attendance`` and ``roledescription``, and ``<agendaitems>`` of ``<agendaitem>`` elements
  (``agendaitemid``, ``agendaitemnumber``, ``agendaitemtitle``, ``isdecision`` True/False,
  ``decisionnonemptyhtmlbody``: the decision as HTML).

The whole file is checked before anything is loaded; any problem raises ``BoardError`` naming the
file and the element, and nothing is loaded. Loading the same file again changes nothing.
Cancelled meetings are left out. A substitute is listed by ModernGov as an attendee of their own
("Present as substitute"), not linked to the member they stood in for: a substitute who is not a
member is left out, and the member's own apologies are recorded as given.

ModernGov items carry no theme: each is given one from ``themes`` (item title to theme value) or,
failing that, from words in its title (``THEME_WORDS``); an item with neither is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from healthgap.board import services
from healthgap.board.models import (
    AgendaItem,
    AttendanceStatus,
    Committee,
    ItemType,
    Meeting,
    MeetingKind,
    Theme,
)
from healthgap.board.services import BoardError

DATE_FORMAT, TIME_FORMAT = "%d/%m/%Y", "%H:%M"
THEME_WORDS = {
    Theme.CHILDREN: ("child", "young people", "send", "school", "family", "families"),
    Theme.ADULT_SOCIAL_CARE: ("adult social care", "care home", "carers", "better care fund"),
    Theme.MENTAL_HEALTH: ("mental health", "suicide", "wellbeing of mind"),
    Theme.NHS_OPERATIONAL: ("nhs", "hospital", "winter", "urgent care", "icb", "primary care"),
    Theme.PREVENTION: ("prevention", "smoking", "vaccination", "screening", "obesity"),
    Theme.WIDER_DETERMINANTS: ("housing", "poverty", "employment", "air quality", "marmot"),
}
# ModernGov's attendance words (lower case) and what each records; None: nothing to record
# (the meeting has not been held, or the attendee was a substitute: see the module's docstring).
ATTENDANCE_WORDS = {
    "present": AttendanceStatus.PRESENT,
    "present, virtual": AttendanceStatus.PRESENT,
    "in attendance": AttendanceStatus.PRESENT,
    "apologies": AttendanceStatus.APOLOGIES,
    "apologies, sent representative": AttendanceStatus.APOLOGIES,
    "absent": AttendanceStatus.ABSENT,
    "expected": None,
    "present as substitute": None,
    "present as substitute, virtual": None,
}
CANCELLED = "cancelled"


@dataclass
class ParsedMeeting:
    moderngov_id: str
    starts_at: datetime.datetime
    location: str = ""
    attendees: list[tuple[str, str, str]] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)


def _text(element: Element, tag: str, where: str, required: bool = True) -> str:
    child = element.find(tag)
    value = (child.text or "").strip() if child is not None else ""
    if required and not value:
        raise BoardError(f"{where}: <{tag}> is missing or empty.")
    return value


def _starts_at(meeting: Element, where: str) -> datetime.datetime:
    day, time = _text(meeting, "meetingdate", where), _text(meeting, "meetingtime", where, False)
    try:
        moment = datetime.datetime.strptime(
            f"{day} {time or '00:00'}", f"{DATE_FORMAT} {TIME_FORMAT}"
        )
    except ValueError as error:
        raise BoardError(f"{where}: date “{day} {time}” is not dd/mm/yyyy hh:mm.") from error
    return timezone.make_aware(moment)


def _theme(title: str, themes: dict[str, str], where: str) -> str:
    if title in themes:
        return themes[title]
    lowered = title.lower()
    for theme, words in THEME_WORDS.items():
        if any(word in lowered for word in words):
            return theme
    raise BoardError(f"{where}: agenda item “{title}” has no theme: give it one in the theme list.")


def _parse_meeting(meeting: Element, where: str, themes: dict[str, str]) -> ParsedMeeting:
    where = f"{where}, meeting {_text(meeting, 'meetingid', where)}"
    parsed = ParsedMeeting(
        _text(meeting, "meetingid", where),
        _starts_at(meeting, where),
        _text(meeting, "meetinglocation", where, False),
    )
    for attendee in meeting.findall("attendees/attendee"):
        seat = _parse_attendee(attendee, where)
        if seat is not None:
            parsed.attendees.append(seat)
    for item in meeting.findall("agendaitems/agendaitem"):
        parsed.items.append(_parse_item(item, where, themes))
    return parsed


def _parse_attendee(attendee: Element, where: str) -> tuple[str, str, str] | None:
    """(memberid, name, status) of one ``<attendee>`` (its details are attributes), or None
    when there is nothing to record."""
    name = (attendee.get("name") or "").strip()
    if not name:
        raise BoardError(f"{where}: an <attendee> has no name attribute.")
    word = (attendee.get("attendance") or "").strip().lower()
    if word not in ATTENDANCE_WORDS:
        raise BoardError(f"{where}: attendance “{word}” of {name} is not one ModernGov uses.")
    status = ATTENDANCE_WORDS[word]
    return ((attendee.get("memberid") or "").strip(), name, status) if status else None


def _parse_item(item: Element, where: str, themes: dict[str, str]) -> dict:
    number = _text(item, "agendaitemnumber", where)
    if not number.isdigit():
        raise BoardError(f"{where}: agenda item number “{number}” is not a whole number.")
    title = _text(item, "agendaitemtitle", where)
    is_decision = _text(item, "isdecision", where, False).lower() == "true"
    return {
        "number": int(number),
        "title": title,
        "theme": _theme(title, themes, f"{where}, item {number}"),
        "item_type": ItemType.DECISION if is_decision else ItemType.DISCUSSION,
        "decision": _html_text(item.find("decisionnonemptyhtmlbody")),
    }


def _html_text(element: Element | None) -> str:
    """The words of an HTML body ModernGov sends escaped (or, on some installations, as
    elements), without its tags."""
    if element is None:
        return ""
    return " ".join(strip_tags("".join(element.itertext())).split())


def _meeting_elements(root: Element, where: str) -> list[Element]:
    """The meetings of a GetMeetings answer (not cancelled) or the one of a GetMeeting answer."""
    if root.tag == "meeting":
        return [root]
    if root.tag != "getmeetings":
        raise BoardError(f"{where}: <{root.tag}> is neither <getmeetings> nor <meeting>.")
    stubs = root.findall("committee/committeemeetings/meeting")
    return [m for m in stubs if _text(m, "meetingstatus", where, False).lower() != CANCELLED]


def parse_file(path: Path, themes: dict[str, str] | None = None) -> list[ParsedMeeting]:
    """Reads a GetMeetings or GetMeeting answer; raises ``BoardError`` on anything malformed."""
    where = Path(path).name
    try:
        root = SafeXML.parse(path).getroot()
    except (SafeXML.ParseError, ValueError) as error:
        raise BoardError(f"{where} is not well-formed XML ({error}).") from error
    meetings = _meeting_elements(root, where)
    if not meetings:
        raise BoardError(f"{where}: no <meeting> in the file.")
    return [_parse_meeting(m, where, themes or {}) for m in meetings]


def import_files(committee: Committee, paths: list[Path], user, themes=None) -> list[Meeting]:
    """Loads every file's meetings in one transaction: any problem in any file loads nothing."""
    parsed = [meeting for path in paths for meeting in parse_file(path, themes)]
    with transaction.atomic():
        return [_load(committee, meeting, user) for meeting in parsed]


def _load(committee: Committee, parsed: ParsedMeeting, user) -> Meeting:
    meeting = committee.meetings.filter(moderngov_id=parsed.moderngov_id).first()
    if meeting is None:
        meeting = services.record_meeting(
            Meeting(
                committee=committee,
                starts_at=parsed.starts_at,
                location=parsed.location,
                kind=MeetingKind.FORMAL,
                moderngov_id=parsed.moderngov_id,
            ),
            user,
        )
    for moderngov_id, name, status in parsed.attendees:
        member = _member(committee, moderngov_id, name, parsed)
        services.record_attendance(meeting, member, status, user)
    for fields in parsed.items:
        if not meeting.items.filter(number=fields["number"]).exists():
            services.add_agenda_item(AgendaItem(meeting=meeting, **fields), user)
    return meeting


def _member(committee: Committee, moderngov_id: str, name: str, parsed: ParsedMeeting):
    members = committee.members.all()
    member = (members.filter(moderngov_id=moderngov_id).first() if moderngov_id else None) or (
        members.filter(name=name).first()
    )
    if member is None:
        raise BoardError(
            f"Meeting {parsed.moderngov_id}: {name} is not a member of {committee}: add the "
            "member first."
        )
    return member

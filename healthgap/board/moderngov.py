"""Meetings, attendance and agenda items from ModernGov's web service XML, read from files.

``GetMeetings`` answers ``<getmeetings>`` with one ``<meeting>`` per meeting (id, date, time);
``GetMeeting`` answers ``<getmeeting><meeting>`` with its ``<attendees>`` and ``<agendaitems>``.
The whole file is checked before anything is loaded; any problem raises ``BoardError`` naming the
file and the element, and nothing is loaded. Loading the same file again changes nothing.

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
ATTENDANCE_WORDS = {
    "present": AttendanceStatus.PRESENT,
    "in attendance": AttendanceStatus.PRESENT,
    "apologies": AttendanceStatus.APOLOGIES,
    "apologies, sent representative": AttendanceStatus.APOLOGIES,
    "absent": AttendanceStatus.ABSENT,
}


@dataclass
class ParsedMeeting:
    moderngov_id: str
    starts_at: datetime.datetime
    location: str = ""
    attendees: list[tuple[str, str, str, str]] = field(default_factory=list)
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
        status_word = _text(attendee, "attendancestatus", where).lower()
        if status_word not in ATTENDANCE_WORDS:
            raise BoardError(f"{where}: attendance “{status_word}” is not one ModernGov uses.")
        parsed.attendees.append(
            (
                _text(attendee, "memberid", where, False),
                _text(attendee, "name", where),
                ATTENDANCE_WORDS[status_word],
                _text(attendee, "substitute", where, False),
            )
        )
    for item in meeting.findall("agendaitems/agendaitem"):
        parsed.items.append(_parse_item(item, where, themes))
    return parsed


def _parse_item(item: Element, where: str, themes: dict[str, str]) -> dict:
    number = _text(item, "agendaitemnumber", where)
    if not number.isdigit():
        raise BoardError(f"{where}: agenda item number “{number}” is not a whole number.")
    title = _text(item, "agendaitemtitle", where)
    decision = _text(item, "decision", where, False)
    return {
        "number": int(number),
        "title": title,
        "theme": _theme(title, themes, f"{where}, item {number}"),
        "item_type": ItemType.DECISION if decision else ItemType.DISCUSSION,
        "decision": decision,
    }


def parse_file(path: Path, themes: dict[str, str] | None = None) -> list[ParsedMeeting]:
    """Reads a GetMeetings or GetMeeting answer; raises ``BoardError`` on anything malformed."""
    where = Path(path).name
    try:
        root = SafeXML.parse(path).getroot()
    except (SafeXML.ParseError, ValueError) as error:
        raise BoardError(f"{where} is not well-formed XML ({error}).") from error
    if root.tag == "getmeetings" or root.tag == "getmeeting":
        meetings = root.findall("meeting")
    else:
        raise BoardError(f"{where}: <{root.tag}> is neither <getmeetings> nor <getmeeting>.")
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
    for moderngov_id, name, status, substitute in parsed.attendees:
        member = _member(committee, moderngov_id, name, parsed)
        services.record_attendance(meeting, member, status, user, substitute)
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

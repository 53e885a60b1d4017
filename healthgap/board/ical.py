"""Meetings as iCalendar (RFC 5545): a feed a member subscribes to in Outlook or any calendar."""

from __future__ import annotations

import datetime

import icalendar

from healthgap.board.models import Meeting

PRODUCT_ID = "-//healthgap//Board meetings//EN"
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def meetings_calendar(name: str, meetings, site_url: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, site_url))
    return calendar.to_ical()


def _event(meeting: Meeting, site_url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"board-meeting-{meeting.pk}@healthgap")
    event.add("summary", f"{meeting.committee}: {meeting.get_kind_display()}")
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + DEFAULT_LENGTH)
    event.add("dtstamp", meeting.starts_at)
    event.add("sequence", meeting.version)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", site_url + meeting.get_absolute_url())
    return event

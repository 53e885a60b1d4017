"""What the committee systems do not show: a board's agenda against its own strategy (share of
items and of minutes by theme and by item type), attendance by member and by sector with its
trend, the priorities the forward plan leaves out, and members' ethnicity in aggregate."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from healthgap.board.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Committee,
    ItemType,
    Theme,
)
from healthgap.board.services import FORWARD_PLAN_HORIZON, current_members

# Counts of people below this are shown as "fewer than 5" (the convention for small counts).
SMALL_COUNT = 5


@dataclass(frozen=True)
class Share:
    label: str
    is_priority: bool
    items: int
    item_share: float | None
    minutes: int
    minute_share: float | None


def items_in(committee: Committee, start: datetime.date, end: datetime.date):
    return AgendaItem.objects.filter(
        meeting__committee=committee,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
    ).select_related("priority")


def _shares(rows: list[tuple[str, bool, int]], labels: list[tuple[str, bool]]) -> list[Share]:
    """``rows`` are (label, is_priority, minutes) per item; every label in ``labels`` appears,
    those with no item too (a priority the board never discussed is the point)."""
    items, minutes = Counter(), Counter()
    for label, _, used in rows:
        items[label] += 1
        minutes[label] += used
    total_items, total_minutes = sum(items.values()), sum(minutes.values())
    return [
        Share(
            label,
            is_priority,
            items[label],
            items[label] / total_items if total_items else None,
            minutes[label],
            minutes[label] / total_minutes if total_minutes else None,
        )
        for label, is_priority in labels
    ]


def _minutes(item: AgendaItem) -> int:
    """Minutes used where recorded, else the minutes allotted."""
    return item.minutes_used if item.minutes_used is not None else (item.minutes_allotted or 0)


def balance_by_theme(committee: Committee, start, end) -> list[Share]:
    priorities = [(p.name, True) for p in committee.priorities.all()]
    fixed = [(label, False) for value, label in Theme.choices if value != Theme.PRIORITY]
    rows = [
        (i.theme_label, i.priority_id is not None, _minutes(i))
        for i in items_in(committee, start, end)
    ]
    return _shares(rows, priorities + fixed)


def balance_by_type(committee: Committee, start, end) -> list[Share]:
    rows = [
        (i.get_item_type_display(), False, _minutes(i)) for i in items_in(committee, start, end)
    ]
    return _shares(rows, [(label, False) for _, label in ItemType.choices])


@dataclass(frozen=True)
class AttendanceRate:
    label: str
    present: int
    expected: int

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None


def _attendance(committee: Committee, start, end):
    return Attendance.objects.filter(
        meeting__committee=committee,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
    ).select_related("member__organisation", "meeting")


def _rates(pairs) -> list[AttendanceRate]:
    """``pairs`` are (label, attended) per recorded attendance; a substitute sent with
    apologies counts as the seat attended."""
    present, expected = Counter(), Counter()
    for label, attended in pairs:
        expected[label] += 1
        present[label] += attended
    return [AttendanceRate(label, present[label], expected[label]) for label in sorted(expected)]


def _attended(row: Attendance) -> bool:
    return row.status == AttendanceStatus.PRESENT or bool(row.substitute)


def attendance_by_member(committee: Committee, start, end) -> list[AttendanceRate]:
    return _rates((a.member.name, _attended(a)) for a in _attendance(committee, start, end))


def attendance_by_sector(committee: Committee, start, end) -> list[AttendanceRate]:
    rows = _attendance(committee, start, end)
    return _rates((a.member.organisation.get_sector_display(), _attended(a)) for a in rows)


def attendance_trend(committee: Committee, start, end) -> list[tuple[datetime.date, float]]:
    """Per meeting, in date order: the share of seats attended."""
    by_meeting = defaultdict(list)
    for row in _attendance(committee, start, end):
        by_meeting[timezone.localdate(row.meeting.starts_at)].append(_attended(row))
    return [(day, sum(seats) / len(seats)) for day, seats in sorted(by_meeting.items())]


def priorities_without_planned_items(committee: Committee, today: datetime.date) -> list[str]:
    """The strategy's priorities with no item on any meeting of the next twelve months."""
    planned = set(
        AgendaItem.objects.filter(
            meeting__committee=committee,
            meeting__starts_at__date__gte=today,
            meeting__starts_at__date__lte=today + FORWARD_PLAN_HORIZON,
            priority__isnull=False,
        ).values_list("priority_id", flat=True)
    )
    return [p.name for p in committee.priorities.all() if p.pk not in planned]


def ethnicity_summary(committee: Committee, on: datetime.date) -> list[tuple[str, str]]:
    """Members' self-described ethnicity counted over the board, never per person; a count
    below ``SMALL_COUNT`` is shown as "fewer than 5", and so is the not-stated count if it
    would reveal a suppressed one by subtraction."""
    members = list(current_members(committee, on))
    counts = Counter(m.ethnicity.strip() for m in members if m.ethnicity.strip())
    not_stated = len(members) - sum(counts.values())
    suppressed = any(n < SMALL_COUNT for n in counts.values())
    rows = [(label, _shown(n)) for label, n in sorted(counts.items())]
    if not_stated:
        rows.append(
            ("Not stated", f"fewer than {SMALL_COUNT}" if suppressed else _shown(not_stated))
        )
    return rows


def _shown(count: int) -> str:
    return f"fewer than {SMALL_COUNT}" if count < SMALL_COUNT else str(count)

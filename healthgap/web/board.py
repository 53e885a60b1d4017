"""The board's landing page (signed in): agenda balance by theme and item type against the
strategy's priorities, as a chart and tables, attendance by member and by sector with its trend,
the membership review against s.194(2), the forward plan's missing priorities, overdue actions
and registers of interests due for review. Tables also as ``.json``, ``.csv`` and ``.xlsx``."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from healthgap.board import balance, services
from healthgap.board.models import Committee
from healthgap.board.permissions import CHANGE, VIEW
from healthgap.board.views import require
from healthgap.web.charts import GOVUK_BLACK, GOVUK_BLUE, Chart, base_spec
from healthgap.web.formats import DataTable, error_response, table_response

DEFAULT_RANGE = datetime.timedelta(days=365)
TABLE_FORMATS = ("json", "csv", "xlsx")


def _date(value: str | None, default: datetime.date) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else default


def _share_table(name: str, title: str, shares: list[balance.Share]) -> DataTable:
    rows = [
        {
            "label": s.label,
            "kind": "Strategy priority" if s.is_priority else "Theme",
            "items": s.items,
            "item_percent": None if s.item_share is None else 100 * s.item_share,
            "minutes": s.minutes,
            "minute_percent": None if s.minute_share is None else 100 * s.minute_share,
        }
        for s in shares
    ]
    columns = [
        ("label", "Theme" if name == "themes" else "Item type"),
        ("kind", "Kind"),
        ("items", "Items"),
        ("item_percent", "% of items"),
        ("minutes", "Minutes"),
        ("minute_percent", "% of minutes"),
    ]
    decimals = {"item_percent": 1, "minute_percent": 1}
    return DataTable(name, title, columns, rows, decimals=decimals)


def _attendance_table(name: str, title: str, rates: list[balance.AttendanceRate]) -> DataTable:
    rows = [
        {
            "label": r.label,
            "present": r.present,
            "expected": r.expected,
            "percent": None if r.rate is None else 100 * r.rate,
        }
        for r in rates
    ]
    columns = [
        ("label", "Member" if name == "members" else "Sector"),
        ("present", "Meetings attended (in person or by substitute)"),
        ("expected", "Meetings recorded"),
        ("percent", "% attended"),
    ]
    return DataTable(name, title, columns, rows, decimals={"percent": 0})


def balance_chart(table: DataTable) -> Chart:
    """Share of items (bars) and of minutes (ticks) by theme, the priorities first."""
    spec = base_spec(row_step=28)
    y = {"field": "label", "type": "nominal", "title": None, "sort": None}
    x_title = "Percentage of agenda items (bars) and of minutes (black marks)"
    spec.update(
        {
            "data": {"values": table.as_records()},
            "layer": [
                {
                    # The marks are not named one by one (the table below has the figures): an
                    # empty period would otherwise leave unnamed mark groups in the SVG.
                    "mark": {"type": "bar", "color": GOVUK_BLUE, "aria": False},
                    "encoding": {
                        "y": y,
                        "x": {"field": "item_percent", "type": "quantitative", "title": x_title},
                        "tooltip": [
                            {"field": "label", "title": "Theme"},
                            {"field": "items", "title": "Items"},
                            {"field": "item_percent", "title": "% of items", "format": ".1f"},
                            {"field": "minute_percent", "title": "% of minutes", "format": ".1f"},
                        ],
                    },
                },
                {
                    "mark": {"type": "tick", "color": GOVUK_BLACK, "thickness": 3, "aria": False},
                    "encoding": {"y": y, "x": {"field": "minute_percent", "type": "quantitative"}},
                },
            ],
        }
    )
    description = (
        "Bars show each theme's percentage of the agenda items in the period, black marks its "
        "percentage of the minutes; the strategy's priorities come first. The table below gives "
        "the same figures."
    )
    return Chart("agenda-balance", "Agenda balance by theme", description, spec)


def _tables(committee: Committee, start, end) -> list[DataTable]:
    return [
        _share_table(
            "themes",
            "Agenda items and minutes by theme",
            balance.balance_by_theme(committee, start, end),
        ),
        _share_table(
            "types",
            "Agenda items and minutes by item type",
            balance.balance_by_type(committee, start, end),
        ),
        _attendance_table(
            "members", "Attendance by member", balance.attendance_by_member(committee, start, end)
        ),
        _attendance_table(
            "sectors", "Attendance by sector", balance.attendance_by_sector(committee, start, end)
        ),
    ]


@login_required
def board_home(request, pk: int, fmt: str | None = None, table: str | None = None):
    require(request.user, VIEW)
    committee = Committee.objects.filter(pk=pk).first()
    if committee is None:
        return error_response(request, 404, "No such board or sub-group.", fmt)
    today = timezone.localdate()
    try:
        end = _date(request.GET.get("to"), today)
        start = _date(request.GET.get("from"), end - DEFAULT_RANGE)
    except ValueError:
        return error_response(request, 400, "Give dates as YYYY-MM-DD, e.g. 2026-04-01.", fmt)
    if start > end:
        return error_response(request, 400, "The start date must be before the end date.", fmt)
    tables = _tables(committee, start, end)
    if fmt in TABLE_FORMATS:
        return _download(request, committee, tables, fmt, table)
    context = _context(committee, tables, start, end, today)
    context["can_change"] = request.user.has_perm(CHANGE)
    return render(request, "web/board_home.html", context)


def _download(request, committee, tables, fmt, name):
    chosen = next((t for t in tables if t.name == name), None)
    if chosen is None:
        return error_response(request, 404, f"No table “{name}” on this page.", fmt)
    return table_response(chosen, fmt, f"board-{committee.pk}-{chosen.name}")


def _context(committee, tables, start, end, today) -> dict:
    return {
        "committee": committee,
        "start": start,
        "end": end,
        "chart": balance_chart(tables[0]),
        "tables": tables,
        "trend": balance.attendance_trend(committee, start, end),
        "gaps": services.membership_gaps(committee, today),
        "dual_members": services.scrutiny_dual_members(committee, today),
        "ethnicity": balance.ethnicity_summary(committee, today),
        "unplanned": balance.priorities_without_planned_items(committee, today),
        "overdue": services.overdue_actions(today, committee=committee),
        "registers_due": services.registers_due_for_review(committee, today),
        "terms": committee.terms.first(),
        "members": services.current_members(committee, today),
        "sub_groups": committee.sub_groups.all(),
        "meetings": services.meetings_of(committee),
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
    }

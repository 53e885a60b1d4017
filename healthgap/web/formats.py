"""Every data page has twins: the whole page as JSON, and each of its tables as CSV, XLSX and
JSON. Errors take one shape: JSON ``{"ok": false, "status": ..., "error": ...}`` for data
formats, a GOV.UK-styled page for HTML."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook

DATA_FORMATS = ("json", "csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_number(value, places: int | None = None) -> str:
    """A number for reading in HTML: thousands separated ("9,274"), to ``places`` decimals, or
    as stored when None. Anything else is returned as text. Downloads never use this."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if places is None:
        return f"{value:,}" if isinstance(value, int) or not value.is_integer() else f"{value:,.1f}"
    return f"{value:,.{places}f}"


def _column_class(base: str, key: str, is_number: bool) -> str:
    """Numbers right-aligned (GOV.UK's numeric modifier); the ``name`` column (indicator or
    area) kept wide enough to read in a table with many columns."""
    if is_number:
        return f"{base} {base}--numeric"
    return f"{base} hg-table__name" if key == "name" else base


@dataclass
class DataTable:
    """A table shown on a page, also offered for download with its raw figures (the HTML shows
    them formatted: thousands separators, each column's decimal places)."""

    name: str
    title: str
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[dict]
    links: dict[str, str] = field(default_factory=dict)  # column key -> row key of its URL
    # column key -> decimal places in HTML, or the row key that holds each row's places
    decimals: dict[str, int | str] = field(default_factory=dict)

    def as_records(self) -> list[dict]:
        return [{key: row.get(key) for key, _ in self.columns} for row in self.rows]

    def numeric(self) -> list[bool]:
        """For each column: does it hold numbers (right-aligned in HTML)?"""
        found = []
        for key, _ in self.columns:
            values = [row.get(key) for row in self.rows if row.get(key) is not None]
            found.append(
                key in self.decimals
                or bool(values)
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            )
        return found

    def headers(self) -> list[tuple[str, str]]:
        """(heading, CSS classes) for each column."""
        return [
            (heading, _column_class("govuk-table__header", key, is_number))
            for (key, heading), is_number in zip(self.columns, self.numeric())
        ]

    def html_body(self) -> SafeString:
        """The rows as HTML table rows, numbers formatted: built here rather than in a template
        loop, as a profile has hundreds of cells."""
        columns = [
            (key, self.decimals.get(key), self.links.get(key), is_number)
            for (key, _), is_number in zip(self.columns, self.numeric())
        ]
        out = []
        for row in self.rows:
            cells = []
            for key, places, link, is_number in columns:
                value = row.get(key)
                if isinstance(places, str):
                    places = row.get(places)
                text = "–" if value is None else escape(format_number(value, places))
                if link and row.get(link):
                    text = f'<a class="govuk-link" href="{escape(row[link])}">{text}</a>'
                css = _column_class("govuk-table__cell", key, is_number)
                cells.append(f'<td class="{css}">{text}</td>')
            out.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
        return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


class NotFound(Exception):
    """Raised by a view for a missing object; rendered in the error shape of the format asked."""


def error_response(request, status: int, message: str, fmt: str | None = None):
    if fmt in DATA_FORMATS:
        return JsonResponse({"ok": False, "status": status, "error": message}, status=status)
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


def page_json(title: str, tables: list[DataTable], **extra) -> JsonResponse:
    body = {"ok": True, "title": title, **extra}
    body["tables"] = {table.name: table.as_records() for table in tables}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def table_response(table: DataTable, fmt: str, filename: str) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(
            {"ok": True, "title": table.title, "rows": table.as_records()},
            json_dumps_params={"ensure_ascii": False},
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([heading for _, heading in table.columns])
        for record in table.as_records():
            writer.writerow(["" if value is None else value for value in record.values()])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = table.name[:31]
        sheet.append([heading for _, heading in table.columns])
        for record in table.as_records():
            sheet.append(list(record.values()))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

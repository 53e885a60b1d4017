"""Every data page has twins: the whole page as JSON, and each of its tables as CSV, XLSX and
JSON. Errors take one shape: JSON ``{"ok": false, "status": ..., "error": ...}`` for data
formats, a GOV.UK-styled page for HTML."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from openpyxl import Workbook

DATA_FORMATS = ("json", "csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class DataTable:
    """A table shown on a page, also offered for download exactly as shown."""

    name: str
    title: str
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[dict]
    links: dict[str, str] = field(default_factory=dict)  # column key -> row key of its URL

    def as_records(self) -> list[dict]:
        return [{key: row.get(key) for key, _ in self.columns} for row in self.rows]

    def cells(self) -> list[list[tuple]]:
        """(value, URL or None) for each cell of each row, for the HTML table."""
        return [
            [(row.get(key), row.get(self.links[key]) if key in self.links else None)
             for key, _ in self.columns]
            for row in self.rows
        ]  # fmt: skip


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

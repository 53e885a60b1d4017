"""The public list of the board's programmes: published ones only (``public_objects``), with
a ``.json`` twin like every data page."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from healthgap.delivery.models import Programme
from healthgap.web.formats import DataTable, page_json

TITLE = "Programmes of the Health and Wellbeing Boards"


def _programme_table() -> DataTable:
    programmes = Programme.public_objects.order_by("name")
    rows = [
        {
            "name": programme.name,
            "summary": programme.summary,
            "lead_organisation": programme.lead_organisation_name,
            "status": programme.get_status_display(),
            "start_date": programme.start_date.isoformat() if programme.start_date else None,
            "end_date": programme.end_date.isoformat() if programme.end_date else None,
        }
        for programme in programmes
    ]
    columns = [
        ("name", "Programme"),
        ("summary", "Summary"),
        ("lead_organisation", "Lead organisation"),
        ("status", "Status"),
        ("start_date", "Start"),
        ("end_date", "End"),
    ]
    return DataTable("programmes", "Published programmes", columns, rows)


def programmes(request, fmt: str | None = None):
    table = _programme_table()
    if fmt == "json":
        return page_json(TITLE, [table])
    context = {
        "table": table,
        "title": TITLE,
        "json_url": reverse("programmes_format", args=["json"]),
    }
    return render(request, "web/programmes.html", context)

"""The public view of the boards' performance reports: published snapshots only
(``BoardReport.public_objects``), each as the board received it, with its PDF; a withdrawn
report is no longer found. A ``.json`` twin lists them like every data page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from healthgap.delivery.models import BoardReport
from healthgap.web.formats import DataTable, error_response, page_json

TITLE = "Board performance reports"
NOT_PUBLISHED = "No published performance report with this number."


def _published():
    return BoardReport.public_objects.select_related("strategy__area").defer("html", "pdf")


def _report_table() -> DataTable:
    rows = [
        {
            "strategy": report.strategy.name,
            "area": report.strategy.area.name,
            "generated_at": report.generated_at.isoformat(timespec="minutes"),
            "published_at": report.published_at.date().isoformat(),
            "is_example": report.strategy.is_example,
            "url": reverse("public_report", args=[report.pk]),
            "pdf_url": reverse("public_report_pdf", args=[report.pk]),
        }
        for report in _published().order_by("-generated_at")
    ]
    columns = [
        ("strategy", "Strategy"),
        ("area", "Area"),
        ("generated_at", "Produced"),
        ("published_at", "Published"),
        ("pdf_url", "PDF"),
    ]
    return DataTable("reports", "Published performance reports", columns, rows)


def reports(request, fmt: str | None = None):
    table = _report_table()
    if fmt == "json":
        return page_json(TITLE, [table])
    context = {"title": TITLE, "rows": table.rows, "json_url": reverse("public_reports_format",
                                                                       args=["json"])}  # fmt: skip
    return render(request, "web/board_reports.html", context)


def _found(pk: int) -> BoardReport | None:
    return BoardReport.public_objects.select_related("strategy__area").filter(pk=pk).first()


def report(request, pk: int):
    found = _found(pk)
    if found is None:
        return error_response(request, 404, NOT_PUBLISHED)
    return render(request, "web/board_report.html", {"report": found})


def report_pdf(request, pk: int):
    found = _found(pk)
    if found is None:
        return error_response(request, 404, NOT_PUBLISHED)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    name = f"performance-report-{found.generated_at:%Y-%m-%d-%H%M}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

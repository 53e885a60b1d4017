"""A programme's "before and after" page (signed in): for each outcome measure, an interrupted
time series of its indicator against England (``healthgap.knowledge.before_after``), drawn and
described in words, with its assumptions and limits. Its twins: ``.json`` (the whole page) and
``.csv`` (the series drawn). Measures of an indicator under disclosure control are analysed as
published, except for analysts and administrators (as stored, marked; their exports logged)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from healthgap.constants import SECURITY_LOGGER
from healthgap.delivery import permissions as delivery_permissions
from healthgap.delivery.models import Programme
from healthgap.delivery.progress import CONTROLLED_NOTE
from healthgap.knowledge import permissions
from healthgap.knowledge.before_after import LIMITATIONS, MeasureAnalysis, analyse_programme
from healthgap.web.charts import GOVUK_BLACK, GOVUK_BLUE, Chart, base_spec
from healthgap.web.formats import DataTable, error_response, page_json, table_response

SERIES_COLUMNS = [
    ("measure", "Outcome measure"),
    ("period", "Period"),
    ("series", "Series"),
    ("after", "After the start"),
    ("observed", "Value"),
    ("fitted", "Fitted"),
    ("counterfactual", "Expected without the programme"),
    ("disclosure", "Disclosure control"),
]
ESTIMATE_COLUMNS = [
    ("measure", "Outcome measure"),
    ("term", "Term"),
    ("estimate", "Estimate"),
    ("lower", "Lower 95% limit"),
    ("upper", "Upper 95% limit"),
    ("p_value", "p value"),
]
security_log = logging.getLogger(SECURITY_LOGGER)


@login_required
def before_after(request, pk: int, fmt: str | None = None):
    if not request.user.has_perm(permissions.VIEW):
        raise PermissionDenied("You do not have permission to do this.")
    programme = Programme.private_objects.filter(pk=pk).first()
    if programme is None:
        return error_response(request, 404, "There is no programme with this number.", fmt)
    published = not request.user.has_perm(delivery_permissions.VIEW_UNSUPPRESSED)
    missing, analyses = analyse_programme(programme, published)
    unsuppressed = any(analysis.unsuppressed for analysis in analyses)
    if unsuppressed and fmt:
        security_log.info(
            "unsuppressed before-and-after of programme %s exported (%s) by %s",
            programme.pk, fmt, request.user,
        )  # fmt: skip
    tables = _tables(analyses)
    title = f"Before and after: {programme.name}"
    if fmt == "json":
        words = {str(a.measure): a.words or a.missing for a in analyses}
        return page_json(title, tables, missing=missing, words=words, limitations=LIMITATIONS)
    if fmt == "csv":
        return table_response(tables[0], fmt, f"before-after-{programme.pk}")
    sections = [(a, _chart(a, index)) for index, a in enumerate(analyses, start=1)]
    context = {
        "programme": programme,
        "title": title,
        "missing": missing,
        "sections": sections,
        "tables": tables,
        "limitations": LIMITATIONS,
        "data_url": reverse("before_after", args=[programme.pk]),
        "unsuppressed": unsuppressed,
        "controlled": any(analysis.controlled for analysis in analyses),
        "controlled_note": CONTROLLED_NOTE,
    }
    return render(request, "web/before_after.html", context)


def _tables(analyses: list[MeasureAnalysis]) -> list[DataTable]:
    series = [
        {"measure": str(a.measure), **row, "disclosure": a.disclosure_note}
        for a in analyses
        for row in a.series
    ]
    estimates = [{"measure": str(a.measure), **row} for a in analyses for row in a.estimates]
    return [
        DataTable("series", "Values, fitted lines and expected values", SERIES_COLUMNS, series),
        DataTable("estimates", "Estimates", ESTIMATE_COLUMNS, estimates),
    ]


def _chart(analysis: MeasureAnalysis, index: int) -> Chart | None:
    """Observed values as points, the fitted lines solid and the line expected without the
    programme dashed (after the start only), a rule at the first period after the start."""
    if not analysis.series:
        return None
    spec = base_spec(height=340)
    x = {"field": "period", "type": "ordinal", "sort": None, "title": "Period"}
    y = {"type": "quantitative", "title": analysis.measure.indicator.name, "scale": {"zero": False}}
    colour = {"field": "series", "type": "nominal", "title": "Series", "legend": {"orient": "top"},
              "scale": {"range": [GOVUK_BLUE, GOVUK_BLACK]}}  # fmt: skip
    tooltip = [{"field": "series", "title": "Series"}, {"field": "period", "title": "Period"},
               {"field": "observed", "title": "Value"},
               {"field": "counterfactual", "title": "Expected without the programme"}]  # fmt: skip
    spec.update(
        {
            "data": {"values": analysis.series},
            "layer": [
                {"mark": {"type": "line"},
                 "encoding": {"x": x, "y": {**y, "field": "fitted"}, "color": colour,
                              "detail": {"field": "after"}}},
                {"transform": [{"filter": "datum.after"}],
                 "mark": {"type": "line", "strokeDash": [6, 4]},
                 "encoding": {"x": x, "y": {**y, "field": "counterfactual"}, "color": colour}},
                {"mark": {"type": "circle", "size": 90, "opacity": 1},
                 "encoding": {"x": x, "y": {**y, "field": "observed"}, "color": colour,
                              "tooltip": tooltip}},
                {"mark": {"type": "rule", "color": "#d4351c", "strokeWidth": 2, "aria": False},
                 "encoding": {"x": {"datum": analysis.intervention_period, "type": "ordinal"}}},
            ],
        }
    )  # fmt: skip
    against = f" against {analysis.comparator}" if analysis.comparator else ""
    description = (
        f"{analysis.measure} by period{against}: values as points, fitted straight lines before "
        "and after the programme started, and the dashed line expected had nothing changed. The "
        "red line marks the first period after the start."
    )
    return Chart(f"before-after-{index}", str(analysis.measure), description, spec)

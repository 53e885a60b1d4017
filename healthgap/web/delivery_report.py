"""The board's performance report: one click renders the strategy's plan as HTML with static
SVG charts (vl-convert, from the same Vega-Lite specs the site draws) and a PDF (WeasyPrint),
stored together as a dated snapshot that never changes."""

from __future__ import annotations

import base64
import time

import vl_convert
import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from healthgap.delivery.models import BoardReport, Strategy
from healthgap.delivery.plan import strategy_plan
from healthgap.publishing import services as publishing
from healthgap.web.delivery_charts import measure_charts

#: A PDF page's printable width in CSS pixels (A4 portrait, 15 mm margins).
STATIC_CHART_WIDTH = 620
STATIC_CHART_HEIGHT = 220


def static_svg(spec: dict) -> str:
    """The chart as SVG text: a fixed size instead of the page container's width."""
    fixed = {**spec, "width": STATIC_CHART_WIDTH, "height": STATIC_CHART_HEIGHT}
    fixed["autosize"] = {"type": "fit", "contains": "padding"}
    return vl_convert.vegalite_to_svg(fixed)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _measures_with_charts(plan) -> list[tuple]:
    """Each measure's progress, off track first, with its charts as SVG images."""
    return [
        (progress, [
            {"title": chart.title, "description": chart.description,
             "src": svg_data_uri(static_svg(chart.spec))}
            for chart in measure_charts(progress)
        ])
        for progress in plan.attention
    ]  # fmt: skip


def render_report(strategy: Strategy, generated_at) -> str:
    """The report's body as HTML (headings from h2: the page around it has the h1)."""
    # The report is published as it is: every figure under disclosure control, whoever made it.
    plan = strategy_plan(strategy, on=timezone.localdate(generated_at), published=True)
    context = {"plan": plan, "measures": _measures_with_charts(plan), "generated_at": generated_at}
    return render_to_string("delivery/report_body.html", context)


def pdf_bytes(strategy: Strategy, body: str, generated_at) -> bytes:
    document = render_to_string(
        "delivery/report_document.html",
        {"strategy": strategy, "body": body, "generated_at": generated_at},
    )
    # The print stylesheet is given to WeasyPrint, not inlined: templates carry no <style>.
    stylesheet = weasyprint.CSS(string=render_to_string("delivery/report_document.css"))
    return weasyprint.HTML(string=document).write_pdf(stylesheets=[stylesheet])


def generate(strategy: Strategy, user) -> BoardReport:
    """Renders and stores a new snapshot (a draft until published)."""
    started = time.perf_counter()
    generated_at = timezone.now()
    body = render_report(strategy, generated_at)
    snapshot = BoardReport(
        strategy=strategy,
        generated_at=generated_at,
        generated_by=user,
        html=body,
        pdf=pdf_bytes(strategy, body, generated_at),
    )
    snapshot.seconds_to_generate = time.perf_counter() - started
    return publishing.create(snapshot, user)

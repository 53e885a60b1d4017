"""Case finding for a QOF condition: each practice's register against the register expected
from a reference prevalence, as a funnel plot, a ranked table and (where the places are known)
maps of the patients possibly missing."""

from __future__ import annotations

import pandas as pd

from healthgap.areas.models import Area
from healthgap.methods import funnel_limits
from healthgap.practices import queries
from healthgap.practices.models import ModelledPrevalence
from healthgap.web import practice_charts
from healthgap.web.charts import Chart
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import Filter, OutcomePage, choose, rounded
from healthgap.web.pages.practices.case_finding_maps import missing_by_ward, practice_points
from healthgap.web.pages.practices.common import (
    DEFAULT_INDICATOR,
    area_practices,
    default_option,
    indicator_filters,
    limit_points,
    no_practices_page,
    practice_url,
)
from healthgap.web.pages.practices.expected import QOF_PREFIX, expected_registers, qof_group

TITLE = "GP practices: case finding"
TEMPLATE = "web/case_finding.html"
ENGLAND_REFERENCE = "england"


def build(area: Area, params) -> OutcomePage:
    practices, names = area_practices(area)
    codes = list(names)
    options = _condition_options(codes) if practices else []
    if not options:
        return no_practices_page(TITLE, TEMPLATE, area)
    filters, code, period = indicator_filters(
        params, codes, options, default_option(options, DEFAULT_INDICATOR)
    )
    reference, estimate = _reference_filter(params, code)
    filters.append(reference)
    observed = queries.practice_values(code, period, codes).dropna(subset=["count", "denominator"])
    result, basis = expected_registers(observed, code, period, estimate)
    if result is None:
        return OutcomePage(TITLE, TEMPLATE, [], filters=filters, context={"no_reference": True})
    condition = dict(options)[code]
    rows = _case_finding_rows(result, names)
    tables = [_case_finding_table(rows, condition, period, area)]
    page_charts = {"funnel": _case_finding_funnel(rows, result, condition, period, area)}
    where = {
        "map": missing_by_ward(area, practices, rows, condition, period),
        "points": practice_points(practices, rows, condition, period, area),
    }
    for key, (table, chart) in where.items():
        if table:
            tables.append(table)
            page_charts[key] = chart
    return OutcomePage(
        f"{TITLE}: {condition}",
        TEMPLATE,
        tables,
        charts=page_charts,
        filters=filters,
        context={"summary": {**_case_finding_summary(rows, condition), **basis}},
    )


def _condition_options(codes: list[str]) -> list[tuple[str, str]]:
    """The QOF conditions held for these practices, as (indicator code, condition) options."""
    conditions = [i for i in queries.practice_indicators(codes) if i.code.startswith(QOF_PREFIX)]
    return [
        (i.code, i.name.replace("QOF recorded prevalence: ", "").capitalize()) for i in conditions
    ]


def _reference_filter(params, code: str) -> tuple[Filter, ModelledPrevalence | None]:
    """The choice of reference prevalence (England's recorded one, or a modelled estimate for
    the condition), and the modelled estimate chosen (None for England's)."""
    estimates = {f"model-{e.pk}": e for e in queries.modelled_estimates(qof_group(code))}
    references = [(ENGLAND_REFERENCE, "England's recorded prevalence (QOF)")]
    references += [(key, f"{e.name} (modelled, by age and sex)") for key, e in estimates.items()]
    chosen = choose(params, "reference", references, ENGLAND_REFERENCE)
    return Filter("reference", "Reference prevalence", references, chosen), estimates.get(chosen)


def _case_finding_table(rows, condition: str, period: str, area: Area) -> DataTable:
    columns = [
        ("rank", "Rank (most missing first)"),
        ("name", "Practice"),
        ("code", "Code"),
        ("observed", "Patients on the register"),
        ("expected", "Expected register"),
        ("ratio", "Observed / expected (x100)"),
        ("lower95", "Lower 95% limit"),
        ("upper95", "Upper 95% limit"),
        ("lower998", "Lower 99.8% limit"),
        ("upper998", "Upper 99.8% limit"),
        ("missing", "Patients possibly missing"),
        ("significance", "Compared with expected"),
        ("basis", "Expected from the practice's"),
    ]
    return DataTable(
        "case_finding",
        f"Case finding: {condition}, {period}, GP practices of {area.name}",
        columns,
        rows,
        {"name": "url"},
        decimals={"expected": 0, "missing": 0},
    )


def _case_finding_summary(rows, condition: str) -> dict:
    below = [row for row in rows if row["significance"].startswith("Lower")]
    return {
        "condition": condition,
        "missing": round(sum(row["missing"] for row in rows)),
        "below": len(below),
        "below_998": sum(row["significance"] == "Lower 99.8%" for row in rows),
        "practices": len(rows),
    }


def _case_finding_rows(result: pd.DataFrame, names) -> list[dict]:
    ranked = result.sort_values("missing", ascending=False)
    rows = []
    for rank, record in enumerate(ranked.to_dict("records"), start=1):
        code = record["practice"]
        rows.append(
            {
                "rank": rank,
                "code": code,
                "name": names[code],
                "url": practice_url(code),
                "observed": rounded(record["observed"], 0),
                "expected": rounded(record["expected"], 1),
                "ratio": rounded(record["value"], 1),
                "lower95": rounded(record["lower95_0cl"], 1),
                "upper95": rounded(record["upper95_0cl"], 1),
                "lower998": rounded(record["lower99_8cl"], 1),
                "upper998": rounded(record["upper99_8cl"], 1),
                "missing": rounded(record["missing"], 1),
                "significance": record["significance"],
                "basis": record["basis"],
            }
        )
    return rows


def _case_finding_funnel(rows, result, condition, period, area) -> Chart:
    """Observed / expected against the expected register, with Poisson control limits."""
    limits = funnel_limits(
        result, "observed", "expected", statistic="ratio", ratio_type="isr", multiplier=1
    )
    lines = limit_points(limits, lambda name, side: f"{side}_{name}_exp_events", 2)
    top = max((row["expected"] for row in rows), default=1)
    lines += [{"x": x, "y": 100, "line": "Average", "side": "average"} for x in (0, top)]
    return practice_charts.funnel(
        "case-finding-funnel",
        f"{condition}: observed against expected registers, {period}, {area.name}",
        "Each circle is a practice (select it to open its profile): its expected register "
        "across, and its register as a percentage of expected up the page (100 = as England's "
        "prevalence predicts). Practices below the lower limits have fewer patients on the "
        "register than chance explains: some may be undiagnosed or unrecorded.",
        [{**row, "x": row["expected"], "y": row["ratio"]} for row in rows],
        lines,
        x_title="Expected register",
        y_title="Observed / expected (x100)",
    )

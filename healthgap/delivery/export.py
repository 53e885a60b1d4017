"""The whole delivery plan of a strategy as one XLSX workbook: measures with their targets and
judgements, every trajectory period, programmes, and milestones (a sheet each). The figures are
the plan's (``strategy_plan``): as published for most users, or as stored for analysts, each
measure's row saying which in its "Disclosure control" column."""

from __future__ import annotations

import io

from openpyxl import Workbook

from healthgap.delivery.models import Milestone, Programme
from healthgap.delivery.plan import StrategyPlan
from healthgap.delivery.progress import Progress

BASIS_WITHHELD = "Withheld: it quotes the indicator's figures as stored (disclosure control)."


def _basis(progress: Progress) -> str:
    return BASIS_WITHHELD if progress.controlled else progress.measure.target_basis


def _measure_rows(plan: StrategyPlan) -> list[dict]:
    return [
        {
            "Priority": item.measure.priority.name,
            "Indicator": item.measure.indicator.name,
            "Area": item.measure.area.name,
            "Sex": item.measure.sex,
            "Age": item.measure.age,
            "Baseline period": str(item.measure.baseline_period or ""),
            "Baseline": item.baseline,
            "Target": item.target,
            "Target date": item.measure.target_date,
            "How the target was set": _basis(item),
            "Judgement": item.status,
            "In words": item.verdict.words,
            "SPC": item.spc_words,
            "Forecast": item.forecast_words,
            "Disclosure control": item.disclosure_note,
        }
        for item in plan.measures
    ]


def _trajectory_rows(plan: StrategyPlan) -> list[dict]:
    """Every measure's trajectory as shown (none where its target is withheld)."""
    return [
        {"Indicator": item.measure.indicator.name, "Period ending": point["due"],
         "Expected": point["expected"], "Edited by hand": point["edited"],
         "Disclosure control": item.disclosure_note}
        for item in plan.measures
        for point in item.trajectory
    ]  # fmt: skip


def _programme_rows(plan: StrategyPlan) -> list[dict]:
    programmes = Programme.private_objects.filter(priorities__strategy=plan.strategy).distinct()
    return [
        {"Programme": programme.name, "Lead organisation": programme.lead_organisation_name,
         "Status": programme.get_status_display(),
         "Publication": programme.get_publication_state_display(),
         "Example data": programme.is_example}
        for programme in programmes
    ]  # fmt: skip


def _milestone_rows(plan: StrategyPlan) -> list[dict]:
    milestones = Milestone.objects.filter(programme__priorities__strategy=plan.strategy)
    return [
        {"Programme": milestone.programme.name, "Milestone": milestone.title,
         "Owner": milestone.owner.get_full_name() or milestone.owner.username,
         "Due": milestone.due_date, "Status": milestone.get_status_display(),
         "Overdue": milestone.is_overdue_on(plan.on)}
        for milestone in milestones.select_related("programme", "owner").distinct()
    ]  # fmt: skip


def plan_workbook(plan: StrategyPlan) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {
        "Measures": _measure_rows(plan),
        "Trajectories": _trajectory_rows(plan),
        "Programmes": _programme_rows(plan),
        "Milestones": _milestone_rows(plan),
    }
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if rows:
            sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

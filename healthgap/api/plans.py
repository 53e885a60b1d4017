"""Published delivery plans in the open-data API: strategies (``Strategy.public_objects``), their
priorities and outcome measures with the target, the trajectory and the judgement of progress.

Progress is the delivery app's own as it may go public
(``healthgap.delivery.progress.measure_progress(measure, published=True)``, as the board report
and the workspace's non-analysts show it), never recomputed here. A measure on an indicator that
needs disclosure control shows its values as the values endpoint publishes them (suppressed and
rounded), and nothing that would give the stored figures back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from ninja import Path, Query, Router

from healthgap.api import schemas
from healthgap.api.common import DOWNLOADS, ERRORS, MAX_ID, Paging, answer
from healthgap.api.envelope import licensed, paged
from healthgap.delivery.models import OutcomeMeasure, Programme, Strategy
from healthgap.delivery.progress import (
    SERIES_KEY,
    Progress,
    expected_at,
    measure_progress,
    series_frame,
)

router = Router(tags=["delivery plans"])
WITHHELD = (
    "Withheld: the indicator is under disclosure control (small numbers), and these words "
    "would quote its figures as stored."
)


def _number(figure) -> float | None:
    if figure is None or (isinstance(figure, float) and math.isnan(figure)):
        return None
    return float(figure)


def _link(request, name: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", args=[pk]))


def _strategy(request, strategy: Strategy) -> dict:
    return {
        "id": strategy.pk,
        "name": strategy.name,
        "kind": strategy.kind,
        "kind_name": strategy.get_kind_display(),
        "area": strategy.area_id,
        "area_name": strategy.area.name,
        "summary": strategy.summary,
        "is_example": strategy.is_example,
        "published_at": strategy.published_at,
        "url": _link(request, "strategy", strategy.pk),
    }


def _published_measures():
    return OutcomeMeasure.objects.filter(
        priority__strategy__in=Strategy.public_objects.all()
    ).select_related("indicator", "area", "baseline_period", "priority__strategy")


@dataclass
class PublishedMeasure:
    """A measure's progress as it may go public (``measure_progress(published=True)``: the one
    rule for which baseline, target and trajectory are shown), the periods of its stored series
    (``stored``: points with period, period_end, value, lower and upper) and, for an indicator
    under disclosure control, that series as the values endpoint publishes it (``disclosed``:
    rows by period label; None without the flag)."""

    progress: Progress
    stored: list[dict]
    disclosed: dict[str, dict] | None

    @property
    def controlled(self) -> bool:
        return self.disclosed is not None

    def figure(self, period: str | None, stored, field: str = "value") -> float | None:
        """The figure as published: the stored one, or the disclosed one under control."""
        if not self.controlled:
            return _number(stored)
        row = self.disclosed.get(period)
        return None if row is None else _number(row[field])


def _published(measure: OutcomeMeasure) -> PublishedMeasure:
    progress = measure_progress(measure, published=True)
    if not progress.controlled:
        return PublishedMeasure(progress, progress.points, None)
    stored = series_frame(measure, None).to_dict("records")
    return PublishedMeasure(progress, stored, progress.disclosed)


def _measure(request, published: PublishedMeasure) -> dict:
    """One measure with its target and the judgement of its latest value. Under disclosure
    control the words quoting stored figures are withheld, and the target too when it would
    give back the baseline."""
    progress, measure = published.progress, published.progress.measure
    latest = published.stored[-1] if published.stored else None
    baseline = measure.baseline_period.label if measure.baseline_period else None
    return {
        "id": measure.pk,
        "strategy": measure.priority.strategy_id,
        "priority": measure.priority.name,
        "indicator": measure.indicator_id,
        "indicator_name": measure.indicator.name,
        **{key.removesuffix("_id"): getattr(measure, key) for key in SERIES_KEY},
        "area_name": measure.area.name,
        "baseline_period": baseline,
        "baseline_value": _number(progress.baseline),
        "target_kind": measure.target_kind,
        "target_kind_name": measure.get_target_kind_display(),
        "target_value": _number(progress.target),
        "target_date": measure.target_date,
        "target_basis": measure.target_basis if not published.controlled else WITHHELD,
        "frequency": measure.frequency,
        "status": progress.status,
        "judgement": progress.verdict.words if not published.controlled else WITHHELD,
        "assurance": progress.assurance,
        "latest_period": latest["period"] if latest else None,
        "latest_value": published.figure(latest["period"], latest["value"]) if latest else None,
        "url": _link(request, "measure", measure.pk),
    }


def _series(published: PublishedMeasure) -> list[dict]:
    rows, trajectory = [], published.progress.trajectory  # none where withheld
    for point in published.stored:
        period = point["period"]
        row = published.disclosed.get(period, {}) if published.controlled else {}
        expected = expected_at(trajectory, point["period_end"]) if trajectory else None
        rows.append(
            {
                "period": period,
                "period_end": point["period_end"],
                "value": published.figure(period, point["value"]),
                "lower95": published.figure(period, point["lower"], "lower95"),
                "upper95": published.figure(period, point["upper"], "upper95"),
                "expected": _number(expected),
                "suppressed": bool(row.get("suppressed")),
            }
        )
    return rows


def _measure_detail(request, measure: OutcomeMeasure) -> dict:
    published = _published(measure)
    trajectory = [
        {"due": point["due"], "expected": float(point["expected"]), "edited": point["edited"]}
        for point in published.progress.trajectory
    ]
    return {**_measure(request, published), "trajectory": trajectory, "series": _series(published)}


def _programme_link(request, programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "status": programme.get_status_display(),
        "url": _link(request, "programme", programme.pk),
    }


def _priorities(request, strategy: Strategy) -> list[dict]:
    measures = _published_measures().filter(priority__strategy=strategy)
    found = []
    for priority in strategy.priorities.order_by("position", "name"):
        mine = [m for m in measures if m.priority_id == priority.pk]
        programmes = Programme.public_objects.filter(priorities=priority).order_by("name")
        found.append(
            {
                "id": priority.pk,
                "name": priority.name,
                "description": priority.description,
                "position": priority.position,
                "measures": [_measure(request, _published(m)) for m in mine],
                "programmes": [_programme_link(request, p) for p in programmes],
            }
        )
    return found


@router.get(
    "/strategies",
    response={200: schemas.StrategyPage, **ERRORS},
    url_name="strategies",
    openapi_extra=DOWNLOADS,
)
def strategies(request, filters: Query[Paging]):
    """The board's published strategies (Joint Health and Wellbeing Strategies, Marmot place
    programmes); drafts and withdrawn ones never appear."""
    published = Strategy.public_objects.select_related("area").order_by("name", "pk")
    page, total = paged(published, filters.page, filters.page_size)
    rows = [_strategy(request, strategy) for strategy in page]
    return answer(request, "strategies", "Published strategies", rows, total, filters)


@router.get(
    "/strategies/{strategy_id}",
    response={200: schemas.StrategyAnswer, **ERRORS},
    url_name="strategy",
)
def strategy(request, strategy_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published strategy: its priorities, each with its outcome measures (target and the
    judgement of the latest value against the trajectory) and its published programmes."""
    found = Strategy.public_objects.select_related("area").filter(pk=strategy_id).first()
    if found is None:
        raise Http404(f"No published strategy has the id {strategy_id}.")
    return licensed(
        {"result": {**_strategy(request, found), "priorities": _priorities(request, found)}}
    )


class MeasureFilters(Paging):
    strategy: int | None = Query(None, ge=1, le=MAX_ID, description="Id of a published strategy")


@router.get(
    "/measures",
    response={200: schemas.MeasurePage, **ERRORS},
    url_name="measures",
    openapi_extra=DOWNLOADS,
)
def measures(request, filters: Query[MeasureFilters]):
    """The outcome measures of published strategies, one row each: baseline, target, and the
    judgement of the latest value against the trajectory."""
    found = _published_measures().order_by("priority__strategy__name", "priority__position", "pk")
    if filters.strategy is not None:
        found = found.filter(priority__strategy_id=filters.strategy)
    page, total = paged(found, filters.page, filters.page_size)
    rows = [_measure(request, _published(m)) for m in page]
    return answer(request, "measures", "Outcome measures", rows, total, filters)


@router.get(
    "/measures/{measure_id}",
    response={200: schemas.MeasureAnswer, **ERRORS},
    url_name="measure",
)
def measure(request, measure_id: int = Path(..., ge=1, le=MAX_ID)):
    """One outcome measure of a published strategy: its trajectory (the value expected at each
    period end) and its series of values, each with the value the trajectory expected."""
    found = _published_measures().filter(pk=measure_id).first()
    if found is None:
        raise Http404(f"No outcome measure of a published strategy has the id {measure_id}.")
    return licensed({"result": _measure_detail(request, found)})

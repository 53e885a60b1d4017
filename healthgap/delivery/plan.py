"""A strategy's state of delivery in one structure: each priority's measures with their
progress (the ones needing attention first), deaths to avert against claims, and the overdue
milestones. The workspace pages, the board report and the XLSX export all read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from healthgap.delivery.deaths import DeathsToAvert, deaths_to_avert
from healthgap.delivery.judgement import STATUS_ORDER
from healthgap.delivery.models import Milestone, OutcomeMeasure, Programme, Strategy
from healthgap.delivery.progress import Progress, measure_progress


@dataclass
class PriorityPlan:
    priority: object
    progress: list[Progress] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.progress if item.status == status)

    @property
    def summary(self) -> str:
        counts = [(status, self.count(status)) for status in STATUS_ORDER]
        return "; ".join(f"{number} {status}" for status, number in counts if number)


@dataclass
class StrategyPlan:
    strategy: Strategy
    on: date
    priorities: list[PriorityPlan]
    deaths: list[DeathsToAvert]
    overdue: list[Milestone]

    @property
    def attention(self) -> list[Progress]:
        """Every measure, off track and failing ones first (the board report's order)."""
        return sorted(self.measures, key=attention_rank)

    @property
    def measures(self) -> list[Progress]:
        return [item for plan in self.priorities for item in plan.progress]

    @property
    def unsuppressed(self) -> bool:
        """Whether any measure shows stored figures under disclosure control (analysts')."""
        return any(item.unsuppressed for item in self.measures)

    @property
    def controlled(self) -> bool:
        return any(item.controlled for item in self.measures)


def attention_rank(progress: Progress) -> tuple:
    failing = progress.assurance == "consistently failing"
    return (not (progress.status == STATUS_ORDER[0] or failing),
            STATUS_ORDER.index(progress.status))  # fmt: skip


def _measures():
    return OutcomeMeasure.objects.select_related(
        "indicator", "area", "baseline_period"
    ).prefetch_related("trajectory")


def strategy_plan(
    strategy: Strategy, on: date | None = None, published: bool = False
) -> StrategyPlan:
    """The strategy's state of delivery; ``published`` (the board report): its figures as they
    may go public, under disclosure control (``progress``, ``deaths``)."""
    on = on or timezone.localdate()
    priorities = strategy.priorities.prefetch_related(
        Prefetch("measures", queryset=_measures()),
        Prefetch("programmes", queryset=Programme.private_objects.order_by("name")),
    )
    plans, deaths = [], []
    for priority in priorities:
        progress = sorted(
            (measure_progress(measure, published) for measure in priority.measures.all()),
            key=attention_rank,
        )
        plans.append(PriorityPlan(priority, progress, list(priority.programmes.all())))
        for measure in priority.measures.all():
            if (found := deaths_to_avert(measure, published)) is not None:
                deaths.append(found)
    overdue = [
        milestone
        for milestone in Milestone.objects.filter(programme__priorities__strategy=strategy)
        .select_related("programme", "owner")
        .distinct()
        if milestone.is_overdue_on(on)
    ]
    return StrategyPlan(strategy, on, plans, deaths, overdue)

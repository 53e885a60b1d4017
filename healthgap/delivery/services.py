"""Every write to the delivery plan goes through here: targets set and profiled, trajectory
points edited, milestones and updates recorded. Each refusal says why, and saves nothing."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from healthgap.delivery import permissions
from healthgap.delivery.measure_deaths import banded_deaths
from healthgap.delivery.models import (
    Milestone,
    OutcomeMeasure,
    Programme,
    ProgrammeUpdate,
    TrajectoryPoint,
)
from healthgap.delivery.targets import (
    TargetError,
    baseline_row,
    check_direction,
    profile,
    resolve_target,
)
from healthgap.publishing import services as publishing


def _require(user, perm: str, item, message: str) -> None:
    if not user.has_perm(perm, item):
        raise PermissionDenied(message)


def set_target(measure: OutcomeMeasure, user, expected_version: int, today: date | None = None):
    """Takes the baseline from the store (the chosen period's value, or the latest), turns the
    target into a number, checks it, saves the measure (version checked) and profiles its
    trajectory afresh. Raises ``TargetError`` (nothing saved) for a date not in the future, no
    baseline, a mortality measure without the area's deaths by age band, or a target in the
    wrong direction."""
    _require(user, permissions.CHANGE_MEASURE, measure, "Only analysts can set targets.")
    today = today or timezone.localdate()
    if measure.target_date is None or measure.target_date <= today:
        raise TargetError("target_date", "The target date must be in the future")
    baseline = baseline_row(measure)
    if measure.is_mortality:
        banded_deaths(measure)  # refuses a mortality measure without deaths by age band
    measure.baseline_period, measure.baseline_value = baseline.period, baseline.value
    measure.target_value, measure.target_basis = resolve_target(measure)
    check_direction(measure, measure.target_value)
    with transaction.atomic():
        publishing.save_versioned(measure, user, expected_version)
        measure.trajectory.all().delete()
        TrajectoryPoint.objects.bulk_create(
            TrajectoryPoint(measure=measure, due=due, expected=expected)
            for due, expected in profile(measure)
        )
    return measure


def edit_trajectory_point(point: TrajectoryPoint, expected: float, user) -> TrajectoryPoint:
    """Sets one period's expected value by hand (as council performance systems allow)."""
    _require(user, permissions.CHANGE_MEASURE, point.measure, "Only analysts can edit targets.")
    point.expected, point.edited = expected, True
    point._history_user = user
    point.save()
    return point


def add_milestone(programme: Programme, milestone: Milestone, user) -> Milestone:
    _require_lead(programme, user)
    if milestone.owner_id is None:
        raise TargetError("owner", "Choose who owns the milestone")
    if milestone.due_date is None:
        raise TargetError("due_date", "Enter the milestone's due date")
    milestone.programme = programme
    return publishing.create(milestone, user)


def record_update(programme: Programme, user, commentary: str) -> ProgrammeUpdate:
    """A draft update by the programme's lead; public once a board officer publishes it."""
    _require_lead(programme, user)
    commentary = (commentary or "").strip()
    if not commentary:
        raise TargetError("commentary", "Write the update's commentary")
    update = ProgrammeUpdate(programme=programme, author=user, commentary=commentary)
    return publishing.create(update, user)


def _require_lead(programme: Programme, user) -> None:
    _require(
        user,
        permissions.UPDATE_PROGRAMME,
        programme,
        f"Only the lead of “{programme}” can update it.",
    )

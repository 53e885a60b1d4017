"""Targets turned into numbers, trajectories profiled period by period, and bad targets refused
with nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from healthgap.areas.models import Area
from healthgap.constants import Role
from healthgap.delivery import services
from healthgap.delivery.models import OutcomeMeasure, TargetKind
from healthgap.delivery.targets import TargetError, add_months, trajectory_dates
from healthgap.indicators.models import Polarity
from tests.delivery.plan import COVENTRY, england, indicator, measure, value, year
from tests.publishing.people import person

# Coventry, England and the upper-tier authorities come from the demo.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
TODAY = date(2026, 12, 1)


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


def _set(analyst, item, **target):
    for name, figure in target.items():
        setattr(item, name, figure)
    return services.set_target(item, analyst, item.version, today=TODAY)


def test_percentage_change_from_the_latest_value_in_the_store(analyst):
    ind = indicator()
    value(ind, COVENTRY, "2022", 25.0)
    value(ind, COVENTRY, "2023", 20.0)  # the latest: the baseline
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.PERCENT_CHANGE,
        target_input=-10,
        target_date=date(2027, 12, 31),
    )
    assert item.baseline_period.label == "2023" and item.baseline_value == 20.0
    assert item.target_value == pytest.approx(18.0)
    assert "-10%" in item.target_basis


def test_england_and_half_the_gap(analyst):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0)
    england(ind, "2023", 14.0)
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.HALVE_GAP,
        target_date=date(2027, 12, 31),
    )
    assert item.target_value == pytest.approx(17.0)
    item = _set(analyst, item, target_kind=TargetKind.ENGLAND)
    assert item.target_value == pytest.approx(14.0)


@pytest.mark.parametrize(
    "polarity, threshold",
    # Eight upper-tier values 1..8: the quartile boundaries by linear interpolation between
    # order statistics (Hyndman & Fan 1996 type 7, R's default) are 2.75 and 6.25.
    [(Polarity.HIGH_IS_GOOD, 6.25), (Polarity.LOW_IS_GOOD, 2.75)],
)
def test_top_quartile_of_upper_tier_authorities(analyst, polarity, threshold):
    ind = indicator(polarity=polarity)
    coventrys = 4.0  # below the upper quartile and above the lower one
    others = Area.objects.upper_tier().exclude(code=COVENTRY).order_by("code")[:7]
    for figure, area in zip([1, 2, 3, 5, 6, 7, 8], others, strict=True):
        value(ind, area.code, "2023", float(figure))
    value(ind, COVENTRY, "2023", coventrys)
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.TOP_QUARTILE,
        target_date=date(2028, 3, 31),
    )
    assert item.target_value == pytest.approx(threshold)


def test_yearly_trajectory_reaches_the_target_at_the_period_holding_the_target_date(analyst):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0)
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.VALUE,
        target_input=16.0,
        target_date=date(2027, 6, 30),
    )
    path = list(item.trajectory.values_list("due", "expected"))
    assert [due.year for due, _ in path] == [2023, 2024, 2025, 2026, 2027]
    assert [expected for _, expected in path] == pytest.approx([20, 19, 18, 17, 16])


def test_quarterly_and_monthly_period_ends():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert trajectory_dates(date(2024, 3, 31), date(2024, 12, 1), "quarterly") == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert len(trajectory_dates(date(2024, 3, 31), date(2025, 3, 31), "monthly")) == 13


def test_a_period_edited_by_hand_is_kept_as_edited(analyst):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0)
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.VALUE,
        target_input=16.0,
        target_date=date(2027, 12, 31),
    )
    point = item.trajectory.get(due__year=2025)
    services.edit_trajectory_point(point, 18.5, analyst)
    point.refresh_from_db()
    assert point.expected == 18.5 and point.edited


@pytest.mark.parametrize(
    "target, field, message",
    [
        (dict(target_date=date(2026, 11, 30)), "target_date", "must be in the future"),
        (dict(target_input=22.0), "target_kind", "Lower is better for this indicator"),
        (dict(target_kind=TargetKind.ENGLAND), "target_kind", "England has no value for 2023"),
        (dict(target_input=None), "target_input", "Enter the target value"),
    ],
)
def test_bad_targets_are_refused_and_the_saved_target_kept(analyst, target, field, message):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0)
    item = _set(
        analyst,
        measure(analyst, ind),
        target_kind=TargetKind.VALUE,
        target_input=16.0,
        target_date=date(2027, 12, 31),
    )
    with pytest.raises(TargetError, match=message) as refusal:
        _set(analyst, OutcomeMeasure.objects.get(pk=item.pk), **target)
    assert refusal.value.field == field
    stored = OutcomeMeasure.objects.get(pk=item.pk)
    assert (stored.target_value, stored.version) == (16.0, item.version)
    assert stored.trajectory.count() == 5


def test_only_analysts_set_targets(analyst):
    lead = person("ben", "Ben Okafor", Role.PROGRAMME_LEAD)
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0)
    item = measure(
        analyst,
        ind,
        target_kind=TargetKind.VALUE,
        target_input=16.0,
        target_date=date(2027, 12, 31),
    )
    with pytest.raises(PermissionDenied):
        services.set_target(item, lead, item.version, today=TODAY)


def test_a_chosen_baseline_period_and_one_without_a_value(analyst):
    ind = indicator()
    launch = value(ind, COVENTRY, "2021", 24.0)
    value(ind, COVENTRY, "2023", 20.0)
    item = measure(analyst, ind, baseline_period=launch.period)
    item = _set(
        analyst,
        item,
        target_kind=TargetKind.VALUE,
        target_input=16.0,
        target_date=date(2027, 12, 31),
    )
    assert (item.baseline_period.label, item.baseline_value) == ("2021", 24.0)
    item.baseline_period = year("2019")
    with pytest.raises(TargetError, match="no value for 2019") as refusal:
        services.set_target(item, analyst, item.version, today=TODAY)
    assert refusal.value.field == "baseline_period"

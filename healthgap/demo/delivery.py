"""Example delivery plans: a "Closing the Gap" style strategy for Leicester and a Marmot City
style one for Coventry, with example programmes, milestones and updates. Strategies, targets,
people, programmes and milestones are made up (labelled "example data" on every page); the
indicator figures are the real ones the demo holds, and the synthetic local series of
:mod:`healthgap.demo.delivery_series` (labelled synthetic), which carry confidence intervals so
that a board sees measures on track, off track and not distinguishable from the trajectory, and
statistical process control readings on the quarterly ones.

The demo loader calls ``load_demo_plans(report)``; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from healthgap.areas.models import Area
from healthgap.constants import FEMALE, PERSONS, Role
from healthgap.delivery import services
from healthgap.delivery.models import (
    Frequency,
    LinkedPlan,
    MeasureClaim,
    Milestone,
    MilestoneStatus,
    OutcomeMeasure,
    Priority,
    Programme,
    ProgrammeStatus,
    Strategy,
    StrategyKind,
    TargetKind,
)
from healthgap.delivery.targets import TargetError
from healthgap.indicators.models import Period
from healthgap.mortality.causes import ALL_CAUSES
from healthgap.publishing import services as publishing

LEICESTER, COVENTRY = "E06000016", "E08000026"
CLOSING_THE_GAP = "Closing the Gap: Leicester's health and wellbeing strategy"
MARMOT_CITY = "Coventry Marmot City: a fairer, healthier Coventry"
TARGET_DATE = date(2030, 12, 31)


@dataclass(frozen=True)
class ExampleMeasure:
    indicator: str
    sex: str
    age: str
    kind: str
    baseline: str | None = None  # period label; None: the latest value
    target_input: float | None = None
    target_date: date = TARGET_DATE
    frequency: str = Frequency.YEARLY
    is_mortality: bool = False
    cause_group: str = ALL_CAUSES  # of a mortality measure: the deaths its indicator counts


QUARTERLY_TARGET = date(2027, 3, 31)
# The judged measures are the synthetic local series (demo/delivery_series.py): the demo's real
# series over time carry no confidence interval, so those are shown as "not enough data" with
# the reason, as a board would see them.
PLANS = {
    (LEICESTER, CLOSING_THE_GAP, StrategyKind.JOINT_STRATEGY): {
        "Fewer preventable deaths": [
            ExampleMeasure("108", PERSONS, "<75 yrs", TargetKind.ENGLAND, baseline="2014",
                           is_mortality=True),
        ],
        "Healthy minds": [
            ExampleMeasure("SYN-LEI-RECOVERY", PERSONS, "18+ yrs", TargetKind.VALUE,
                           baseline="2021/22 Q1", target_input=52, target_date=QUARTERLY_TARGET,
                           frequency=Frequency.QUARTERLY),
        ],
        "Healthy lives": [
            ExampleMeasure("SYN-LEI-CHECKS", PERSONS, "40-74 yrs", TargetKind.VALUE,
                           baseline="2021/22 Q1", target_input=55, target_date=QUARTERLY_TARGET,
                           frequency=Frequency.QUARTERLY),
            ExampleMeasure("91112", PERSONS, "40-74 yrs", TargetKind.VALUE,
                           baseline="2021/22 Q1 - 2024/25 Q4", target_input=60,
                           target_date=QUARTERLY_TARGET, frequency=Frequency.QUARTERLY),
        ],
        "Best start in life": [
            ExampleMeasure("SYN-LEI-BREASTFED", PERSONS, "All ages", TargetKind.VALUE,
                           baseline="2019", target_input=65),
        ],
    },
    (COVENTRY, MARMOT_CITY, StrategyKind.MARMOT): {
        "Longer, healthier lives": [
            ExampleMeasure("90366", FEMALE, "All ages", TargetKind.ENGLAND, baseline="2017 - 19"),
        ],
        "Smokefree Coventry": [
            ExampleMeasure("SYN-COV-QUIT4", PERSONS, "18+ yrs", TargetKind.VALUE,
                           baseline="2021/22 Q1", target_input=60, target_date=QUARTERLY_TARGET,
                           frequency=Frequency.QUARTERLY),
        ],
        "Best start in life": [
            ExampleMeasure("SYN-COV-READY", PERSONS, "5 yrs", TargetKind.VALUE,
                           baseline="2019", target_input=75),
        ],
        "Active, healthy places": [
            ExampleMeasure("SYN-COV-ACTIVE", PERSONS, "5-16 yrs", TargetKind.VALUE,
                           baseline="2019", target_input=64),
        ],
        "Fewer preventable deaths": [
            ExampleMeasure("108", PERSONS, "<75 yrs", TargetKind.HALVE_GAP, baseline="2014",
                           is_mortality=True),
            # Counted on the city's (synthetic) record-level cancer deaths, C00-C97.
            ExampleMeasure("40502", PERSONS, "<75 yrs", TargetKind.ENGLAND, is_mortality=True,
                           cause_group="cancer"),
        ],
    },
}  # fmt: skip

# (programme, its priority, deaths a year it says it will avert on the priority's mortality
# measures, milestones)
PROGRAMMES = {
    LEICESTER: [
        ("Suicide prevention partnership", "Healthy minds", None,
         [("Real-time surveillance live", date(2026, 3, 31), MilestoneStatus.IN_PROGRESS),
          ("Training for 500 front-line staff", date(2027, 9, 30), MilestoneStatus.NOT_STARTED)]),
        ("Health checks in the community", "Healthy lives", None,
         [("Outreach van in Spinney Hills", date(2026, 6, 30), MilestoneStatus.DONE),
          ("Checks offered in 20 mosques and temples", date(2027, 3, 31),
           MilestoneStatus.IN_PROGRESS)]),
        ("Cardiovascular disease prevention", "Fewer preventable deaths", 40,
         [("Blood pressure checks in 30 pharmacies", date(2025, 12, 31),
           MilestoneStatus.IN_PROGRESS)]),
        ("Smokefree Leicester", "Fewer preventable deaths", 25,
         [("Stop-smoking service in maternity", date(2026, 9, 30), MilestoneStatus.NOT_STARTED)]),
    ],
    COVENTRY: [
        ("Smokefree generation", "Smokefree Coventry", None,
         [("Stop-smoking service recommissioned", date(2026, 4, 30), MilestoneStatus.IN_PROGRESS),
          ("Vape-free school gates", date(2027, 1, 31), MilestoneStatus.NOT_STARTED)]),
        ("Earlier cancer diagnosis", "Fewer preventable deaths", 30,
         [("Lung health checks in every ward", date(2027, 6, 30), MilestoneStatus.NOT_STARTED)]),
    ],
}  # fmt: skip


def _example_person(username: str, full_name: str, role: str):
    first, last = full_name.split(" ", 1)
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()  # an example name on the pages: nobody signs in as it
        user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _measure(priority, area_code, example: ExampleMeasure, analyst, report) -> None:
    baseline = Period.objects.filter(label=example.baseline).first() if example.baseline else None
    measure = publishing.create(
        OutcomeMeasure(
            priority=priority, indicator_id=example.indicator, area_id=area_code,
            sex=example.sex, age=example.age, baseline_period=baseline,
            target_kind=example.kind, target_input=example.target_input,
            target_date=example.target_date, frequency=example.frequency,
            is_mortality=example.is_mortality, cause_group=example.cause_group,
        ),
        analyst,
    )  # fmt: skip
    try:
        services.set_target(measure, analyst, measure.version)
    except TargetError as error:  # the data moved on: keep the measure, without a target
        report(f"  example target for {example.indicator} not set: {error}")


def _programmes(strategy, area_code, analyst, report) -> None:
    lead = _example_person(f"example-lead-{area_code.lower()}", "Sam Example", Role.PROGRAMME_LEAD)
    for name, priority_name, deaths, milestones in PROGRAMMES[area_code]:
        programme = publishing.create(
            Programme(name=name, lead=lead, is_example=True, status=ProgrammeStatus.ON_TRACK,
                      lead_organisation_name=f"{strategy.area.name} City Council",
                      summary="Example programme for the demo."),
            analyst,
        )  # fmt: skip
        priority = strategy.priorities.get(name=priority_name)
        programme.priorities.add(priority)
        for measure in priority.measures.all():
            claim = deaths if measure.is_mortality else None
            MeasureClaim.objects.create(programme=programme, measure=measure, deaths_a_year=claim)
        LinkedPlan.objects.create(
            programme=programme, kind=LinkedPlan.Kind.PARTNER,
            title="Integrated care board joint forward plan (example)",
        )  # fmt: skip
        for title, due, status in milestones:
            milestone = Milestone(title=title, owner=lead, due_date=due, status=status)
            services.add_milestone(programme, milestone, lead)
        services.record_update(programme, lead, "Example update: work is under way.")


@transaction.atomic
def load_demo_plans(report) -> None:
    analyst = _example_person("example-analyst", "Alex Example", Role.ANALYST)
    for (area_code, name, kind), priorities in PLANS.items():
        if Strategy.private_objects.filter(name=name).exists():
            continue
        strategy = publishing.create(
            Strategy(name=name, kind=kind, area=Area.objects.get(code=area_code),
                     is_example=True, summary="Example strategy for the demo."),
            analyst,
        )  # fmt: skip
        for position, (priority_name, measures) in enumerate(priorities.items(), start=1):
            priority = publishing.create(
                Priority(strategy=strategy, name=priority_name, position=position), analyst
            )
            for example in measures:
                _measure(priority, area_code, example, analyst, report)
        _programmes(strategy, area_code, analyst, report)
        report(f"  example delivery plan: {name}")

"""Example board governance for each demo city: the Health and Wellbeing Board and three
sub-groups, members, a year of meetings (attendance, themed agenda items, actions) and the
forward plan. Every committee is marked ``is_example``, so its pages say it is example data.

Made once: a city whose board exists is skipped, so loading the demo again changes nothing. The
meetings are dated from the day of the first load (the past year and the next few months), with a
fixed random seed."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from healthgap.accounts.demo import DEMO_CITIES, demo_username
from healthgap.accounts.models import Sector
from healthgap.accounts.services import get_or_create_organisation
from healthgap.areas.models import Area
from healthgap.board import services
from healthgap.board.models import (
    Action,
    AgendaItem,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    ItemType,
    Meeting,
    MeetingKind,
    Member,
    Priority,
    StatutoryRole,
    TermsOfReference,
    Theme,
)
from healthgap.constants import Role
from healthgap.publishing import services as publishing

SEED = 16
LONDON = ZoneInfo("Europe/London")
SUB_GROUPS = ("Health Protection Committee", "Integration Group", "Children's Partnership")
PRIORITIES = ("Healthy weight", "Mental wellbeing", "Tackling poverty")
# (name, role, statutory role, organisation with {city}, sector, on scrutiny)
MEMBERS = [
    (
        "Cllr A. Example",
        "Cabinet Member for Public Health (chair)",
        StatutoryRole.COUNCILLOR,
        "{city} City Council councillors",
        Sector.ELECTED_MEMBER,
        False,
    ),
    (
        "Cllr B. Example",
        "Cabinet Member for Adult Services",
        StatutoryRole.COUNCILLOR,
        "{city} City Council councillors",
        Sector.ELECTED_MEMBER,
        True,
    ),
    (
        "C. Example",
        "Director of Adult Social Services",
        StatutoryRole.ADULT_SOCIAL_SERVICES,
        "{city} City Council",
        Sector.COUNCIL,
        False,
    ),
    (
        "D. Example",
        "Director of Public Health",
        StatutoryRole.PUBLIC_HEALTH,
        "{city} Public Health",
        Sector.PUBLIC_HEALTH,
        False,
    ),
    (
        "E. Example",
        "Healthwatch chair",
        StatutoryRole.HEALTHWATCH,
        "Healthwatch {city}",
        Sector.HEALTHWATCH,
        False,
    ),
    (
        "F. Example",
        "ICB place director",
        StatutoryRole.INTEGRATED_CARE_BOARD,
        "{city} Integrated Care Board",
        Sector.ICB,
        False,
    ),
    (
        "G. Example",
        "Chief Superintendent",
        StatutoryRole.NONE,
        "{city} Police",
        Sector.POLICE,
        False,
    ),
    (
        "H. Example",
        "Chief executive, voluntary action",
        StatutoryRole.NONE,
        "Voluntary Action {city}",
        Sector.VCS,
        False,
    ),
]
# Weighted towards NHS operational items, as the peer reviews found on real boards.
THEME_WEIGHTS = {
    Theme.NHS_OPERATIONAL: 5,
    Theme.PRIORITY: 3,
    Theme.ADULT_SOCIAL_CARE: 1,
    Theme.CHILDREN: 1,
    Theme.MENTAL_HEALTH: 1,
    Theme.PREVENTION: 2,
    Theme.WIDER_DETERMINANTS: 1,
}
ITEM_TITLES = {
    Theme.NHS_OPERATIONAL: "Urgent and emergency care update",
    Theme.ADULT_SOCIAL_CARE: "Better Care Fund plan",
    Theme.CHILDREN: "Children's Partnership report",
    Theme.MENTAL_HEALTH: "Suicide prevention plan",
    Theme.PREVENTION: "Vaccination uptake",
    Theme.WIDER_DETERMINANTS: "Housing and health",
}


def load_example_boards() -> int:
    """Each demo city's example board; returns how many boards there are."""
    for city, code in DEMO_CITIES.items():
        name = f"{city.title()} Health and Wellbeing Board"
        if not Committee.objects.filter(name=name).exists():
            _example_board(city, name, Area.objects.filter(code=code).first())
    return Committee.objects.filter(is_example=True, kind=CommitteeKind.BOARD).count()


@transaction.atomic
def _example_board(city: str, name: str, area) -> None:
    place = city.title()
    officer = User.objects.filter(username=demo_username(city, Role.BOARD_OFFICER)).first()
    board = _committee(name, CommitteeKind.BOARD, area, None, officer)
    board.wanted_sectors = [Sector.NHS_PROVIDER, Sector.VCS]
    board.save()
    for group in SUB_GROUPS:
        _committee(f"{place} {group}", CommitteeKind.SUB_GROUP, area, board, officer)
    priorities = [
        Priority.objects.create(committee=board, name=p, order=n) for n, p in enumerate(PRIORITIES)
    ]
    members = [_member(board, place, row, area, officer) for row in MEMBERS]
    _meetings(board, members, priorities, officer, random.Random(f"{SEED}-{city}"))


def _committee(name, kind, area, reports_to, user) -> Committee:
    committee = publishing.create(
        Committee(name=name, kind=kind, area=area, reports_to=reports_to, is_example=True), user
    )
    agreed = timezone.localdate() - datetime.timedelta(days=400)
    publishing.create(
        TermsOfReference(
            committee=committee,
            purpose="Example terms of reference: to improve health and reduce inequalities.",
            quorum=5 if reports_to is None else 3,
            frequency="every two months",
            reporting_line="Full Council" if reports_to is None else str(reports_to),
            agreed_on=agreed,
        ),
        user,
    )
    return committee


def _member(board, place, row, area, user) -> Member:
    name, role, statutory, organisation, sector, scrutiny = row
    return publishing.create(
        Member(
            committee=board,
            name=f"{name} ({place})",
            role=role,
            statutory_role=statutory,
            organisation=get_or_create_organisation(organisation.format(city=place), sector, area),
            start_date=timezone.localdate() - datetime.timedelta(days=500),
            on_scrutiny=scrutiny,
            register_updated_on=timezone.localdate()
            - datetime.timedelta(days=200 + 40 * len(name)),
        ),
        user,
    )


def _meetings(board, members, priorities, user, rng) -> None:
    today = timezone.localdate()
    for months in range(-12, 5, 2):
        day = today + datetime.timedelta(days=30 * months)
        kind = MeetingKind.DEVELOPMENT if months == -6 else MeetingKind.FORMAL
        starts = datetime.datetime(day.year, day.month, day.day, 14, tzinfo=LONDON)
        meeting = services.record_meeting(
            Meeting(committee=board, starts_at=starts, kind=kind), user
        )
        _agenda(meeting, priorities, user, rng, held=day < today)
        if day < today:
            publishing.publish(meeting, user)
            _attendance(meeting, members, user, rng)
            _action(meeting, user, due=day + datetime.timedelta(days=60))


def _agenda(meeting, priorities, user, rng, held: bool) -> None:
    themes = rng.choices(list(THEME_WEIGHTS), weights=list(THEME_WEIGHTS.values()), k=5)
    for number, theme in enumerate(themes, start=1):
        priority = rng.choice(priorities[:2]) if theme == Theme.PRIORITY else None
        allotted = rng.choice((10, 15, 20, 30))
        services.add_agenda_item(
            AgendaItem(
                meeting=meeting,
                number=number,
                title=priority.name if priority else ITEM_TITLES[theme],
                theme=theme,
                priority=priority,
                item_type=rng.choice(ItemType.values),
                minutes_allotted=allotted,
                minutes_used=allotted + rng.randint(-5, 15) if held else None,
            ),
            user,
        )


def _attendance(meeting, members, user, rng) -> None:
    for member in members:
        roll = rng.random()
        if roll < 0.7:
            services.record_attendance(meeting, member, AttendanceStatus.PRESENT, user)
        elif roll < 0.85:
            services.record_attendance(meeting, member, AttendanceStatus.APOLOGIES, user, "Deputy")
        else:
            services.record_attendance(meeting, member, AttendanceStatus.ABSENT, user)


def _action(meeting, user, due) -> None:
    services.add_action(
        Action(
            meeting=meeting,
            description="Bring back an example report on progress",
            owner=user,
            owner_name="" if user else "Board officer",
            due_date=due,
        ),
        user,
    )

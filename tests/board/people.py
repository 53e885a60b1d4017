"""A small board for the board tests, made through the services like real ones."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

from healthgap.accounts.models import Organisation, Sector
from healthgap.board import services
from healthgap.board.models import (
    Committee,
    CommitteeKind,
    Meeting,
    Member,
    Priority,
    StatutoryRole,
)
from healthgap.constants import Role
from healthgap.publishing import services as publishing

LONDON = ZoneInfo("Europe/London")


def officer() -> User:
    user = User.objects.create_user("olu", first_name="Olu", last_name="Adeyemi", password="pw")
    user.groups.add(Group.objects.get_or_create(name=Role.BOARD_OFFICER)[0])
    return user


def organisation(name: str, sector: str = Sector.COUNCIL) -> Organisation:
    return Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]


def board(user, name="Coventry Health and Wellbeing Board", **fields) -> Committee:
    return publishing.create(Committee(name=name, kind=CommitteeKind.BOARD, **fields), user)


def member(user, committee, name, role=StatutoryRole.NONE, org=None, start=None, **fields):
    return publishing.create(
        Member(
            committee=committee,
            name=name,
            role=fields.pop("title", name),
            statutory_role=role,
            organisation=org or organisation("Coventry City Council"),
            start_date=start or datetime.date(2025, 4, 1),
            **fields,
        ),
        user,
    )


def statutory_members(user, committee) -> dict[str, Member]:
    council = organisation("Coventry City Council")
    icb = organisation("NHS Coventry and Warwickshire ICB", Sector.ICB)
    healthwatch = organisation("Healthwatch Coventry", Sector.HEALTHWATCH)
    return {
        "cllr": member(user, committee, "Cllr Kamran Caan", StatutoryRole.COUNCILLOR, council),
        "dass": member(user, committee, "Pete Fahy", StatutoryRole.ADULT_SOCIAL_SERVICES, council),
        "dcs": member(user, committee, "John Gregg", StatutoryRole.CHILDRENS_SERVICES, council),
        "dph": member(user, committee, "Allison Duggal", StatutoryRole.PUBLIC_HEALTH, council),
        "hw": member(user, committee, "Ruth Light", StatutoryRole.HEALTHWATCH, healthwatch),
        "icb": member(user, committee, "Phil Johns", StatutoryRole.INTEGRATED_CARE_BOARD, icb),
    }


def priorities(committee, *names) -> list[Priority]:
    return [
        Priority.objects.create(committee=committee, name=name, order=n)
        for n, name in enumerate(names)
    ]


def meeting(user, committee, year, month, day, hour=14) -> Meeting:
    moment = datetime.datetime(year, month, day, hour, tzinfo=LONDON)
    return services.record_meeting(Meeting(committee=committee, starts_at=moment), user)

"""Demo users: one per role for each demo city, with public passwords listed in the README.

Made only in demo mode (``HEALTHGAP_DEMO=1``); ``check --deploy`` refuses a database holding them.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from healthgap.accounts import services
from healthgap.accounts.models import Sector
from healthgap.areas.models import Area
from healthgap.constants import Role

DEMO_CITIES = {"coventry": "E08000026", "leicester": "E06000016"}
DEMO_YEAR = 2026
# (role, organisation name with {city}, its sector, job title)
DEMO_ROLES = [
    (Role.ADMINISTRATOR, "{city} City Council", Sector.COUNCIL, "Systems administrator"),
    (Role.ANALYST, "{city} Public Health", Sector.PUBLIC_HEALTH, "Public health analyst"),
    (Role.PROGRAMME_LEAD, "{city} Integrated Care Board", Sector.ICB, "Programme lead"),
    (Role.BOARD_MEMBER, "{city} City Council councillors", Sector.ELECTED_MEMBER, "Councillor"),
    (
        Role.BOARD_OFFICER,
        "{city} City Council",
        Sector.COUNCIL,
        "Health and Wellbeing Board officer",
    ),
    (Role.PEER_REVIEWER, "{city} peer challenge team", Sector.OTHER, "Peer reviewer"),
]
STATIC_DEVICE_NAME = "Demo backup codes"
STATIC_TOKEN_COUNT = 3


def demo_username(city: str, role: str) -> str:
    return f"{city}.{role.lower().replace(' ', '-')}"


def demo_password(city: str, role: str) -> str:
    # "sign-in" keeps it far enough from the user name and email address for Django's
    # similarity validator (demo-coventry-analyst-2026 is refused as too similar).
    return f"demo-{city}-{role.lower().replace(' ', '-')}-sign-in-{DEMO_YEAR}"


def demo_static_tokens(city: str) -> list[str]:
    """The demo administrator's backup codes (each works once; loading the demo again restores
    them)."""
    return [f"{city}-{number}" for number in range(1, STATIC_TOKEN_COUNT + 1)]


@transaction.atomic
def create_demo_users() -> int:
    """Creates the demo users that are missing and restores the administrators' backup codes;
    returns how many demo users there are."""
    count = 0
    for city, area_code in DEMO_CITIES.items():
        area = Area.objects.filter(code=area_code).first()
        for role, organisation, sector, job_title in DEMO_ROLES:
            user = _demo_user(city, area, role, organisation, sector, job_title)
            if role == Role.ADMINISTRATOR:
                _restore_static_tokens(user, demo_static_tokens(city))
            count += 1
    return count


def _demo_user(city, area, role, organisation, sector, job_title) -> User:
    username = demo_username(city, role)
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    place = city.title()
    return services.create_user(
        username,
        demo_password(city, role),
        organisation=services.get_or_create_organisation(
            organisation.format(city=place), sector, area
        ),
        roles=[role],
        job_title=job_title,
        is_demo=True,
        first_name=place,
        last_name=role,
        email=f"{username}@example.org",
    )


def _restore_static_tokens(user: User, tokens: list[str]) -> None:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=STATIC_DEVICE_NAME)
    for token in tokens:
        StaticToken.objects.get_or_create(device=device, token=token)

"""A peer challenge of Coventry made with factories: its team (a peer reviewer on it, another on
a different challenge), the board's people and the default frameworks (from the migration)."""

import datetime as dt

import pytest

from healthgap.constants import Role
from healthgap.improvement import services
from healthgap.improvement.models import Challenge, PeerRole, TeamMember
from healthgap.publishing import services as publishing
from tests.factories import UpperTierFactory
from tests.publishing.people import person


@pytest.fixture
def people(db):
    return {
        "manager": person("rob", "Robin Clarke", Role.PEER_REVIEWER),
        "outsider": person("pat", "Pat Other", Role.PEER_REVIEWER),
        "officer": person("olu", "Olu Ade", Role.BOARD_OFFICER),
        "analyst": person("amina", "Amina Khan", Role.ANALYST),
        "member": person("dev", "Dev Patel", Role.BOARD_MEMBER),
    }


def make_challenge(creator, area, lead=None, title="Coventry peer challenge") -> Challenge:
    headline, maturity = services.default_frameworks()
    challenge = Challenge(
        area=area,
        title=title,
        framework=headline,
        maturity_framework=maturity,
        lead=lead,
        visit_start=dt.date(2014, 3, 11),
        visit_end=dt.date(2014, 3, 14),
    )
    return publishing.create(challenge, creator)


@pytest.fixture
def challenge(people):
    made = make_challenge(people["analyst"], UpperTierFactory(), lead=people["manager"])
    member = TeamMember(
        challenge=made,
        name="Robin Clarke",
        role=PeerRole.CHALLENGE_MANAGER,
        organisation="Local Government Association",
        user=people["manager"],
    )
    services.add_part(member, people["manager"])
    return made


@pytest.fixture
def other_challenge(people, challenge):
    made = make_challenge(people["analyst"], challenge.area, title="Another board's challenge")
    TeamMember.objects.create(
        challenge=made, name="Pat Other", role=PeerRole.LEAD_PEER, user=people["outsider"]
    )
    return made

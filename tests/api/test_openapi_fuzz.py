"""schemathesis against the API's own OpenAPI description (/api/v1/openapi.json), through the
WSGI application: every operation, generated valid and invalid input, every check (no 5xx,
answers that match the described schemas, status codes and content types described)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from healthgap.board import services as board_services
from healthgap.board.models import AgendaItem, ItemType, Theme
from healthgap.constants import Role
from healthgap.delivery.models import Programme
from healthgap.places import services as places
from healthgap.places.models import MemberType, PlaceKind
from healthgap.places.services import PlaceDefinition
from healthgap.publishing import services
from healthgap.wsgi import application
from tests.accounts.factories import UserFactory
from tests.board.people import board, meeting
from tests.delivery.plan import measure
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    LsoaFactory,
    UpperTierFactory,
    WardFactory,
)


@pytest.fixture
def api_data(db):
    """A little of everything for the fuzzer to find: areas, values, a published programme,
    a published strategy with a measure, a published meeting with a decision, a published
    place of one ward."""
    for ward in (WardFactory(), WardFactory()):
        IndicatorValueFactory(indicator=IndicatorFactory(code="API-1"), area=ward)
    lead = UserFactory(roles=[Role.PROGRAMME_LEAD])
    services.publish(services.create(Programme(name="Fuzzed plan"), lead), lead)
    UpperTierFactory()
    services.publish(measure(lead, IndicatorFactory(code="API-2")).priority.strategy, lead)
    held = meeting(lead, board(lead), 2026, 5, 10)
    item = AgendaItem(meeting=held, number=1, title="Plan", theme=Theme.PREVENTION,
                      item_type=ItemType.DECISION, decision="Agreed.")  # fmt: skip
    board_services.add_agenda_item(item, lead)
    services.publish(held, lead)
    ward = LsoaFactory().ward
    analyst = UserFactory(roles=[Role.ANALYST])
    definition = PlaceDefinition("Fuzzed place", PlaceKind.PLACE, ward.parent, MemberType.WARDS,
                                 ward.code)  # fmt: skip
    services.publish(places.define_place(definition, analyst), analyst)


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """The WSGI application closes old database connections when a request starts and ends;
    Django's test client stops that, and so must this test: on PostgreSQL the test's
    transaction went with the connection ("the connection is closed")."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


# The description as the application serves it (generating it reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_description(api_data, case):
    case.call_and_validate()

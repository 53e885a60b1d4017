"""Roles as Django groups, the services that grant them, and the rules predicates."""

import logging
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from healthgap.accounts import services
from healthgap.accounts.permissions import PREDICATES, is_internal, is_object_lead
from healthgap.constants import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_made_by_the_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)


@pytest.mark.parametrize("role", Role.ALL)
def test_a_role_passes_its_own_predicate_and_internal_unless_peer_reviewer(role):
    user = UserFactory(roles=[role])
    own = "is_" + role.lower().replace(" ", "_")
    assert PREDICATES[own](user)
    assert is_internal(user) is (role != Role.PEER_REVIEWER)
    others = [name for name in PREDICATES if name not in (own, "is_internal")]
    assert not any(PREDICATES[name](user) for name in others)


def test_the_public_passes_no_predicate():
    assert not any(predicate(AnonymousUser()) for predicate in PREDICATES.values())


def test_object_lead_rule_is_true_only_for_the_named_lead():
    lead, other = UserFactory(roles=[Role.PROGRAMME_LEAD]), UserFactory(roles=[Role.PROGRAMME_LEAD])
    programme = SimpleNamespace(lead_id=lead.pk)
    assert is_object_lead(lead, programme)
    assert not is_object_lead(other, programme)
    assert not is_object_lead(lead, None)


def test_permissions_go_through_the_rules_backend():
    administrator, analyst = (
        UserFactory(roles=[Role.ADMINISTRATOR]),
        UserFactory(roles=[Role.ANALYST]),
    )
    assert administrator.has_perm("accounts.administer")
    assert not analyst.has_perm("accounts.administer")
    assert analyst.has_perm("accounts.view_internal")
    assert not UserFactory(roles=[Role.PEER_REVIEWER]).has_perm("accounts.view_internal")


def test_changing_roles_is_logged_and_sets_staff_status_for_administrators(caplog):
    user = UserFactory(username="jo", roles=[Role.ANALYST])
    by = UserFactory(username="boss", roles=[Role.ADMINISTRATOR])
    assert not user.is_staff
    with caplog.at_level(logging.INFO, logger="healthgap.security"):
        services.set_roles(user, [Role.ADMINISTRATOR, Role.ANALYST], changed_by=by)
    user.refresh_from_db()
    assert user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR, Role.ANALYST}
    assert "roles of jo changed from ['Analyst'] to ['Administrator', 'Analyst'] by boss" in (
        caplog.text
    )


def test_an_unknown_role_is_refused_and_nothing_is_saved():
    user = UserFactory(roles=[Role.ANALYST])
    with pytest.raises(services.UnknownRoleError, match="Auditor"):
        services.set_roles(user, ["Auditor"])
    assert list(user.groups.values_list("name", flat=True)) == [Role.ANALYST]

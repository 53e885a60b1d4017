"""Demo users: one per role for each demo city, made only in demo mode, and idempotent."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django_otp.plugins.otp_static.models import StaticToken

from healthgap.accounts.demo import (
    DEMO_CITIES,
    create_demo_users,
    demo_password,
    demo_static_tokens,
    demo_username,
)
from healthgap.constants import Role
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]


def test_the_demo_loaded_outside_demo_mode_has_no_demo_users():
    # The suite's database is loaded by load_demo() with HEALTHGAP_DEMO unset.
    assert not User.objects.filter(profile__is_demo=True).exists()


def test_one_user_per_role_and_city_with_a_valid_password_made_once():
    assert create_demo_users() == len(DEMO_CITIES) * len(Role.ALL)
    assert create_demo_users() == len(DEMO_CITIES) * len(Role.ALL)
    assert User.objects.filter(profile__is_demo=True).count() == 12
    for city, area_code in DEMO_CITIES.items():
        for role in Role.ALL:
            user = User.objects.get(username=demo_username(city, role))
            assert list(user.groups.values_list("name", flat=True)) == [role]
            assert user.check_password(demo_password(city, role))
            validate_password(demo_password(city, role), user)
            assert user.profile.organisation.area_id == area_code
    assert User.objects.get(username="coventry.programme-lead").check_password(
        "demo-coventry-programme-lead-sign-in-2026"
    )


def test_demo_administrators_have_backup_codes_restored_on_each_load():
    create_demo_users()
    StaticToken.objects.filter(token="coventry-1").delete()  # used once
    create_demo_users()
    tokens = StaticToken.objects.filter(device__user__username="coventry.administrator")
    assert sorted(tokens.values_list("token", flat=True)) == demo_static_tokens("coventry")


def test_the_readme_lists_every_demo_user_with_its_password():
    readme = (REPO_ROOT / "README.md").read_text()
    for city in DEMO_CITIES:
        for role in Role.ALL:
            assert f"`{demo_username(city, role)}`" in readme
            assert f"`{demo_password(city, role)}`" in readme
        for token in demo_static_tokens(city):
            assert f"`{token}`" in readme

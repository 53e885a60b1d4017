"""The security log: publish, withdraw and unsuppressed exports are recorded (sign-in, sign-out,
lock-out and role changes are tested in tests/accounts), and production writes the log to a file."""

import logging
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from healthgap.constants import SECURITY_LOGGER, Role
from healthgap.publishing import services
from tests.accounts.factories import UserFactory
from tests.delivery.small_numbers import small_series_measure
from tests.factories import IndicatorValueFactory
from tests.publishing.people import programme

pytestmark = pytest.mark.django_db


def test_publish_and_withdraw_are_logged_with_who_what_and_why(caplog):
    analyst = UserFactory(username="sam.analyst", roles=[Role.ANALYST])
    item = programme(analyst, name="Smokefree Coventry")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        services.publish(item, analyst)
        services.withdraw(item, analyst, "Merged into the tobacco plan")
    assert f"sam.analyst published programme {item.pk} (Smokefree Coventry)" in caplog.text
    assert (
        f"sam.analyst withdrew programme {item.pk} (Smokefree Coventry): "
        "Merged into the tobacco plan" in caplog.text
    )


def test_an_export_of_unsuppressed_values_is_logged(caplog, tmp_path):
    value = IndicatorValueFactory()
    target = tmp_path / "values.csv"
    # One indicator's values: the demo may be loaded in the same test database.
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        call_command(
            "export",
            str(target),
            indicator=[value.indicator_id],
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
    assert f"exported 1 unsuppressed values to {target}" in caplog.text


def test_an_analysts_export_of_the_plan_unsuppressed_is_logged(client, caplog):
    """The delivery plan's XLSX holds a flagged indicator's stored figures for analysts only
    (tests/delivery/test_workspace_disclosure.py): their export is logged, others' is not."""
    analyst = UserFactory(username="ali.analyst", roles=[Role.ANALYST])
    strategy = small_series_measure(analyst).priority.strategy
    url = reverse("plan:strategy_xlsx", args=[strategy.pk])
    logged = f"unsuppressed delivery plan of strategy {strategy.pk} exported by"
    for user in (analyst, UserFactory(username="lee.lead", roles=[Role.PROGRAMME_LEAD])):
        client.force_login(user)
        with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
            assert client.get(url).status_code == 200
    assert f"{logged} {analyst.username}" in caplog.text
    assert f"{logged} lee.lead" not in caplog.text


PRODUCTION_LOG = """
import django, logging
django.setup()
logging.getLogger("healthgap.security").warning("account 'jo' locked out")
"""


def test_production_writes_the_security_log_to_a_file_under_var(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthgap.settings.production",
        "HEALTHGAP_SECRET_KEY": "a-secret-of-the-deployment's-own-for-this-test",
        "HEALTHGAP_ALLOWED_HOSTS": "health.example.org",
        "HEALTHGAP_VAR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-c", PRODUCTION_LOG], env=env, check=True)
    logged = (tmp_path / "log" / "security.log").read_text(encoding="utf-8")
    assert logged.rstrip().endswith("WARNING account 'jo' locked out")

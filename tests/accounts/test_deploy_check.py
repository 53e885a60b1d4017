"""`healthgap check --deploy` with production settings: passes on a clean database, fails with
a demo user or the demo secret key; `healthgap serve` runs the same check before it starts."""

import os
import subprocess
import sys

import pytest

from healthgap.settings.base import DEMO_SECRET_KEY

SECRET = "a-production-secret-of-sixty-characters-or-so-x9q2-zz81-kk0m-pp"


def healthgap(args, env, settings="healthgap.settings.production"):
    return subprocess.run(
        [sys.executable, "-m", "healthgap.cli", *args],
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    var = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "HEALTHGAP_VAR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'deploy.sqlite3'}",
        "HEALTHGAP_SECRET_KEY": SECRET,
        "HEALTHGAP_ALLOWED_HOSTS": "healthgap.example.org",
    }
    env.pop("HEALTHGAP_DEMO", None)
    migrated = healthgap(["migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_check_deploy_passes_on_a_clean_production_database(production_env):
    result = healthgap(["check", "--deploy"], production_env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_with_the_demo_key_fails(production_env):
    env = {**production_env, "HEALTHGAP_SECRET_KEY": DEMO_SECRET_KEY}
    # Production settings refuse the demo key outright; the check itself refuses it too.
    assert healthgap(["check", "--deploy"], env).returncode != 0
    dev = healthgap(["check", "--deploy"], env, settings="healthgap.settings.dev")
    assert dev.returncode != 0 and "healthgap.E001" in dev.stderr


def test_check_deploy_and_serve_fail_while_a_demo_user_exists(production_env):
    made = healthgap(
        [
            "shell",
            "-c",
            "from healthgap.accounts.demo import create_demo_users; create_demo_users()",
        ],
        production_env,
    )
    assert made.returncode == 0, made.stderr
    result = healthgap(["check", "--deploy"], production_env)
    assert result.returncode != 0
    assert "healthgap.E002" in result.stderr and "coventry.administrator" in result.stderr
    served = healthgap(["serve", "--port", "0"], production_env)
    assert served.returncode != 0 and "healthgap.E002" in served.stderr

    deleted = healthgap(["delete-demo-users"], production_env)
    assert deleted.returncode == 0, deleted.stderr
    assert healthgap(["check", "--deploy"], production_env).returncode == 0

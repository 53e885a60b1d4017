"""Fixtures shared by the whole suite."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``shared/data`` beside the clone (CI places it there); HEALTHGAP_SHARED_DATA overrides."""
    return Path(os.environ.get("HEALTHGAP_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared open-data folder. Its GPL-3 method fixtures are read from here, never copied.

    Outside CI a missing folder skips the test; in CI (CI=true) it fails, so those tests always run.
    """
    path = shared_data_dir()
    if not path.is_dir():
        message = f"shared data folder not found at {path} (set HEALTHGAP_SHARED_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pytest_collection_modifyitems(items):
    """The tests that load the demo run after the others that use the test database: once
    loaded, it stays there for the session, and tests that make their own few rows must not meet
    it. The browser tests run last: Playwright's session-long event loop makes Django refuse
    database calls from the test process after it starts."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            "demo_db" in getattr(item, "fixturenames", ()),
        )
    )


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """The bundled demo data in the test database, loaded once per session for the tests that
    ask for it (``pytest.mark.usefixtures("demo_db")``); the others make their few rows with
    ``tests.factories``.

    Tests use the ``db`` fixture, whose transaction is rolled back after each test, so the demo
    data stays as loaded.
    """
    from healthgap.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo(report=lambda *_: None)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: its database changes roll back, and a page or
    download cached by the test before could otherwise be served to it."""
    from django.core.cache import cache

    cache.clear()

"""A real server and a real browser: the demo served by `healthgap serve` in its own process,
on its own database, driven by Debian's Chromium through Playwright, with axe-core checks."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import REPO_ROOT

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


HEALTHGAP = [sys.executable, "-m", "healthgap.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_database_url(tmp_path: Path) -> str:
    """A database of the same kind as the suite's, separate from pytest's test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'browser.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = "healthgap_browser_tests"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def served_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the served app: its own var folder and database, demo loaded."""
    tmp_path = tmp_path_factory.mktemp("served")
    # Demo mode, as `make run`: load-demo creates the demo users the account tests sign in as.
    env = {**os.environ, "HEALTHGAP_VAR": str(tmp_path), "HEALTHGAP_DEMO": "1"}
    env["DATABASE_URL"] = _browser_database_url(tmp_path)
    subprocess.run([*HEALTHGAP, "load-demo"], env=env, check=True, capture_output=True)
    return env


@pytest.fixture(scope="session")
def served_app(served_env) -> str:
    """Base URL of the demo as `make run` serves it: loaded with `healthgap load-demo`."""
    tmp_path = Path(served_env["HEALTHGAP_VAR"])
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [*HEALTHGAP, "serve", "--port", str(port), "--workers", "2"],
        env=served_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a busy machine can take a minute to start workers
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError((tmp_path / "server.log").read_text()) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def served_shell(served_env):
    """Runs Python in the served app's database (``healthgap shell -c``); returns what the code
    printed as JSON."""

    def run(code: str):
        done = subprocess.run(
            [*HEALTHGAP, "shell", "--no-imports", "-c", code],
            env=served_env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


SIGN_IN = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
sessions = {}
for username, full_name, roles in PEOPLE:
    first, last = full_name.split(" ", 1)
    user, _ = User.objects.update_or_create(
        username=username, defaults={"first_name": first, "last_name": last})
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[username] = session.session_key
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions}))
"""


@pytest.fixture(scope="session")
def sign_in(served_app, served_shell):
    """Signs people in to the served app before the accounts pages exist: makes each user (with
    the named roles) and a session in the app's database, and returns, for each username, a
    function giving a new browser page whose context carries that session's cookie."""

    def make(browser, people: list[tuple[str, str, tuple[str, ...]]]) -> dict:
        made = served_shell(f"PEOPLE = {people!r}\n{SIGN_IN}")
        host = urlsplit(served_app).hostname

        def page_for(session_key: str):
            def new_page():
                page = new_page_with_errors(browser)
                cookie = {"name": made["cookie"], "value": session_key, "domain": host, "path": "/"}
                page.context.add_cookies([cookie])
                return page

            return new_page

        return {username: page_for(key) for username, key in made["sessions"].items()}

    return make


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run `make browser`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


class PageErrors(list):
    """Console errors and uncaught exceptions seen while a test's page was open."""


def new_page_with_errors(browser):
    """A page in a context of its own; ``page.errors`` collects console errors and uncaught
    exceptions while it is open. Close it with ``page.context.close()``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = PageErrors()
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


@pytest.fixture
def page(browser):
    page = new_page_with_errors(browser)
    yield page
    page.context.close()


AXE_PATH = "/__tests__/axe.min.js"


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now (the wcag22aa
    tag asked for explicitly).

    axe is loaded as a script from the page's own origin (answered by the test, not the app)
    so that the Content Security Policy, which refuses inline scripts, lets it run. A test may
    ask right after a click that navigates: the page is first let finish loading, and the
    script added once more if the new document had no head yet when it was first added."""
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state("load")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.route(origin + AXE_PATH, _serve_axe)
    try:
        page.add_script_tag(url=origin + AXE_PATH)
    except PlaywrightError:
        page.wait_for_load_state("load")
        page.add_script_tag(url=origin + AXE_PATH)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def _serve_axe(route):
    route.fulfill(body=AXE_JS.read_text(encoding="utf-8"), content_type="text/javascript")


def screenshot(page, name: str) -> Path:
    """Saves a full-page screenshot under build/screenshots for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def people(browser, sign_in, request):
    """The module's ``PEOPLE`` (username, name, roles) signed in: username -> new page."""
    return sign_in(browser, request.module.PEOPLE)


@pytest.fixture(scope="module")
def ids(served_shell, people, request):
    """What the module's ``FIND`` script prints (ids of demo objects), read after its people
    exist."""
    return served_shell(request.module.FIND)


def assert_accessible(page, name: str) -> None:
    """No axe violation and no console error on the page; a screenshot kept under ``name``."""
    assert axe_violations(page) == [], name
    assert page.errors == [], name
    screenshot(page, name)

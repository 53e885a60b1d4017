"""A real server and a real browser: the demo served by `healthgap serve` in its own process,
on its own database, driven by Debian's Chromium through Playwright, with axe-core checks."""

from __future__ import annotations

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
def served_app(tmp_path_factory) -> str:
    """Base URL of the demo as `make run` serves it: loaded with `healthgap load-demo`."""
    tmp_path = tmp_path_factory.mktemp("served")
    # Demo mode, as `make run`: load-demo creates the demo users the account tests sign in as.
    env = {**os.environ, "HEALTHGAP_VAR": str(tmp_path), "HEALTHGAP_DEMO": "1"}
    env["DATABASE_URL"] = _browser_database_url(tmp_path)
    healthgap = [sys.executable, "-m", "healthgap.cli"]
    subprocess.run([*healthgap, "load-demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [*healthgap, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a loaded machine can take a minute to boot workers
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = PageErrors()
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> Path:
    """Saves a full-page screenshot under build/screenshots for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

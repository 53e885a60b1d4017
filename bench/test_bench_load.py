"""A bounded load test on loopback (run by ``make bench``): 100 concurrent Locust users read the
cached public pages, their data twins and API calls (bench/locustfile.py, bench/load_pages.py)
from a real `healthgap serve` for 60 seconds, then Locust stops by itself. Reports the number
of requests, errors and the p50/p95/p99 response times, printed and written to
build/bench-load.json. Targets (issue 17): no errors, p95 under 300 ms for cached pages and API
calls on a 2-core machine.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bench.load_pages import PAGES
from bench.test_bench_web import _wait_for
from tests.browser.conftest import _browser_database_url, _free_port

REPO = Path(__file__).resolve().parents[1]
USERS, RUN_TIME_SECONDS = 100, 60
P95_TARGET_MS = 300


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo served by `healthgap serve` on 127.0.0.1, each page requested once (cached)."""
    tmp_path = tmp_path_factory.mktemp("bench-load")
    env = {**os.environ, "HEALTHGAP_VAR": str(tmp_path)}
    env["DATABASE_URL"] = _browser_database_url(tmp_path)
    # Every Locust user calls from 127.0.0.1: the API's per-client limit would answer them 429.
    env["HEALTHGAP_API_RATE_LIMIT"] = "1000000/m"
    healthgap = [sys.executable, "-m", "healthgap.cli"]
    subprocess.run([*healthgap, "load-demo"], env=env, check=True, cwd=REPO, capture_output=True)
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [*healthgap, "serve", "--port", str(port)],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    _wait_for(port, server)
    base = f"http://127.0.0.1:{port}"
    for path in PAGES:  # the first request of each page builds and caches it
        urllib.request.urlopen(base + path, timeout=120).read()
    yield base, tmp_path
    server.terminate()
    server.wait(timeout=20)
    log.close()


def run_locust(base: str, out: Path) -> dict:
    """Locust headless for RUN_TIME_SECONDS; returns its aggregated statistics row."""
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "locustfile.py"),
            "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
            "--run-time", f"{RUN_TIME_SECONDS}s", "--stop-timeout", "10",
            "--host", base, "--csv", str(out / "locust"), "--only-summary",
            "--loglevel", "WARNING",
        ],
        check=False,  # Locust exits 1 when any request failed: the report says how many
        cwd=REPO,
        timeout=RUN_TIME_SECONDS + 120,
    )  # fmt: skip
    with (out / "locust_stats.csv").open(newline="") as file:
        return next(row for row in csv.DictReader(file) if row["Name"] == "Aggregated")


def test_public_pages_under_100_concurrent_users_for_60_seconds(served, benchmark, capsys):
    base, tmp_path = served
    stats = benchmark.pedantic(lambda: run_locust(base, tmp_path), rounds=1, iterations=1)
    report = {
        "users": USERS,
        "seconds": RUN_TIME_SECONDS,
        "requests": int(stats["Request Count"]),
        "errors": int(stats["Failure Count"]),
        "requests_per_second": round(float(stats["Requests/s"]), 1),
        "p50_ms": float(stats["50%"]),
        "p95_ms": float(stats["95%"]),
        "p99_ms": float(stats["99%"]),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    benchmark.extra_info.update(report)
    out = REPO / "build" / "bench-load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    with capsys.disabled():
        print("\nload test: " + json.dumps(report, indent=2))
    assert report["requests"] > 0
    assert report["errors"] == 0
    assert report["p95_ms"] < P95_TARGET_MS

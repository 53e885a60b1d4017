"""Outcome pages under load: a real `healthgap serve` (gunicorn) on 127.0.0.1 and 50 concurrent
keep-alive clients, each making a fixed number of requests (run: ``make bench``; on PostgreSQL:
``scripts/with_postgres.sh .venv/bin/python -m pytest bench/test_bench_web.py --benchmark-only``).

Pages: Coventry's profile with 60 indicators and a map of its 195 LSOAs, served twice: with the
page cache (the normal set-up: each page is built once per data import) and without it
(``HEALTHGAP_PAGE_CACHE=0``: every request built from the database). Reported for each: p50 and
p95 of the server's own time (its Server-Timing header) and of the time a client waited, after
one warm-up pass, with the load average; and the server's p50 with a single client (on a
small machine 50 clients queue behind each other, so the concurrent figures measure
throughput). Results are printed and written to build/bench-web.json (both modes). Targets:
p95 < 200 ms; the uncached profile under 100 ms of server time.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import _browser_database_url, _free_port

REPO = Path(__file__).resolve().parents[1]
CLIENTS, REQUESTS_PER_CLIENT = 50, 20
URLS = {
    "profile (60 indicators)": "/areas/E08000026/profile",
    "map (195 LSOAs)": "/areas/E08000026/map?indicator=BENCH-LSOA&geography=lsoa",
}


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory):
    """The demo plus the benchmark data, in a database of the suite's kind."""
    tmp_path = tmp_path_factory.mktemp("bench-web")
    env = {**os.environ, "HEALTHGAP_VAR": str(tmp_path)}
    env["DATABASE_URL"] = _browser_database_url(tmp_path)
    python = [sys.executable, "-m"]
    subprocess.run([*python, "healthgap.cli", "load-demo"], env=env, check=True, cwd=REPO,
                   capture_output=True)  # fmt: skip
    subprocess.run([*python, "bench.web_data"], env=env, check=True, cwd=REPO)
    return tmp_path, env


@pytest.fixture(scope="module", params=["cached", "uncached"])
def server(request, bench_env):
    """`healthgap serve` with the page cache on, or off (HEALTHGAP_PAGE_CACHE=0)."""
    tmp_path, env = bench_env
    env = {**env, "HEALTHGAP_PAGE_CACHE": "1" if request.param == "cached" else "0"}
    port = _free_port()
    log = open(tmp_path / f"server-{request.param}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "healthgap.cli", "serve", "--port", str(port)],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    _wait_for(port, process)
    yield request.param, port
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _wait_for(port: int, process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            asyncio.run(_get(port, "/"))
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


async def _request(reader, writer, path: str) -> tuple[int, float]:
    """One keep-alive GET; returns (status, server milliseconds from Server-Timing)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
    await reader.readexactly(int(headers.get("content-length", 0)))
    timing = headers.get("server-timing", "dur=nan").split("dur=")[-1]
    return int(head[0].split()[1]), float(timing)


async def _get(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return (await _request(reader, writer, path))[0]
    finally:
        writer.close()


async def _client(port: int, paths: list[str], results: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for path in paths:
            started = time.perf_counter()
            status, server_ms = await _request(reader, writer, path)
            results.append((path, status, server_ms, 1000 * (time.perf_counter() - started)))
    finally:
        writer.close()


async def _load(port: int) -> list:
    results: list = []
    paths = list(URLS.values())
    clients = [
        _client(port, [paths[(i + n) % len(paths)] for n in range(REQUESTS_PER_CLIENT)], results)
        for i in range(CLIENTS)
    ]
    await asyncio.gather(*clients)
    return results


def _percentiles(numbers: list[float]) -> dict:
    cuts = statistics.quantiles(numbers, n=100)
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1)}


def _report(results: list) -> dict:
    report = {"clients": CLIENTS, "requests": len(results), "database": _database_kind()}
    for name, path in URLS.items():
        mine = [r for r in results if r[0] == path]
        assert all(status == 200 for _, status, _, _ in mine)
        report[name] = {
            "server_ms": _percentiles([r[2] for r in mine]),
            "client_ms": _percentiles([r[3] for r in mine]),
        }
    return report


def _database_kind() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


async def _first_requests(port: int) -> dict:
    """Server time of each page's first request: built from the database, then cached."""
    cold = {}
    for name, path in URLS.items():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        cold[name] = (await _request(reader, writer, path))[1]
        writer.close()
    return cold


async def _one_client(port: int, n: int = 20) -> dict:
    """Server time of each page with a single client (no queueing behind other requests)."""
    results: list = []
    for path in URLS.values():
        await _client(port, [path] * n, results)
    return {name: _percentiles([r[2] for r in results if r[0] == path])["p50"]
            for name, path in URLS.items()}  # fmt: skip


def _shown_rows(port: int, path: str, table: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
        return len(json.load(response)["tables"][table])


REPORT: dict = {}


def test_outcome_pages_under_50_concurrent_clients(server, benchmark, capsys):
    mode, port = server
    assert _shown_rows(port, "/areas/E08000026/profile.json", "indicators") >= 60
    assert _shown_rows(port, "/areas/E08000026/map.json?indicator=BENCH-LSOA&geography=lsoa",
                       "areas") == 195  # fmt: skip
    cold = asyncio.run(_first_requests(port))
    for path in URLS.values():  # warm-up: each worker fills its cache (or its connections)
        for _ in range(8):
            assert asyncio.run(_get(port, path)) == 200
    results = benchmark.pedantic(lambda: asyncio.run(_load(port)), rounds=1, iterations=1)
    report = _report(results) | {"first_request_server_ms": cold}
    report["one_client_server_ms_p50"] = asyncio.run(_one_client(port))
    report["load_average"] = [round(load, 2) for load in os.getloadavg()]
    report["cpus"] = os.cpu_count()
    benchmark.extra_info.update(report)
    REPORT[mode] = report
    out = REPO / "build" / "bench-web.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(REPORT, indent=2))
    with capsys.disabled():
        print(f"\n{mode}: " + json.dumps(report, indent=2))

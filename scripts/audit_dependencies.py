#!/usr/bin/env python3
"""Audits the installed Python packages (pip-audit) and the npm packages (npm audit) for known
vulnerabilities; `make test` runs it. Every finding fails the run unless `audit-exceptions.toml`
lists it with the reason it is accepted (see docs/security.md).

pip-audit asks PyPI's JSON API (`--vulnerability-service pypi`) and npm audit asks the npm
registry, the only two services reached. Where a registry (a mirror, a proxy) does not answer
those questions the audit cannot be done: that is reported, and fails the run only with
HEALTHGAP_AUDIT_STRICT=1 (set it in CI, which reaches the real registries).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXCEPTIONS = REPO / "audit-exceptions.toml"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


@dataclass(frozen=True)
class Finding:
    tool: str
    package: str
    ids: frozenset[str]
    summary: str


class AuditUnavailable(Exception):
    """The registry did not answer the audit's questions."""


def accepted_ids() -> dict[str, str]:
    """Each excepted vulnerability id and the reason given for accepting it."""
    entries = tomllib.loads(EXCEPTIONS.read_text(encoding="utf-8")).get("exception", [])
    for entry in entries:
        missing = {"tool", "id", "package", "reason"} - set(entry)
        if missing:
            raise SystemExit(f"{EXCEPTIONS.name}: an exception lacks {sorted(missing)}: {entry}")
    return {entry["id"]: entry["reason"] for entry in entries}


def pip_findings() -> list[Finding]:
    done = subprocess.run(
        [str(PIP_AUDIT), "--vulnerability-service", "pypi", "--skip-editable", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if not done.stdout.strip():
        raise AuditUnavailable(f"pip-audit gave no report: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout)
    dependencies = report["dependencies"]
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    if dependencies and not audited:
        reason = dependencies[0]["skip_reason"]
        raise AuditUnavailable(f"PyPI answered no package's vulnerabilities ({reason})")
    return [
        Finding(
            "pip",
            f"{dep['name']} {dep['version']}",
            frozenset([v["id"], *v["aliases"]]),
            v.get("description", "")[:200],
        )
        for dep in audited
        for v in dep.get("vulns", [])
    ]


def npm_findings() -> list[Finding]:
    done = subprocess.run(["npm", "audit", "--json"], capture_output=True, text=True, cwd=REPO)
    report = json.loads(done.stdout or "{}")
    if "error" in report or "message" in report:
        message = report.get("message") or report["error"].get("summary")
        raise AuditUnavailable(f"the npm registry did not answer the audit: {message}")
    findings = []
    for name, vulnerability in report.get("vulnerabilities", {}).items():
        for advisory in vulnerability["via"]:
            if isinstance(advisory, dict):  # a string names another vulnerable package
                advisory_id = advisory["url"].rsplit("/", 1)[-1]
                findings.append(
                    Finding("npm", name, frozenset([advisory_id]), advisory.get("title", ""))
                )
    return findings


def main() -> int:
    accepted = accepted_ids()
    strict = os.environ.get("HEALTHGAP_AUDIT_STRICT", "0") == "1"
    status = 0
    for tool, audit in (("pip-audit", pip_findings), ("npm audit", npm_findings)):
        try:
            findings = audit()
        except AuditUnavailable as error:
            print(f"{tool}: NOT AUDITED: {error}")
            status = status or int(strict)
            continue
        for finding in findings:
            reasons = [accepted[i] for i in finding.ids if i in accepted]
            if reasons:
                print(f"{tool}: accepted {finding.package} {sorted(finding.ids)}: {reasons[0]}")
            else:
                print(
                    f"{tool}: VULNERABLE {finding.package} {sorted(finding.ids)} {finding.summary}"
                )
                status = 1
        if not findings:
            print(f"{tool}: no known vulnerabilities")
    return status


if __name__ == "__main__":
    sys.exit(main())

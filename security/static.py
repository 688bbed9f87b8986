"""The fast, static half of `make security`: bandit and semgrep (with the rules in security/semgrep.yml).

`python security/static.py` prints each tool's findings and exits 1 on a high or medium finding that
security/waivers.toml does not waive, or on a waiver that no longer matches anything.
tests/test_static_security.py runs the same, so `make test` does too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from security.findings import (ROOT, Finding, apply_waivers, load_waivers, report, source_line,
                               unwaived_failures)

# The code that ships, its migrations and deployment, and the repository's own tools; not the tests.
TARGETS = ("portal", "migrations", "deploy", "bench", "security", "templates", "config.py", "wsgi.py")
BANDIT = ROOT / ".venv" / "bin" / "bandit"
# semgrep pins a click older than the portal's, so it lives in its own virtualenv (Makefile: security-tools).
SEMGREP = Path(os.environ.get("SEMGREP") or ROOT / ".venv" / "semgrep" / "bin" / "semgrep")
SEMGREP_RULES = ROOT / "security" / "semgrep.yml"
SEMGREP_SEVERITY = {"ERROR": "high", "WARNING": "medium", "INFO": "low"}
TIMEOUT = 300


def run_bandit() -> list[Finding]:
    """bandit over the Python code (templates excluded: it reads only .py files)."""
    targets = [t for t in TARGETS if t != "templates"]
    result = subprocess.run([str(BANDIT), "-r", "-q", "-f", "json", *targets],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"bandit failed ({result.returncode}): {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    if data.get("errors"):
        raise RuntimeError(f"bandit could not read: {data['errors']}")
    findings = []
    for item in data["results"]:
        file = os.path.relpath(ROOT / item["filename"], ROOT)
        findings.append(Finding("bandit", item["test_id"], item["issue_severity"].lower(), file, item["line_number"],
                                f"{item['issue_text']} (confidence {item['issue_confidence'].lower()})",
                                source_line(file, item["line_number"])))
    return findings


def run_semgrep() -> list[Finding]:
    """semgrep with the repository's own rules only: offline, no metrics, no version check."""
    if not SEMGREP.exists():
        raise RuntimeError(f"{SEMGREP.relative_to(ROOT)} is missing: run `make install` (or `make security`)")
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    result = subprocess.run(
        [str(SEMGREP), "scan", "--config", str(SEMGREP_RULES), "--metrics=off", "--disable-version-check",
         "--json", "--quiet", *TARGETS],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"semgrep failed ({result.returncode}): {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    if data.get("errors"):
        raise RuntimeError(f"semgrep errors: {json.dumps(data['errors'])[:2000]}")
    findings = []
    for item in data["results"]:
        line = item["start"]["line"]
        findings.append(Finding("semgrep", item["check_id"].rsplit(".", 1)[-1],
                                SEMGREP_SEVERITY.get(item["extra"]["severity"], "medium"), item["path"], line,
                                item["extra"]["message"], source_line(item["path"], line)))
    return findings


def scan() -> tuple[list[Finding], list[dict], dict[str, float]]:
    """Both tools' findings with the waivers applied, the stale waivers, and each tool's time."""
    findings, times = [], {}
    for tool, run in (("bandit", run_bandit), ("semgrep", run_semgrep)):
        started = time.monotonic()
        findings += run()
        times[tool] = time.monotonic() - started
    stale = apply_waivers(findings, load_waivers(), {"bandit", "semgrep"})
    return findings, stale, times


def main() -> int:
    findings, stale, times = scan()
    for tool in times:
        print(report(tool, findings, times[tool]))
    for waiver in stale:
        print(f"Stale waiver (matches nothing now; remove it): {waiver}")
    failures = unwaived_failures(findings)
    if failures or stale:
        print(f"Static security: {len(failures)} unwaived high/medium finding(s), {len(stale)} stale waiver(s).")
        return 1
    print("Static security: no unwaived high or medium finding.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The slow half of `make security`: sqlmap and wapiti against the portal, signed in as a parent and a chair.

Serves the portal with gunicorn on a free port of 127.0.0.1 from a throwaway SQLite database holding the
demo data (the developer's database is never touched; DATABASE_URL is ignored), signs in over HTTP as
Alice Appleby (parent) and Charlotte Chaffinch (chair), and gives each scanner that session's cookie.
Sign-in rate limits are off on this server only, so the scanners' many sign-in attempts are answered
rather than refused with 429; everything else is the development configuration.

sqlmap (boolean, error and UNION techniques, level 1, risk 1) tests the sign-in form, the paths and
query strings of the pages each account reads; wapiti crawls as each account (depth and time bounded)
and attacks what it finds. Prints each tool's findings and exits 1 on a high or medium finding that
security/waivers.toml does not waive. Settings: SCAN_SECONDS, each wapiti run's time (default 90).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lighthouse import Portal as LighthousePortal, first  # noqa: E402
from security.findings import Finding, apply_waivers, load_waivers, report, unwaived_failures  # noqa: E402

SQLMAP = ROOT / ".venv" / "bin" / "sqlmap"
WAPITI = ROOT / ".venv" / "wapiti" / "bin" / "wapiti"
PARENT = "alice.appleby@example.org"
CHAIR = "charlotte.chaffinch@example.org"
SCAN_SECONDS = int(os.environ.get("SCAN_SECONDS", "90"))
# Pages a scanner must not follow: they end its own session (or the browser's stored data).
SESSION_ENDERS = ("/sign-out", "/sign-out-everywhere", "/exit", "/account/password", "/mfa/*")
# wapiti modules that need nothing outside 127.0.0.1 (ssrf and xxe call wapiti's own server on the internet).
WAPITI_MODULES = "sql,xss,permanentxss,exec,file,redirect,crlf,csrf,cookieflags,http_headers,csp,methods"
# wapiti's levels (wapitiCore.definitions) as this report's severities.
WAPITI_LEVELS = {4: "high", 3: "high", 2: "medium", 1: "low", 0: "info"}


class Portal(LighthousePortal):
    """bench/lighthouse.py's throwaway portal, on SQLite always, with the sign-in rate limits off."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.env.pop("REDIS_URL", None)
        self.env["DATABASE_URL"] = f"sqlite:///{workdir / 'portal.sqlite3'}"

    def start(self) -> None:
        self.flask("db", "upgrade")
        self.flask("demo", "load")
        app = "portal:create_app(None, {'RATELIMIT_ENABLED': False})"
        with open(self.log_path, "wb") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--no-control-socket",
                 "--timeout", "60", "--bind", f"127.0.0.1:{self.port}", app],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.server.poll() is None:
            try:
                if requests.get(self.base + "/healthz", timeout=10).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the portal did not start:\n{self.log_tail()}")


def sqlmap_targets(portal: Portal) -> list[tuple[str, str | None, list[str]]]:
    """(label, account, sqlmap arguments): the sign-in form, and pages each account reads, found from its links."""
    base = portal.base
    home = portal.links(PARENT, "/home")
    conference = first(home, r"/cases/[^/]+/conferences/\d+", "Alice's conference")
    report_page = first(portal.links(PARENT, conference), r"/cases/[^/]+/reports/\d+", "the report shared with Alice")
    chair_pages = portal.links(CHAIR, "/cases")
    review = next((p for p in chair_pages if p.startswith("/cases/")), None)

    def path_marked(path: str) -> str:
        # `*` after each path segment that is a reference or a number: sqlmap injects there.
        return "/".join(part + "*" if part[:1].isdigit() or part.startswith("FC-") else part
                        for part in path.split("/"))

    targets = [
        ("sign-in form", None, ["-u", f"{base}/sign-in", "--data", "login=someone%40example.org&password=x&csrf_token=x",
                                "-p", "login,password", "--csrf-token", "csrf_token", "--csrf-url", f"{base}/sign-in"]),
        ("parent: conference page", PARENT, ["-u", base + path_marked(conference)]),
        ("parent: report page", PARENT, ["-u", base + path_marked(report_page)]),
        ("chair: feedback filter", CHAIR, ["-u", f"{base}/feedback?who=parent", "-p", "who"]),
        ("chair: conference list", CHAIR, ["-u", f"{base}/cases?format=html", "-p", "format"]),
    ]
    if review:
        targets.append(("chair: case page", CHAIR, ["-u", base + path_marked(review)]))
    return targets


def run_sqlmap(portal: Portal, workdir: Path) -> list[Finding]:
    """sqlmap on each target; a finding per injectable target (high), or an error when a run could not test."""
    findings = []
    for label, account, args in sqlmap_targets(portal):
        command = [str(SQLMAP), *args, "--batch", "--level=1", "--risk=1", "--technique=BEU",
                   "--timeout=15", "--retries=1", "--flush-session", "--disable-coloring", "--skip-waf",
                   "--output-dir", str(workdir / "sqlmap")]
        if "--csrf-token" not in args:  # sqlmap fetches a fresh token per request, one thread at a time
            command.append("--threads=4")
        if account:
            portal.get(account, "/home" if account == PARENT else "/cases")  # the session is alive
            command += ["--cookie", portal.cookie_header(account), "--drop-set-cookie"]
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=workdir,
                                env=dict(os.environ, TERM="dumb"))
        output = result.stdout + result.stderr
        print(f"  sqlmap: {label}: {time.monotonic() - started:.0f} s", file=sys.stderr)
        url = urlsplit(args[1]).path.replace("*", "")
        if account and "got a 30" in output:  # e.g. sent to the sign-in page: the session was not accepted
            raise RuntimeError(f"sqlmap was redirected testing {label} ({url}) as {account}")
        if "identified the following injection point" in output:
            findings.append(Finding("sqlmap", "sql-injection", "high", url, text=f"{label}: sqlmap found an injection"))
        elif "do not appear to be injectable" not in output:
            tail = "\n".join(output.splitlines()[-15:])
            raise RuntimeError(f"sqlmap could not test {label} ({url}):\n{tail}")
    return findings


def run_wapiti(portal: Portal, account: str, workdir: Path) -> list[Finding]:
    """wapiti crawling from the account's home and attacking every form and parameter it finds there."""
    out = workdir / f"wapiti-{account.split('.')[0]}.json"
    start = "/home" if account == PARENT else "/cases"
    portal.get(account, start)
    cookie = portal.cookie_header(account)
    command = [str(WAPITI), "-u", f"{portal.base}/", "--scope", "folder", "-s", f"{portal.base}{start}",
               "-m", WAPITI_MODULES, "-d", "3", "--max-links-per-page", "40", "--max-files-per-dir", "30",
               "--max-scan-time", str(SCAN_SECONDS), "--max-attack-time", str(max(SCAN_SECONDS // 6, 10)),
               "--tasks", "8", "-t", "15", "-C", cookie, "--flush-session",
               "--store-session", str(workdir / "wapiti-session"), "--store-config", str(workdir / "wapiti-config"),
               "-f", "json", "-o", str(out), "--no-bugreport", "-v", "0"]
    for path in SESSION_ENDERS:
        command += ["-x", f"{portal.base}{path}"]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=SCAN_SECONDS * 3 + 120, cwd=workdir)
    print(f"  wapiti: {account}: {time.monotonic() - started:.0f} s", file=sys.stderr)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"wapiti failed ({result.returncode}):\n{(result.stdout + result.stderr)[-3000:]}")
    data = json.loads(out.read_text())
    crawled = data.get("infos", {}).get("crawled_pages_nbr")
    print(f"  wapiti: {account}: {crawled} pages crawled", file=sys.stderr)
    findings = []
    for group in ("vulnerabilities", "anomalies"):
        for category, items in (data.get(group) or {}).items():
            for item in items:
                severity = WAPITI_LEVELS.get(item.get("level"), "medium")
                if group == "anomalies" and item.get("info", "").startswith("The request timed out"):
                    severity = "low"  # a slow answer under attack, not a flaw of the page
                findings.append(Finding("wapiti", category, severity, urlsplit(item.get("path") or "/").path,
                                        text=f"{'as ' + account.split('@')[0]}: {item.get('method', '')} "
                                             f"{item.get('parameter') or ''} {item.get('info', '')}".strip()))
    return findings


def main() -> int:
    for tool in (SQLMAP, WAPITI):
        if not tool.exists():
            print(f"{tool.relative_to(ROOT)} is missing: run `make security`", file=sys.stderr)
            return 2
    workdir = Path(tempfile.mkdtemp(prefix="portal-security-"))
    portal = Portal(workdir)
    findings: list[Finding] = []
    times: dict[str, float] = {}
    try:
        portal.start()
        print(f"Portal on {portal.base} (a fresh SQLite database with the demo data)", file=sys.stderr)
        started = time.monotonic()
        findings += run_sqlmap(portal, workdir)
        times["sqlmap"] = time.monotonic() - started
        started = time.monotonic()
        for account in (PARENT, CHAIR):
            findings += run_wapiti(portal, account, workdir)
        times["wapiti"] = time.monotonic() - started
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"security scan failed: {error}", file=sys.stderr)
        if portal.server:
            print(portal.log_tail(), file=sys.stderr)
        return 2
    finally:
        portal.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    apply_waivers(findings, load_waivers(), {"sqlmap", "wapiti"})
    for tool, seconds in times.items():
        print(report(tool, findings, seconds))
    failures = unwaived_failures(findings)
    if failures:
        print(f"Scanners: {len(failures)} unwaived high/medium finding(s).")
        return 1
    print("Scanners: no unwaived high or medium finding.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

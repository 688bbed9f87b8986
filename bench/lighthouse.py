"""Lighthouse scores for the pages families use most: run it with `make lighthouse`.

Starts the portal on a free port of 127.0.0.1 with a fresh SQLite database holding the demo
data (the developer's own database is never touched), signs in over HTTP as demo parents, finds
their pages by following the links on them, and runs Lighthouse (mobile, Debian's Chromium) on
each page twice: with Lighthouse's own mobile throttling, then on a slower phone and network.
Prints a table and exits 1 when a target is missed, saying which.

`python bench/lighthouse.py WORD...` measures only the pages whose label or path contains a WORD.
Settings from the environment: CHROME_PATH (default /usr/bin/chromium); LIGHTHOUSE_REPORTS,
the folder for each run's JSON and HTML report (default test-artifacts/lighthouse).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PASSWORD = "demo-portal-2026"  # every demo account's (README: Demo accounts)
CATEGORIES = ("performance", "accessibility", "best-practices")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --disable-quic --no-first-run"
)


@dataclass(frozen=True)
class Pass:
    """One Lighthouse pass: its throttling flags and the targets every page must meet."""

    name: str
    flags: tuple[str, ...]
    min_scores: dict[str, float]
    max_lcp_ms: float
    max_cls: float | None


PASSES = (
    # Lighthouse's defaults: a mid-range phone (4x CPU slowdown) on slow 4G (150 ms, 1.6 Mbps), simulated.
    Pass("mobile", (), {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95}, 2500, 0.1),
    # A cheaper phone on a poor connection: only the largest paint has a target here.
    Pass("slow", ("--throttling.rttMs=300", "--throttling.throughputKbps=700",
                  "--throttling.cpuSlowdownMultiplier=6"), {}, 4000, None),
)


@dataclass
class Page:
    """A page to measure, and whose browser session (if anyone's) loads it."""

    label: str
    path: str
    account: str | None = None


@dataclass
class Result:
    """What one Lighthouse run scored, and the targets it missed."""

    page: Page
    pass_: Pass
    scores: dict[str, float | None] = field(default_factory=dict)
    lcp_ms: float | None = None
    cls: float | None = None
    misses: list[str] = field(default_factory=list)


class LinksAndForms(HTMLParser):
    """The links on a page, and the hidden inputs of each form by its action."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: dict[str, dict[str, str]] = {}
        self._form: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Portal:
    """The portal served by gunicorn from a throwaway database, and signed-in HTTP sessions on it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_ENV", "REDIS_URL", "FLASK_DEBUG")}
        self.env["DATABASE_URL"] = f"sqlite:///{workdir / 'portal.sqlite3'}"
        self.log_path = workdir / "server.log"
        self.server: subprocess.Popen | None = None
        self.sessions: dict[str, requests.Session] = {}

    def flask(self, *args: str) -> None:
        """Run a flask command against the throwaway database."""
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=self.env,
                       check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.flask("db", "upgrade")
        self.flask("demo", "load")
        with open(self.log_path, "wb") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--no-control-socket",
                 "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                if requests.get(self.base + "/healthz", timeout=10).ok:
                    return
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the portal did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def sign_in(self, login: str) -> requests.Session:
        """Sign in once per account, as the form does: its CSRF token, then a POST."""
        if login in self.sessions:
            return self.sessions[login]
        http = requests.Session()
        page = LinksAndForms()
        page.feed(http.get(self.base + "/sign-in", timeout=10).text)
        fields = page.forms.get("/sign-in")
        if fields is None or "csrf_token" not in fields:
            raise RuntimeError("no sign-in form with a CSRF token on /sign-in")
        fields.update(login=login, password=PASSWORD)
        response = http.post(self.base + "/sign-in", data=fields, allow_redirects=False, timeout=10)
        if response.status_code != 303:
            raise RuntimeError(f"signing in as {login} failed: HTTP {response.status_code}")
        self.sessions[login] = http
        return http

    def links(self, login: str, path: str) -> list[str]:
        """The paths a page links to, in page order, without fragments."""
        response = self.get(login, path)
        page = LinksAndForms()
        page.feed(response.text)
        paths = []
        for href in page.links:
            url = urlsplit(urljoin(response.url, href))
            if url.netloc == urlsplit(self.base).netloc and not url.fragment and url.path not in paths:
                paths.append(url.path)
        return paths

    def get(self, login: str | None, path: str) -> requests.Response:
        """Load a page as the account (or signed out), insisting on a 200 with no redirect."""
        http = self.sign_in(login) if login else requests.Session()
        response = http.get(self.base + path, allow_redirects=False, timeout=10)
        if response.status_code != 200:
            raise RuntimeError(f"{path} as {login or 'nobody'}: HTTP {response.status_code} "
                               f"{response.headers.get('Location', '')}")
        return response

    def cookie_header(self, login: str) -> str:
        """The account's cookies as one Cookie header, as the browser would send them."""
        return "; ".join(f"{c.name}={c.value}" for c in self.sessions[login].cookies)


def first(paths: list[str], pattern: str, what: str) -> str:
    """The first path matching the pattern; a clear error when a page no longer links to it."""
    for path in paths:
        if re.fullmatch(pattern, path):
            return path
    raise RuntimeError(f"no link to {what} (a path like {pattern}) among {paths}")


def discover_pages(portal: Portal) -> list[Page]:
    """The family pages, found the way a parent finds them: from their home page."""
    alice, clara = "alice.appleby@example.org", "clara.chestnut@example.org"
    home = portal.links(alice, "/home")
    conference = first(home, r"/cases/[^/]+/conferences/\d+", "Alice's conference")
    case = first(home, r"/cases/[^/]+", "Alice's family page")
    on_conference = portal.links(alice, conference)
    pages = [
        Page("start page (signed out)", "/"),
        Page("Alice: home", "/home", alice),
        Page("Alice: conference", conference, alice),
        Page("Alice: family page", case, alice),
        Page("Alice: report", first(on_conference, r"/cases/[^/]+/reports/\d+", "the report shared with Alice"), alice),
        Page("Alice: her views", first(on_conference, r"/cases/[^/]+/views/\d+", "Alice's views"), alice),
        Page("Alice: support", first(on_conference, r"/cases/[^/]+/conferences/\d+/support", "Alice's support page"),
             alice),
        Page("Clara: plan", first(portal.links(clara, "/home"), r"/cases/[^/]+/conferences/\d+/plan", "Clara's plan"),
             clara),
    ]
    return pages


def run_lighthouse(portal: Portal, page: Page, pass_: Pass, reports: Path) -> dict:
    """One Lighthouse run, with the account's session cookie on every request; its report as a dict."""
    # A fresh load through the HTTP session checks the page and keeps the session from idling out.
    portal.get(page.account, page.path)
    stem = reports / f"{pass_.name}-{re.sub(r'[^a-z0-9]+', '-', page.label.lower()).strip('-')}"
    command = [
        str(LIGHTHOUSE), portal.base + page.path, "--quiet",
        "--output=json", "--output=html", f"--output-path={stem}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}", *pass_.flags,
    ]
    if page.account:
        headers = stem.with_suffix(".headers.json")
        headers.write_text(json.dumps({"Cookie": portal.cookie_header(page.account)}))
        command.append(f"--extra-headers={headers}")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH") or "/usr/bin/chromium")
    try:
        subprocess.run(command, env=env, check=True, timeout=300)
    finally:
        if page.account:
            headers.unlink(missing_ok=True)
    return json.loads(Path(f"{stem}.report.json").read_text())


def judge(page: Page, pass_: Pass, base: str, lhr: dict) -> Result:
    """Read the scores and metrics from a report and note every target it misses."""
    result = Result(page, pass_)
    audits = lhr["audits"]
    result.scores = {name: lhr["categories"][name]["score"] for name in CATEGORIES}
    result.lcp_ms = audits["largest-contentful-paint"].get("numericValue")
    result.cls = audits["cumulative-layout-shift"].get("numericValue")
    final = lhr.get("finalDisplayedUrl") or lhr.get("finalUrl")
    if final != base + page.path:
        result.misses.append(f"ended on {final}, not {base + page.path}")
    failed = [f"{item['url'].removeprefix(base)} ({item.get('statusCode')})"
              for item in audits["network-requests"]["details"]["items"]
              if item["url"].startswith(base) and not 200 <= (item.get("statusCode") or 0) < 400]
    if failed:  # e.g. static/dist rebuilt while the server ran: the scores are not the page's
        result.misses.append(f"requests failed: {', '.join(failed)}")
    if lhr.get("runtimeError"):
        result.misses.append(f"Lighthouse error: {lhr['runtimeError'].get('message')}")
    for name, minimum in pass_.min_scores.items():
        score = result.scores[name]
        if score is None or score < minimum:
            failing = [
                f"{ref['id']} ({audits[ref['id']].get('displayValue') or audits[ref['id']]['score']})"
                for ref in lhr["categories"][name]["auditRefs"]
                if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
            ]
            result.misses.append(f"{name} {fmt_score(score)} < {minimum:g}: {', '.join(failing) or 'no failing audit'}")
    if result.lcp_ms is None or result.lcp_ms > pass_.max_lcp_ms:
        result.misses.append(f"LCP {fmt_ms(result.lcp_ms)} > {pass_.max_lcp_ms / 1000:g} s")
    if pass_.max_cls is not None and (result.cls is None or result.cls > pass_.max_cls):
        result.misses.append(f"CLS {fmt_cls(result.cls)} > {pass_.max_cls:g}")
    for warning in lhr.get("runWarnings", []):
        print(f"  warning ({page.label}, {pass_.name}): {warning}", file=sys.stderr)
    return result


def fmt_score(score: float | None) -> str:
    return "-" if score is None else f"{round(score * 100)}"


def fmt_ms(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.2f} s"


def fmt_cls(cls: float | None) -> str:
    return "-" if cls is None else f"{cls:.3f}"


def print_table(results: list[Result]) -> None:
    """Each run on a line: pass, page, the three scores (out of 100), LCP and CLS."""
    header = ("pass", "page", "path", "perf", "a11y", "best", "LCP", "CLS", "")
    rows = [header] + [
        (r.pass_.name, r.page.label, r.page.path, *(fmt_score(r.scores.get(c)) for c in CATEGORIES),
         fmt_ms(r.lcp_ms), fmt_cls(r.cls), "MISSED" if r.misses else "ok")
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))


def main(only: list[str]) -> int:
    """Measure every page, or only those whose label or path contains one of the words given."""
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse`", file=sys.stderr)
        return 2
    reports = Path(os.environ.get("LIGHTHOUSE_REPORTS") or ROOT / "test-artifacts" / "lighthouse")
    reports.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    portal = Portal(workdir)
    results: list[Result] = []
    manifest = ROOT / "static" / "dist" / "manifest.json"
    built = manifest.stat().st_mtime
    try:
        portal.start()
        print(f"Portal on {portal.base} (a fresh database with the demo data)", file=sys.stderr)
        pages = [page for page in discover_pages(portal)
                 if not only or any(word.lower() in f"{page.label} {page.path}".lower() for word in only)]
        for pass_ in PASSES:
            for page in pages:
                print(f"Lighthouse ({pass_.name}): {page.label} {page.path}", file=sys.stderr)
                results.append(judge(page, pass_, portal.base, run_lighthouse(portal, page, pass_, reports)))
    except (RuntimeError, subprocess.SubprocessError, requests.RequestException) as error:
        print(f"make lighthouse failed: {error}", file=sys.stderr)
        if portal.server:
            print(portal.log_tail(), file=sys.stderr)
        return 2
    finally:
        portal.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print_table(results)
    print()
    print("Targets: mobile pass (Lighthouse's default throttling): performance >= 95, accessibility 100, "
          "best practices >= 95, LCP <= 2.5 s, CLS <= 0.1; slow pass (300 ms RTT, 700 kbps, 6x CPU): LCP <= 4 s.")
    print(f"Reports: {os.path.relpath(reports, Path.cwd())}")
    misses = [(r, miss) for r in results for miss in r.misses]
    if misses:
        print("\nMissed targets:")
        for r, miss in misses:
            print(f"  {r.pass_.name}, {r.page.label} ({r.page.path}): {miss}")
        if manifest.stat().st_mtime != built:
            print("static/dist was rebuilt during the run (the server kept the old file names): run it again.")
        return 1
    print("Every page meets every target.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

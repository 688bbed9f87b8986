"""Server throughput and cost of the busiest pages at 1,000 and 100,000 cases: run it with `make bench`.

Issue 12 ("Fast on a cheap phone") asks that a page's cost does not grow with the data. This measures
it. For each size, a throwaway database is seeded deterministically (bench/seed.py: migrations, the
demo data, then bulk cases with their related rows, none of them reachable by the demo accounts) and
served by gunicorn from bench/app.py (the portal plus a bare /bench/hello route) on 127.0.0.1, with
the development settings. Each demo account signs in once over HTTP (the sign-in form's CSRF token,
then a POST), and wrk drives each page with that session cookie:

    hello       GET /bench/hello, signed out: the same app with no query and no template (the ceiling)
    home        the family home /home, as Alice Appleby (parent)
    report      the report shared with Alice, found from her conference page's links
    chair       the chair's dashboard /cases, as Charlotte Chaffinch
    sqa         the SQA manager's list /cases?chair=<Charlotte's id>&status=scheduled, as Quinn Quail

Before measuring, each page's body at every size is compared after removing the per-request values
(CSP nonces, CSRF tokens, once-only submission keys, autosave's render time): the bulk rows must not
change what is measured. Then several rounds run,
scenario by scenario, each size back to back, the order of sizes alternating between rounds (so a
busy moment of the machine hits both sizes alike). Before each run the page must answer 200 (not a
redirect to sign in). A run records requests/s, latency p50/p95/p99 (from bench/report.lua), non-2xx
and socket errors, and the CPU time of the gunicorn master and workers (utime + stime from
/proc/<pid>/stat) over the run divided by the requests served (with PostgreSQL, the database server's
own CPU is not in it). Every request asks for compression as a phone's browser does, so the cost of
compressing is in the figures. Figures are medians across rounds.

Targets (exit status 1 when one is missed): every page serves at least 0.10 of hello's requests/s at
each size; a page's p95 and CPU per request at the largest size are at most 1.25x those at the
smallest; no errors; identical pages at every size.

Settings from the environment:
    BENCH_SECONDS      length of each measured wrk run (default 8)
    BENCH_ROUNDS       rounds of every scenario at every size (default 3)
    BENCH_WARMUP       seconds of unmeasured load per scenario and size first (default 2)
    BENCH_CONNECTIONS  wrk's open connections (default 8); BENCH_WRK_THREADS wrk's threads (default 2)
    BENCH_WORKERS      gunicorn workers (default 2); BENCH_WORKER_THREADS threads each (default 4)
    BENCH_SIZES        total cases of each database, smallest first (default 1000,100000)
    BENCH_ACCEPT_ENCODING  sent with every request, as a phone's browser does (default "gzip, deflate, br")
    BENCH_KEEP=1       keep the databases and server logs (the folder is printed)
    DATABASE_URL       a postgresql:// URL: seed databases portal_bench_<size> on that server (dropped
                       and created again) instead of SQLite files in a throwaway folder
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from seed import driver_url  # bench/seed.py: this script's folder comes first on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PASSWORD = "demo-portal-2026"  # every demo account's (README: Demo accounts)
ALICE, CHARLOTTE, QUINN = "alice.appleby@example.org", "charlotte.chaffinch@example.org", "quinn.quail@example.org"

MIN_THROUGHPUT_RATIO = 0.10  # of hello's requests/s (issue "Quick to change and quick to serve")
MAX_GROWTH = 1.25  # largest size over smallest, for p95 and CPU per request


def setting(name: str, default: int) -> int:
    """A whole-number setting from the environment."""
    return int(os.environ.get(name, "").strip() or default)


SECONDS = setting("BENCH_SECONDS", 8)
ROUNDS = setting("BENCH_ROUNDS", 3)
WARMUP = setting("BENCH_WARMUP", 2)
CONNECTIONS = setting("BENCH_CONNECTIONS", 8)
WRK_THREADS = setting("BENCH_WRK_THREADS", 2)
WORKERS = setting("BENCH_WORKERS", 2)
WORKER_THREADS = setting("BENCH_WORKER_THREADS", 4)
SIZES = [int(size) for size in (os.environ.get("BENCH_SIZES", "").strip() or "1000,100000").split(",")]
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def label(size: int) -> str:
    """1000 -> 1k, 100000 -> 100k (database names, table headings)."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_name(size: int) -> str:
    """The PostgreSQL database of one size, e.g. portal_bench_100k."""
    return f"portal_bench_{label(size)}"


class LinksAndOptions(HTMLParser):
    """The links of a page, the hidden inputs of each form by its action, and each <select>'s options."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: dict[str, dict[str, str]] = {}
        self.options: dict[str, dict[str, str]] = {}  # select name -> option text -> value
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name") or ""
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value") or ""

    def handle_data(self, data):
        if self._select is not None and self._option is not None and data.strip():
            self.options.setdefault(self._select, {})[data.strip()] = self._option
            self._option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env() -> dict[str, str]:
    """The environment of every portal process: development settings, no Redis, no debugger."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_DEBUG", "DATABASE_URL") and not k.startswith("BENCH_")}
    env["PORTAL_ENV"] = "development"
    return env


class Databases:
    """Where each size's database lives: SQLite files in a throwaway folder, or PostgreSQL databases."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        server = os.environ.get("DATABASE_URL", "").strip()
        self.postgres = server.startswith(("postgres://", "postgresql://", "postgresql+"))
        self.server = server

    def url(self, size: int) -> str:
        """The database URL of one size."""
        if not self.postgres:
            return f"sqlite:///{self.workdir / f'portal-{label(size)}.sqlite3'}"
        return make_url(driver_url(self.server)).set(database=database_name(size)).render_as_string(hide_password=False)

    def _admin(self, statements: list[str]) -> None:
        """Run statements on the server's own database, outside a transaction (CREATE DATABASE needs that)."""
        engine = create_engine(driver_url(self.server), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        engine.dispose()

    def create(self) -> None:
        """PostgreSQL: drop the benchmark's databases if a previous run left them, and create them empty."""
        if self.postgres:
            names = [database_name(size) for size in SIZES]
            self._admin([f'DROP DATABASE IF EXISTS "{name}"' for name in names] + [f'CREATE DATABASE "{name}"' for name in names])

    def drop(self) -> None:
        """PostgreSQL: drop the benchmark's databases (the SQLite files go with their folder)."""
        if self.postgres:
            self._admin([f'DROP DATABASE IF EXISTS "{database_name(size)}"' for size in SIZES])


def seed_all(databases: Databases, today: date) -> None:
    """Seed every size's database at once (one process each: they use both cores)."""
    started = time.monotonic()
    processes = []
    for size in SIZES:
        log = open(databases.workdir / f"seed-{label(size)}.log", "w+")
        processes.append((size, log, subprocess.Popen(
            [sys.executable, str(BENCH / "seed.py"), databases.url(size), str(size), "--today", today.isoformat()],
            cwd=ROOT, env=base_env(), stdout=log, stderr=subprocess.STDOUT)))
    failed = False
    for size, log, process in processes:
        process.wait()
        log.seek(0)
        output = log.read().strip()
        log.close()
        print(f"  {label(size)}: {output.splitlines()[-1] if output else ''}" if process.returncode == 0
              else f"  {label(size)}: seeding failed\n{output[-3000:]}", flush=True)
        failed = failed or process.returncode != 0
    if failed:
        raise SystemExit(1)
    print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)


class Server:
    """gunicorn serving bench/app.py from one database, and the signed-in HTTP sessions on it."""

    def __init__(self, size: int, url: str, workdir: Path) -> None:
        self.size = size
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = base_env() | {"DATABASE_URL": url}
        self.log_path = workdir / f"server-{label(size)}.log"
        self.process: subprocess.Popen | None = None
        self.sessions: dict[str, requests.Session] = {}

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--threads", str(WORKER_THREADS),
                 "--worker-class", "gthread", "--no-control-socket", "--bind", f"127.0.0.1:{self.port}", "bench.app:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.base + "/bench/hello", timeout=10).ok:
                    return
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start on the {label(self.size)} database:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop gunicorn (the master stops its workers)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for an error message."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def sign_in(self, login: str) -> requests.Session:
        """Sign in once per account, as the form does (its CSRF token, then a POST): the rate limit never bites."""
        if login in self.sessions:
            return self.sessions[login]
        http = requests.Session()
        page = LinksAndOptions()
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

    def get(self, login: str | None, path: str) -> requests.Response:
        """Load a page as the account (or signed out), insisting on a 200 with no redirect."""
        http = self.sign_in(login) if login else requests.Session()
        response = http.get(self.base + path, allow_redirects=False, timeout=60, headers={"Accept-Encoding": ACCEPT_ENCODING})
        if response.status_code != 200:
            raise RuntimeError(f"{path} as {login or 'nobody'} on {label(self.size)}: HTTP {response.status_code} "
                               f"{response.headers.get('Location', '')}")
        return response

    def parsed(self, login: str, path: str) -> LinksAndOptions:
        """A page's links, forms and options."""
        page = LinksAndOptions()
        page.feed(self.get(login, path).text)
        return page

    def cookie_header(self, login: str | None) -> str | None:
        """The account's cookies as one Cookie header, as the browser would send them (the latest ones)."""
        if login is None:
            return None
        return "; ".join(f"{c.name}={c.value}" for c in self.sessions[login].cookies)

    def cpu_seconds(self) -> float:
        """CPU time so far of the gunicorn master and its workers, ended workers included."""
        assert self.process is not None
        master = self.process.pid
        total = sum(_proc_times(master, children=True))
        for pid in _children(master):
            total += sum(_proc_times(pid, children=False))
        return total / CLOCK_TICKS


def _proc_times(pid: int, children: bool) -> tuple[int, ...]:
    """utime and stime of a process from /proc/<pid>/stat (and the waited-for children's, for the master)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ()
    # After the command name: state is field 3 of proc(5), utime 14, stime 15, cutime 16, cstime 17.
    times = fields[11:15] if children else fields[11:13]
    return tuple(int(value) for value in times)


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


@dataclass(frozen=True)
class Scenario:
    """One page measured: its name, who loads it (nobody for hello), and its path (found per server)."""

    name: str
    login: str | None
    paths: dict[int, str]


@dataclass
class Run:
    """What one wrk run measured."""

    rps: float
    p50: float
    p95: float
    p99: float
    cpu_ms: float
    errors: int


@dataclass
class Figures:
    """A scenario's runs at one size, and their medians."""

    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


def first(paths: list[str], pattern: str, what: str) -> str:
    """The first path matching the pattern; a clear error when a page no longer links to it."""
    for path in paths:
        if re.fullmatch(pattern, path):
            return path
    raise RuntimeError(f"no link to {what} (a path like {pattern}) among {paths}")


def local_paths(server: Server, links: list[str]) -> list[str]:
    """Links as paths on this server, without fragments."""
    paths = []
    for href in links:
        url = urlsplit(urljoin(server.base + "/", href))
        if url.netloc == urlsplit(server.base).netloc and not url.fragment:
            paths.append(url.path)
    return paths


def discover(servers: list[Server]) -> list[Scenario]:
    """Every scenario's path on every server, found the way people find the pages (no ids written here)."""
    report, sqa = {}, {}
    for server in servers:
        home = local_paths(server, server.parsed(ALICE, "/home").links)
        conference = first(home, r"/cases/[^/]+/conferences/\d+", "Alice's conference")
        report[server.size] = first(local_paths(server, server.parsed(ALICE, conference).links),
                                    r"/cases/[^/]+/reports/\d+", "the report shared with Alice")
        chairs = server.parsed(QUINN, "/cases").options.get("chair", {})
        if "Charlotte Chaffinch" not in chairs:
            raise RuntimeError(f"no Charlotte Chaffinch among the SQA manager's chair filter: {sorted(chairs)}")
        sqa[server.size] = "/cases?" + urlencode({"chair": chairs["Charlotte Chaffinch"], "status": "scheduled"})
        server.sign_in(CHARLOTTE)
    sizes = [server.size for server in servers]
    return [
        Scenario("hello", None, {size: "/bench/hello" for size in sizes}),
        Scenario("home", ALICE, {size: "/home" for size in sizes}),
        Scenario("report", ALICE, report),
        Scenario("chair", CHARLOTTE, {size: "/cases" for size in sizes}),
        Scenario("sqa", QUINN, sqa),
    ]


# Values that change on every request, not with the data: CSP nonces, the forms' CSRF tokens and
# once-only submission keys (prefixed or not), autosave's render time.
PER_REQUEST = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'("draft_from":\s*")[^"]*"'), r'\1"'),
    (re.compile(r'(name="[\w-]*(?:csrf_token|submission_key)"[^>]*?value=")[^"]*"'), r'\1"'),
    (re.compile(r'(value=")[^"]*("[^>]*?name="[\w-]*(?:csrf_token|submission_key)")'), r'\1\2'),
    (re.compile(r'(name="csrf-token"[^>]*?content=")[^"]*"'), r'\1"'),
    (re.compile(r'("X-CSRFToken":\s*")[^"]*"'), r'\1"'),
]


def normalised(body: str) -> str:
    """A page's body without its per-request values."""
    for pattern, replacement in PER_REQUEST:
        body = pattern.sub(replacement, body)
    return body


def compare_pages(servers: list[Server], scenarios: list[Scenario]) -> list[str]:
    """Check each page is the same at every size (so only the data around it differs); print and return misses."""
    misses = []
    print(f"Pages at {' and '.join(f'{s.size:,}' for s in servers)} cases, compared without per-request values (CSP nonces, CSRF tokens, submission keys, render times):")
    for scenario in scenarios:
        bodies = [normalised(server.get(scenario.login, scenario.paths[server.size]).text) for server in servers]
        # Ids in paths may differ between sizes only if the databases differ; compare paths too.
        paths = {scenario.paths[server.size] for server in servers}
        if len(set(bodies)) == 1 and len(paths) == 1:
            print(f"  {scenario.name:<7} identical ({len(bodies[0]):,} characters)")
            continue
        lengths = ", ".join(f"{len(b):,}" for b in bodies)
        where = next((i for i, chars in enumerate(zip(*bodies)) if len(set(chars)) > 1), min(len(b) for b in bodies))
        print(f"  {scenario.name:<7} DIFFERENT: {lengths} characters; first difference near: "
              f"{bodies[0][max(0, where - 80):where + 80]!r}")
        misses.append(f"the {scenario.name} page differs between sizes")
    return misses


def wrk(server: Server, scenario: Scenario, seconds: int) -> Run:
    """One wrk run against a page, with the CPU time the server spent on it."""
    server.get(scenario.login, scenario.paths[server.size])  # must be a 200 now; refreshes the session's cookie
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(BENCH / "report.lua"), "-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    cookie = server.cookie_header(scenario.login)
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(server.base + scenario.paths[server.size])
    cpu_before = server.cpu_seconds()
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    cpu_after = server.cpu_seconds()
    line = next((l for l in result.stdout.splitlines() if l.startswith("BENCH ")), None)
    if result.returncode or line is None:
        raise RuntimeError(f"wrk failed on {scenario.name}:\n{result.stdout}{result.stderr}")
    values = {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}
    requests_done = max(values["requests"], 1)
    return Run(
        rps=values["requests"] / (values["duration_us"] / 1e6),
        p50=values["p50_us"] / 1000, p95=values["p95_us"] / 1000, p99=values["p99_us"] / 1000,
        cpu_ms=(cpu_after - cpu_before) * 1000 / requests_done,
        errors=values["non2xx"] + values["connect"] + values["read"] + values["write"] + values["timeout"],
    )


def measure(servers: list[Server], scenarios: list[Scenario]) -> dict[tuple[str, int], Figures]:
    """Warm every page up, then the rounds: scenario by scenario, each size back to back, sizes alternating."""
    figures = {(scenario.name, server.size): Figures() for scenario in scenarios for server in servers}
    if WARMUP:
        print(f"Warming up ({WARMUP} s per page and size)...", flush=True)
        for scenario in scenarios:
            for server in servers:
                wrk(server, scenario, WARMUP)
    for round_number in range(ROUNDS):
        order = servers if round_number % 2 == 0 else servers[::-1]
        print(f"Round {round_number + 1} of {ROUNDS} ({SECONDS} s per run)...", flush=True)
        for scenario in scenarios:
            for server in order:
                run = wrk(server, scenario, SECONDS)
                figures[(scenario.name, server.size)].runs.append(run)
                print(f"  {scenario.name:<7} {label(server.size):>5}: {run.rps:8.1f} req/s, p95 {run.p95:7.1f} ms, "
                      f"CPU {run.cpu_ms:6.2f} ms/req, errors {run.errors}", flush=True)
    return figures


def report(scenarios: list[Scenario], figures: dict[tuple[str, int], Figures], misses: list[str]) -> list[str]:
    """Print the table, the RATIO lines and the targets; return every missed target."""
    small, large = SIZES[0], SIZES[-1]
    print()
    print(f"Medians of {ROUNDS} rounds of {SECONDS} s; wrk -t{WRK_THREADS} -c{CONNECTIONS}; "
          f"gunicorn {WORKERS} workers x {WORKER_THREADS} threads; {os.cpu_count()} CPUs")
    header = f"{'scenario':<9}{'cases':>9}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'errors':>8}"
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        for size in SIZES:
            f = figures[(scenario.name, size)]
            print(f"{scenario.name:<9}{size:>9,}{f.median('rps'):>10.1f}{f.median('p50'):>9.1f}{f.median('p95'):>9.1f}"
                  f"{f.median('p99'):>9.1f}{f.median('cpu_ms'):>12.2f}{f.errors:>8}")
    print()

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    for scenario in scenarios[1:]:
        for size in SIZES:
            ratio = figures[(scenario.name, size)].median("rps") / figures[("hello", size)].median("rps")
            ok = ratio >= MIN_THROUGHPUT_RATIO
            print(f"RATIO throughput {scenario.name}/hello at {size:,} cases: {ratio:.3f} "
                  f"(target >= {MIN_THROUGHPUT_RATIO}) {verdict(ok)}")
            if not ok:
                misses.append(f"{scenario.name} serves {ratio:.3f} of hello's requests/s at {size:,} cases")
    for scenario in scenarios:
        for measure_name, attribute in (("p95", "p95"), ("cpu", "cpu_ms")):
            ratio = figures[(scenario.name, large)].median(attribute) / figures[(scenario.name, small)].median(attribute)
            if scenario.name == "hello":  # the ceiling has no target: its ratio shows the noise of the machine
                print(f"RATIO {measure_name} hello {large:,}/{small:,} cases: {ratio:.3f} (no target: the machine's noise)")
                continue
            ok = ratio <= MAX_GROWTH
            print(f"RATIO {measure_name} {scenario.name} {large:,}/{small:,} cases: {ratio:.3f} "
                  f"(target <= {MAX_GROWTH}) {verdict(ok)}")
            if not ok:
                misses.append(f"{scenario.name}'s {measure_name} at {large:,} cases is {ratio:.2f}x that at {small:,}")
    errors = sum(f.errors for f in figures.values())
    print(f"Errors (non-2xx and socket errors) in all runs: {errors} (target 0) {verdict(errors == 0)}")
    if errors:
        misses.append(f"{errors} errors")
    return misses


def main() -> int:
    """Seed, serve, check, measure, report; 1 when a target is missed."""
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make bench` installs it (Debian package wrk).", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    databases = Databases(workdir)
    servers: list[Server] = []
    started = time.monotonic()
    try:
        where = "PostgreSQL at DATABASE_URL" if databases.postgres else "SQLite in a throwaway folder"
        print(f"Seeding {', '.join(f'{size:,}' for size in SIZES)} cases ({where})...", flush=True)
        databases.create()
        seed_all(databases, date.today())
        servers = [Server(size, databases.url(size), workdir) for size in SIZES]
        for server in servers:
            server.start()
        scenarios = discover(servers)
        misses = compare_pages(servers, scenarios)
        figures = measure(servers, scenarios)
        misses = report(scenarios, figures, misses)
    finally:
        for server in servers:
            server.stop()
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"Kept the databases and logs in {workdir}")
        else:
            databases.drop()
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"Took {time.monotonic() - started:.0f} s.")
    if misses:
        print("TARGETS MISSED:\n  " + "\n  ".join(misses))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""No acknowledged submission is lost when the server or the database is killed (issue 11, item 6).

A family member's question on a report is the submission: it creates a row, carries an
idempotency key (portal/idempotency.py) and is acknowledged with a 303. Several clients, signed in
as the demo family accounts the report is shared with, send questions without pause while:

- SQLite: gunicorn (deploy/gunicorn.conf.py), master and workers, is killed with SIGKILL several
  times and started again; after each kill `PRAGMA integrity_check` must say "ok";
- PostgreSQL: the database is stopped with `pg_ctl stop -m immediate` (a crash: nothing is
  flushed) several times and started again, with PostgreSQL's durable defaults.

A client whose POST got no answer (connection cut, 5xx) sends the same key again until it gets
one, as a browser's retry does. Every acknowledged question must then be in the database exactly
once. Before each kill one question is also sent and its answer thrown away on purpose; once it is
saved the server is killed, and its retry after the restart must find it, not add a second one.

    PORTAL_ENV=test .venv/bin/python -m pytest -m security_slow tests/deploy/test_crash.py -s
"""

from __future__ import annotations

import http.client
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from tests.deploy.servers import (
    PASSWORD,
    PostgresCluster,
    Server,
    browser,
    clean_env,
    free_port,
    kill_server,
    launch,
    prepare_database,
    sign_in,
    stop_servers,
    tail,
    wait_until_serving,
)

pytestmark = pytest.mark.security_slow

# The demo family members the Appleby family's school report is shared with.
FAMILY = ("alice.appleby@example.org", "grace.appleby@example.org")
CLIENTS_PER_ACCOUNT = 3
KILLS = 3
WORKERS = 2
# Acknowledged questions to wait for between two kills (and after the last restart).
BETWEEN_KILLS = 12
SECTION = "worries"


@pytest.fixture(scope="module")
def summary():
    lines: list[str] = []
    started = time.monotonic()
    yield lines
    print(f"\nCrash proof ({time.monotonic() - started:.0f} s with set-up, on 127.0.0.1):")
    for line in lines:
        print(f"  - {line}")


@pytest.fixture(scope="module")
def workdir(summary):
    path = Path(tempfile.mkdtemp(prefix="portal-crash-"))
    path.chmod(0o711)  # the postgres user must reach its data folder inside
    yield path
    shutil.rmtree(path, ignore_errors=True)


# --- the database, read directly ----------------------------------------------------------

class Database:
    """Read the portal's database without the app: SQLite's file or PostgreSQL's URL."""

    def __init__(self, sqlite_file: Path | None = None, postgres_url: str | None = None):
        self.sqlite_file, self.postgres_url = sqlite_file, postgres_url

    def rows(self, sql: str, *params) -> list[tuple]:
        if self.sqlite_file:
            connection = sqlite3.connect(self.sqlite_file, timeout=30)
            try:
                return connection.execute(sql, params).fetchall()
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(self.postgres_url, connect_timeout=10) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()

    def copies(self, body: str) -> int:
        """How many questions hold this text (each text is unique to one submission)."""
        return self.rows("SELECT count(*) FROM comments WHERE body = ?", body)[0][0]

    def report_url(self) -> str:
        """The path of the submitted professional report shared with the first family account."""
        found = self.rows(
            "SELECT c.reference, r.id FROM reports r JOIN cases c ON c.id = r.case_id "
            "JOIN report_shares s ON s.report_id = r.id JOIN participants p ON p.id = s.participant_id "
            "JOIN users u ON u.id = p.user_id "
            "WHERE r.kind = 'professional' AND r.status = 'submitted' AND u.email = ? ORDER BY r.id", FAMILY[0])
        assert found, "the demo data should share a submitted report with the family"
        reference, report_id = found[0]
        return f"/cases/{reference}/reports/{report_id}"


# --- the clients --------------------------------------------------------------------------

def body_for(key: str) -> str:
    return f"Why does this section say that? (question {key})"


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    acknowledged: list[str] = field(default_factory=list)  # keys answered with the 303
    retried: set[str] = field(default_factory=set)  # keys whose first POST got no answer
    cut: int = 0  # POSTs whose connection was cut while waiting for the answer (not refused)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


class Client(threading.Thread):
    """One signed-in family member asking question after question; a question with no answer is
    sent again with the same key until it is answered."""

    def __init__(self, server: Server, login: str, report: str, tally: Tally, stop: threading.Event):
        super().__init__(daemon=True)
        self.server, self.report, self.tally, self.stop = server, report, tally, stop
        self.jar = browser()
        assert sign_in(self.jar, server, login, PASSWORD).status_code == 303, f"{login} could not sign in"
        self.token = form_token(self.jar, server, report)

    def run(self) -> None:
        key = None
        give_up = None
        while True:
            if key is None:
                if self.stop.is_set():
                    return
                key = secrets.token_urlsafe(24)
            elif self.stop.is_set():
                give_up = give_up or time.monotonic() + 60
                if time.monotonic() > give_up:
                    with self.tally.lock:
                        self.tally.unexpected.append(f"no answer for {key} in 60 s after the last restart")
                    return
            try:
                response = self.jar.post(self.server.url + self.report + f"/sections/{SECTION}/comments",
                                         data=question(self.token, key), allow_redirects=False, timeout=30)
            except requests.RequestException as error:
                response = None
                if "refused" not in str(error).lower():
                    with self.tally.lock:
                        self.tally.cut += 1
            if response is not None and response.status_code == 303 and answered(response, self.report):
                with self.tally.lock:
                    self.tally.acknowledged.append(key)
                key = None
            elif response is None or response.status_code >= 500:  # cut off, or the database was down: retry
                with self.tally.lock:
                    self.tally.retried.add(key)
                time.sleep(0.2)
            else:
                with self.tally.lock:
                    self.tally.unexpected.append(f"{response.status_code} for {key}")
                key = None


def answered(response, report: str) -> bool:
    """The question was saved: back to the report (not to the sign-in page, whose `next` names it)."""
    return urlsplit(response.headers.get("Location", "")).path == report


def question(token: str, key: str) -> dict:
    return {f"{SECTION}-csrf_token": token, f"{SECTION}-submission_key": key,
            f"{SECTION}-kind": "question", f"{SECTION}-body": body_for(key)}


def form_token(jar: requests.Session, server: Server, report: str) -> str:
    page = jar.get(server.url + report, timeout=60)
    assert page.status_code == 200, f"the report did not open ({page.status_code})"
    marker = f'name="{SECTION}-csrf_token" type="hidden" value="'
    assert marker in page.text, "no question form on the report"
    return page.text.split(marker, 1)[1].split('"', 1)[0]


def post_and_drop_the_answer(server: Server, jar: requests.Session, token: str, report: str, key: str) -> None:
    """Send a question and close the connection without reading the answer (a phone losing signal)."""
    cookie = "; ".join(f"{name}={value}" for name, value in jar.cookies.get_dict().items())
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", report + f"/sections/{SECTION}/comments", body=urlencode(question(token, key)),
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    connection.close()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Storm:
    """The clients, the kills between them, and what they add up to."""

    def __init__(self, server: Server, db: Database):
        self.server, self.db = server, db
        self.report = db.report_url()
        self.tally = Tally()
        self.stop = threading.Event()
        self.clients = [Client(server, login, self.report, self.tally, self.stop)
                        for login in FAMILY for _ in range(CLIENTS_PER_ACCOUNT)]
        self.dropped: list[str] = []  # keys whose answer was thrown away before a kill
        # A family member of its own (not started) for the questions the test sends itself.
        self.dropper = Client(server, FAMILY[0], self.report, self.tally, self.stop)

    def start(self) -> None:
        for client in self.clients:
            client.start()

    def wait_for_more(self, count: int = BETWEEN_KILLS) -> None:
        target = self.tally.count() + count
        wait_for(lambda: self.tally.count() >= target, 120, f"{count} acknowledged questions")

    def drop_an_answer(self) -> None:
        """A question whose answer is lost: wait until it is saved, so the kill comes after it."""
        key = secrets.token_urlsafe(24)
        post_and_drop_the_answer(self.server, self.dropper.jar, self.dropper.token, self.report, key)
        wait_for(lambda: self.db.copies(body_for(key)) == 1, 30, "the question whose answer was dropped")
        self.dropped.append(key)

    def saved_without_an_answer(self) -> set[str]:
        """With the server down: questions whose client got no answer but which were saved anyway."""
        time.sleep(0.5)  # the clients notice their cut connections
        with self.tally.lock:
            waiting = self.tally.retried - set(self.tally.acknowledged)
        return {key for key in waiting if self.db.copies(body_for(key)) == 1}

    def retry_the_dropped(self) -> list[int]:
        """Send each dropped question again, same key: the answer a retry gets."""
        jar, token = self.dropper.jar, self.dropper.token
        statuses = []
        for key in self.dropped:
            response = jar.post(self.server.url + self.report + f"/sections/{SECTION}/comments",
                                data=question(token, key), allow_redirects=False, timeout=30)
            statuses.append(response.status_code if answered(response, self.report) else -response.status_code)
        return statuses

    def finish(self) -> None:
        self.stop.set()
        for client in self.clients:
            client.join(timeout=90)
        assert not any(client.is_alive() for client in self.clients), "a client did not stop"

    def double_submit(self) -> tuple[list[int], int]:
        """The same key posted twice at once, then a third time: the statuses and the rows made."""
        key = secrets.token_urlsafe(24)
        statuses: list[int] = []

        def post():
            response = self.dropper.jar.post(self.server.url + self.report + f"/sections/{SECTION}/comments",
                                             data=question(self.dropper.token, key), allow_redirects=False, timeout=30)
            statuses.append(response.status_code)

        twins = [threading.Thread(target=post) for _ in range(2)]
        for twin in twins:
            twin.start()
        for twin in twins:
            twin.join()
        post()
        return statuses, self.db.copies(body_for(key))

    def check(self) -> dict:
        """Every acknowledged and every retried question is in the database exactly once."""
        assert not self.tally.unexpected, f"unexpected answers: {self.tally.unexpected[:10]}"
        acknowledged = self.tally.acknowledged
        assert len(acknowledged) == len(set(acknowledged)), "a key was acknowledged twice"
        copies = {key: self.db.copies(body_for(key)) for key in set(acknowledged) | set(self.dropped)}
        lost = sorted(key for key in acknowledged if copies[key] == 0)
        doubled = sorted(key for key, count in copies.items() if count > 1)
        return {"acknowledged": len(acknowledged), "lost": len(lost), "doubled": len(doubled), "cut": self.tally.cut,
                "retried": len(self.tally.retried), "retried_once": sum(copies.get(k, 0) == 1 for k in self.tally.retried
                                                                        if k in copies)}


def _sqlite_integrity(path: Path) -> str:
    connection = sqlite3.connect(path, timeout=30)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def _report(summary: list[str], name: str, kills: int, figures: dict, dropped: int, retries: list[int],
            doubled: tuple[list[int], int], extra: str) -> None:
    summary.append(
        f"{name}: {kills} kills; {figures['acknowledged']} questions acknowledged, lost {figures['lost']}, "
        f"doubled {figures['doubled']}; {figures['cut']} connections cut mid-request; "
        f"{figures['retried']} sent again after no answer or a 5xx, each saved once "
        f"({figures['retried_once']}); {dropped} answers dropped on purpose before a kill, retried after the restart: "
        f"{retries}, saved once each; the same key posted twice at once then again: {doubled[0]} -> {doubled[1]} row; {extra}"
    )
    print(f"\n{name}: kills={kills} acknowledged={figures['acknowledged']} lost={figures['lost']}")


# --- the proofs --------------------------------------------------------------------------

def test_killing_gunicorn_loses_no_acknowledged_question_on_sqlite(workdir, summary):
    started = time.monotonic()
    database = workdir / "portal.sqlite3"
    env = clean_env(PORTAL_ENV="development", DATABASE_URL=f"sqlite:///{database}",
                    SECRET_KEY=secrets.token_urlsafe(48), NOTIFY_BACKEND="log", PYTHONUNBUFFERED="1")
    prepare_database(env)
    db = Database(sqlite_file=database)
    server = Server("sqlite", free_port(), workdir / "gunicorn-sqlite.log")
    launch(server, env, WORKERS)
    try:
        wait_until_serving([server], workers=WORKERS)
        storm = Storm(server, db)
        storm.start()
        checks = []
        unanswered: set[str] = set()
        for _ in range(KILLS):
            storm.wait_for_more()
            storm.drop_an_answer()
            kill_server(server)  # SIGKILL to the master and every worker, while the clients keep sending
            checks.append(_sqlite_integrity(database))
            unanswered |= storm.saved_without_an_answer()
            launch(server, env, WORKERS)
            wait_until_serving([server], workers=WORKERS)
        storm.wait_for_more()
        retries = storm.retry_the_dropped()
        storm.finish()
        doubled = storm.double_submit()
    except BaseException:
        print(tail(server.log, 40))
        raise
    finally:
        stop_servers([server])

    figures = storm.check()
    final = _sqlite_integrity(database)
    pragmas = sqlite3.connect(database)
    try:
        journal = pragmas.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        pragmas.close()
    _report(summary, "SQLite, gunicorn killed with SIGKILL", KILLS, figures, len(storm.dropped), retries, doubled,
            f"{len(unanswered)} more saved though the kill cut their answer, and retried once each; "
            f"integrity_check after each kill: {checks}, at the end: {final}; journal_mode {journal} "
            f"({time.monotonic() - started:.0f} s)")
    assert figures["acknowledged"] >= (KILLS + 1) * BETWEEN_KILLS
    assert figures["lost"] == 0 and figures["doubled"] == 0
    assert retries == [303] * KILLS
    assert doubled[1] == 1 and set(doubled[0]) == {303}
    assert all(db.copies(body_for(key)) == 1 for key in unanswered)
    assert checks == ["ok"] * KILLS and final == "ok"
    assert journal == "wal"


def test_crashing_postgresql_loses_no_acknowledged_question(workdir, summary):
    started = time.monotonic()
    cluster = PostgresCluster(workdir, durable=True)
    cluster.start()
    server = None
    try:
        cluster.create_database()
        env = clean_env(PORTAL_ENV="development", DATABASE_URL=cluster.url,
                        SECRET_KEY=secrets.token_urlsafe(48), NOTIFY_BACKEND="log", PYTHONUNBUFFERED="1")
        prepare_database(env)
        db = Database(postgres_url=cluster.libpq_url)
        server = Server("postgres", free_port(), workdir / "gunicorn-postgres.log")
        launch(server, env, WORKERS)
        wait_until_serving([server], workers=WORKERS)
        storm = Storm(server, db)
        storm.start()
        for _ in range(KILLS):
            storm.wait_for_more()
            storm.drop_an_answer()
            stopped = cluster.stop("immediate")  # every PostgreSQL process quits at once, nothing flushed
            assert stopped.returncode == 0, f"pg_ctl stop -m immediate failed: {stopped.stderr}"
            time.sleep(0.5)  # the clients meet a database that is down
            cluster.start()  # crash recovery replays the WAL
        storm.wait_for_more()
        retries = storm.retry_the_dropped()
        storm.finish()
        doubled = storm.double_submit()
        figures = storm.check()
        recovered = tail(cluster.log, 1000).count("automatic recovery in progress")
        indexes = _amcheck(db)
    except BaseException:
        if server:
            print(tail(server.log, 40))
        print(tail(cluster.log, 20))
        raise
    finally:
        if server:
            stop_servers([server])
        cluster.stop()

    _report(summary, "PostgreSQL, stopped with pg_ctl -m immediate", KILLS, figures, len(storm.dropped), retries,
            doubled, f"crash recoveries in the log: {recovered}; {indexes} ({time.monotonic() - started:.0f} s)")
    assert figures["acknowledged"] >= (KILLS + 1) * BETWEEN_KILLS
    assert figures["lost"] == 0 and figures["doubled"] == 0
    assert retries == [303] * KILLS
    assert doubled[1] == 1 and set(doubled[0]) == {303}
    assert recovered >= KILLS


def _amcheck(db: Database) -> str:
    """bt_index_check on the questions' indexes when the amcheck extension is there (it ships with PostgreSQL)."""
    import psycopg

    try:
        with psycopg.connect(db.postgres_url, autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            names = [row[0] for row in connection.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'comments'").fetchall()]
            for name in names:
                connection.execute("SELECT bt_index_check(%s::regclass, true)", (name,))
    except psycopg.errors.UndefinedFile:
        return "amcheck not installed"
    return f"amcheck: {len(names)} indexes of the questions' table are sound"

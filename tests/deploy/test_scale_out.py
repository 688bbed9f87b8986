"""Two gunicorn servers sharing one PostgreSQL and one Redis behave as one portal.

Everything runs on 127.0.0.1 only, from a temporary folder that is removed afterwards: a
PostgreSQL cluster of its own, a Redis of its own, the migrations and demo data, then two
servers started with deploy/gunicorn.conf.py. Real HTTP, one browser's cookie jar.

    PORTAL_ENV=test .venv/bin/python -m pytest -m scale_out -s
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.deploy.servers import (
    PASSWORD,
    PYTHON,
    ROOT,
    PostgresCluster,
    Server,
    browser,
    clean_env,
    csrf_token,
    is_sent_to_sign_in,
    prepare_database,
    sign_in,
    start_redis,
    start_servers,
    stop_process,
    stop_servers,
)

pytestmark = pytest.mark.scale_out

ALICE = "alice.appleby@example.org"
# Accounts whose sign-in is attacked: not Alice, so the session tests never meet a limit.
ATTACKED = "carl.chestnut@example.org"
ATTACKED_WITHOUT_REDIS = "clara.chestnut@example.org"
LIMIT = 5  # SIGN_IN_LIMIT_PER_ACCOUNT: 5 failures per 15 minutes


# --- the servers --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def summary():
    """What the module proved, with figures, printed once at the end."""
    lines: list[str] = []
    started = time.monotonic()
    yield lines
    print(f"\nScale-out proof ({time.monotonic() - started:.0f} s with set-up, on 127.0.0.1: "
          "gunicorn servers sharing one PostgreSQL and one Redis):")
    for line in lines:
        print(f"  - {line}")


@pytest.fixture(scope="module")
def workdir(summary):
    """A temporary folder for the database cluster, Redis and the logs, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="portal-scale-out-"))
    path.chmod(0o711)  # the postgres user must reach its data folder inside
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(workdir):
    """A PostgreSQL cluster of its own on a free loopback port; its URL (database 'portal')."""
    cluster = PostgresCluster(workdir)
    cluster.start()
    try:
        cluster.create_database()
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def redis_url(workdir):
    """A Redis of its own on a free loopback port, keeping nothing on disk."""
    process, url = start_redis(workdir / "redis")
    try:
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def portal_env(postgres, redis_url):
    """The environment every server and command shares: the same database, Redis and SECRET_KEY."""
    env = clean_env(
        PORTAL_ENV="development",
        DATABASE_URL=postgres,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        NOTIFY_BACKEND="log",
        PYTHONUNBUFFERED="1",
    )
    prepare_database(env)
    return env


@pytest.fixture(scope="module")
def servers(portal_env, workdir):
    """Servers A and B (two workers each), sharing PostgreSQL, Redis and SECRET_KEY."""
    started = start_servers(portal_env, workdir, ("A", "B"), workers=2)
    yield started
    stop_servers(started)


# --- the proofs --------------------------------------------------------------------------

def test_a_session_started_on_one_server_is_served_by_the_other(servers, summary):
    a, b = servers
    with browser() as jar:
        signed_in = sign_in(jar, a, ALICE, PASSWORD)
        assert signed_in.status_code == 303, f"sign-in on A failed ({signed_in.status_code})"
        answers = []
        for server in (b, a, b, a, b, a):
            page = jar.get(server.url + "/home", allow_redirects=False, timeout=30)
            answers.append(page.status_code)
            assert page.status_code == 200, f"/home on {server.name} answered {page.status_code}, not the page"
            assert 'action="/sign-out"' in page.text
    summary.append(f"signed in on A, then /home served as signed in {answers.count(200)} times of 6, alternating B and A")


def test_signing_out_on_one_server_ends_the_session_on_both(servers, summary):
    a, b = servers
    with browser() as jar:
        assert sign_in(jar, a, ALICE, PASSWORD).status_code == 303
        home = jar.get(b.url + "/home", allow_redirects=False, timeout=30)
        assert home.status_code == 200
        copied = jar.cookies.get_dict()
        assert copied, "no session cookie after signing in"

        signed_out = jar.post(b.url + "/sign-out", data={"csrf_token": csrf_token(home.text)},
                              allow_redirects=False, timeout=30)
        assert signed_out.status_code == 303 and "/signed-out" in signed_out.headers["Location"]
        assert is_sent_to_sign_in(jar.get(a.url + "/home", allow_redirects=False, timeout=30)), \
            "A still served the session B had ended"

    refused = []
    with browser() as thief:  # the cookie as it was before signing out, e.g. kept by another copy of the browser
        thief.cookies.update(copied)
        for server in (a, b):
            page = thief.get(server.url + "/home", allow_redirects=False, timeout=30)
            assert is_sent_to_sign_in(page), f"{server.name} accepted a session cookie from before sign-out"
            refused.append(server.name)
    summary.append("signed out on B: A sends the browser to sign in; the cookie copied before sign-out "
                   f"is refused by {' and '.join(refused)}")


def _attack(servers: list[Server], login: str, attempts: int) -> list[tuple[str, int, str]]:
    """Failed sign-ins for one account, alternating between the servers: (server, status, remaining)."""
    seen = []
    with browser() as jar:
        token = csrf_token(jar.get(servers[0].url + "/sign-in", timeout=30).text)
        for attempt in range(attempts):
            server = servers[attempt % len(servers)]
            response = sign_in(jar, server, login, f"not-the-password-{attempt}", token)
            seen.append((server.name, response.status_code, response.headers.get("X-RateLimit-Remaining", "?")))
    return seen


def test_sign_in_limits_count_across_both_servers(servers, summary):
    a, b = servers
    seen = _attack([a, b], ATTACKED, LIMIT + 3)
    statuses = [status for _, status, _ in seen]
    assert statuses[:LIMIT] == [400] * LIMIT, f"the first {LIMIT} failures should be answered normally: {seen}"
    assert statuses[LIMIT:] == [429] * 3, f"attempts beyond {LIMIT} should be refused on both servers: {seen}"
    # One counter for both: what is left falls by one whichever server took the attempt.
    assert [left for _, _, left in seen[:LIMIT]] == [str(n) for n in range(LIMIT - 1, -1, -1)], seen
    refused_on = sorted({name for name, status, _ in seen if status == 429})
    assert refused_on == ["A", "B"]
    # Even the right password is refused now, on either server, until the window passes.
    with browser() as jar:
        right = [sign_in(jar, server, ATTACKED, PASSWORD).status_code for server in (a, b)]
    assert right == [429, 429]
    trail = ", ".join(f"{name}:{status} ({left} left)" for name, status, left in seen)
    summary.append(
        f"Redis rate limit: {LIMIT} failed sign-ins alternating A/B ({trail}); attempt {LIMIT + 1} and after got 429 "
        f"on {' and '.join(refused_on)}, and so did the right password on both"
    )


def test_without_redis_each_server_counts_on_its_own(portal_env, workdir, summary):
    """The counter-proof: memory:// storage lets twice the limit through two servers."""
    env = {name: value for name, value in portal_env.items() if name != "REDIS_URL"}
    apart = start_servers(env, workdir, ("C", "D"), workers=1)
    try:
        seen = _attack(apart, ATTACKED_WITHOUT_REDIS, 2 * LIMIT + 1)
    finally:
        stop_servers(apart)
    statuses = [status for _, status, _ in seen]
    assert statuses[: 2 * LIMIT] == [400] * (2 * LIMIT), f"memory storage should count per server: {seen}"
    assert statuses[-1] == 429, "the server's own count should still stop the next attempt"
    summary.append(
        f"without Redis (memory://, one worker each): {2 * LIMIT} failures got through C and D before a 429, "
        f"twice the limit of {LIMIT}"
    )


# `flask --app wsgi notify send-due`, started when the file named second exists: the app is built
# first (the slow part), so two of these really send at the same time.
AT_THE_SAME_TIME = """
import pathlib, sys, time
import wsgi  # noqa: F401
pathlib.Path(sys.argv[1]).touch()
while not pathlib.Path(sys.argv[2]).exists():
    time.sleep(0.005)
from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", "notify", "send-due"]
main()
"""


def test_reminders_sent_from_two_servers_at_once_go_out_once(portal_env, workdir, summary):
    import psycopg

    url = portal_env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        # Forget what the demo data marked as sent, so every notice and reminder is due again.
        connection.execute("DELETE FROM sent_notifications")

    # Two servers' cron: the same command, both released at the same moment once each has loaded the app.
    go = workdir / "go"
    ready = [workdir / f"ready-{n}" for n in (1, 2)]
    commands = [
        subprocess.Popen([PYTHON, "-c", AT_THE_SAME_TIME, str(flag), str(go)], cwd=ROOT, env=portal_env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for flag in ready
    ]
    deadline = time.monotonic() + 180
    while not all(flag.exists() for flag in ready):
        assert all(command.poll() is None for command in commands), "a send-due command exited before the start"
        assert time.monotonic() < deadline, "the send-due commands did not load the app"
        time.sleep(0.05)
    go.touch()
    outputs = []
    for command in commands:
        out, err = command.communicate(timeout=240)
        assert command.returncode == 0, f"notify send-due failed:\n{out}\n{err[-3000:]}"
        outputs.append((out, err))

    counts = []
    for out, err in outputs:
        found = re.search(r"Sent (\d+) message\(s\); (\d+) already sent", out)
        assert found, f"unexpected output: {out!r}"
        logged = err.count("(not sent):")  # the log backend writes each message once as it goes
        counts.append((int(found.group(1)), int(found.group(2)), logged))

    with psycopg.connect(url) as connection:
        rows, keys = connection.execute("SELECT count(*), count(DISTINCT key) FROM sent_notifications").fetchone()
        # A person with neither an email address nor a mobile number is recorded but gets nothing.
        delivered = connection.execute("SELECT count(*) FROM sent_notifications WHERE channel <> 'none'").fetchone()[0]
        by_event = dict(connection.execute("SELECT event, count(*) FROM sent_notifications GROUP BY event").fetchall())
    (sent_1, skipped_1, logged_1), (sent_2, skipped_2, logged_2) = counts
    assert rows > 0, "the demo data should have messages due"
    assert rows == keys, "a message key was recorded twice"
    assert sent_1 + sent_2 == rows, f"the commands sent {sent_1} + {sent_2}, but {rows} are recorded"
    assert sent_1 + skipped_1 == sent_2 + skipped_2 == rows, "both commands should see the same due messages"
    assert logged_1 <= sent_1 and logged_2 <= sent_2, "a command logged more messages than it sent"
    assert logged_1 + logged_2 == delivered, f"{logged_1} + {logged_2} messages logged, {delivered} delivered"
    events = ", ".join(f"{count} {event}" for event, count in sorted(by_event.items()))
    overlap = "both sent some: they raced for the same messages" if sent_1 and sent_2 else "one claimed every message"
    summary.append(
        f"notify send-due run twice at once: {rows} messages due ({events}); sent {sent_1} + {sent_2} = {rows} "
        f"({overlap}), skipped {skipped_1} + {skipped_2}; {rows} distinct keys; {logged_1 + logged_2} logged, "
        f"once each (= {delivered} with an email or mobile)"
    )

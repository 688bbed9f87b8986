"""Sign-in limits hold across the worker processes of one server (issue 11, item 5).

One gunicorn started with deploy/gunicorn.conf.py and 4 workers, its own PostgreSQL and a real
Redis, all on 127.0.0.1. Every attempt goes over a fresh TCP connection, so the kernel hands it
to whichever worker accepts first; while the connection is still open (keep-alive) the test
finds, through /proc, which worker holds its server end. With memory:// storage each worker
would count alone and 4 x 5 failures would get through (CONVENTIONS, known traps).

    PORTAL_ENV=test .venv/bin/python -m pytest -m security_slow tests/deploy/test_rate_limit_workers.py -s
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.deploy.servers import (
    PASSWORD,
    PostgresCluster,
    Server,
    browser,
    clean_env,
    csrf_token,
    prepare_database,
    start_redis,
    start_servers,
    stop_process,
    stop_servers,
)

pytestmark = pytest.mark.security_slow

WORKERS = 4
PER_ACCOUNT = 5  # SIGN_IN_LIMIT_PER_ACCOUNT: 5 failed sign-ins per 15 minutes (config.py)
PER_ADDRESS = 20  # SIGN_IN_LIMIT_PER_IP: 20 failed sign-ins per 15 minutes from one address
ATTACKED = "ben.bramble@example.org"
# Refused attempts are cheap (the limiter answers before the password is checked): keep trying
# until at least two workers have refused, up to this many.
MAX_REFUSED = 40


@pytest.fixture(scope="module")
def summary():
    lines: list[str] = []
    started = time.monotonic()
    yield lines
    print(f"\nRate limits across {WORKERS} gunicorn workers sharing one Redis "
          f"({time.monotonic() - started:.0f} s with set-up, on 127.0.0.1):")
    for line in lines:
        print(f"  - {line}")


@pytest.fixture(scope="module")
def workdir(summary):
    path = Path(tempfile.mkdtemp(prefix="portal-rate-limit-"))
    path.chmod(0o711)  # the postgres user must reach its data folder inside
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_url(workdir):
    process, url = start_redis(workdir / "redis")
    try:
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def server(workdir, redis_url):
    cluster = PostgresCluster(workdir)
    cluster.start()
    try:
        cluster.create_database()
        env = clean_env(PORTAL_ENV="development", DATABASE_URL=cluster.url, REDIS_URL=redis_url,
                        SECRET_KEY=secrets.token_urlsafe(48), NOTIFY_BACKEND="log", PYTHONUNBUFFERED="1")
        prepare_database(env)
        started = start_servers(env, workdir, ("W",), workers=WORKERS)
        try:
            yield started[0]
        finally:
            stop_servers(started)
    finally:
        cluster.stop()


@pytest.fixture()
def fresh_limits(redis_url):
    """Each proof starts from empty counters (both limits count failures from 127.0.0.1)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()


# --- which worker served a connection ----------------------------------------------------

def _server_socket_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server's end of the loopback connection from `client_port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
                return inode
    return None


def serving_worker(server: Server, client_port: int) -> int | None:
    """The pid of the worker holding the server's end of this (still open) connection."""
    inode = _server_socket_inode(server.port, client_port)
    if inode is None:
        return None
    wanted = f"socket:[{inode}]"
    for pid in server.worker_pids():
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                        return pid
                except OSError:
                    pass
        except OSError:
            pass
    return None


def attempt(server: Server, cookie: str, token: str, login: str, password: str) -> tuple[int, int | None]:
    """One sign-in over a new TCP connection: the status, and the pid of the worker that answered."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("POST", "/sign-in",
                           body=urlencode({"csrf_token": token, "login": login, "password": password}),
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        # Still open (keep-alive): the worker that answered holds the other end.
        return response.status, serving_worker(server, connection.sock.getsockname()[1])
    finally:
        connection.close()


def sign_in_page(server: Server) -> tuple[str, str]:
    """The session cookie and CSRF token a browser gets from the sign-in page."""
    with browser() as jar:
        token = csrf_token(jar.get(server.url + "/sign-in", timeout=30).text)
        cookie = "; ".join(f"{name}={value}" for name, value in jar.cookies.get_dict().items())
    return cookie, token


def _trail(seen: list[tuple[int, int | None]], names: dict[int, str]) -> str:
    return ", ".join(f"{status}@{names.get(pid, '?')}" for status, pid in seen)


def _names(server: Server, seen) -> dict[int, str]:
    pids = sorted({pid for _, pid in seen if pid})
    return {pid: f"w{n + 1}" for n, pid in enumerate(pids)}


# --- the proofs --------------------------------------------------------------------------

def test_the_sixth_failed_sign_in_for_an_account_is_refused_by_every_worker(server, fresh_limits, summary):
    workers = server.worker_pids()
    assert len(workers) == WORKERS, f"expected {WORKERS} workers, found {sorted(workers)}"
    cookie, token = sign_in_page(server)

    failed = [attempt(server, cookie, token, ATTACKED, f"not-the-password-{n}") for n in range(PER_ACCOUNT)]
    assert [status for status, _ in failed] == [400] * PER_ACCOUNT, f"the first {PER_ACCOUNT} failures are answered: {failed}"

    refused: list[tuple[int, int | None]] = []
    while len(refused) < MAX_REFUSED:
        refused.append(attempt(server, cookie, token, ATTACKED, f"still-not-it-{len(refused)}"))
        if len(refused) >= 8 and len({pid for _, pid in refused if pid}) >= 2:
            break
    # The right password too: the account is locked for the window, on whichever worker.
    right = [attempt(server, cookie, token, ATTACKED, PASSWORD) for _ in range(4)]

    seen = failed + refused + right
    names = _names(server, seen)
    assert all(pid in workers for pid in names), "a connection was served by a process that is not a worker"
    assert [status for status, _ in refused + right] == [429] * len(refused + right), \
        f"every attempt after the {PER_ACCOUNT}th must be refused: {_trail(seen, names)}"
    refusing = {pid for _, pid in refused + right if pid}
    assert len(refusing) >= 2, (
        f"only one worker was seen refusing ({_trail(seen, names)}): the proof needs the count shared by several")
    per_worker = Counter(names.get(pid, "?") for _, pid in seen)
    summary.append(
        f"per account ({PER_ACCOUNT} per 15 min): {len(seen)} attempts on fresh connections, served by "
        f"{len(names)} of {WORKERS} workers ({', '.join(f'{n}: {c}' for n, c in sorted(per_worker.items()))}); "
        f"failures 1-{PER_ACCOUNT} answered 400, then {len(refused)} wrong and {len(right)} right passwords all got 429 "
        f"from {len(refusing)} different workers. Trail: {_trail(seen, names)}"
    )


def test_the_twenty_first_failed_sign_in_from_one_address_is_refused_by_every_worker(server, fresh_limits, summary):
    cookie, token = sign_in_page(server)
    # Different accounts, none reaching its own limit: only the address's count can refuse.
    logins = [f"nobody-{n % (PER_ADDRESS // (PER_ACCOUNT - 1) + 1)}@example.org" for n in range(PER_ADDRESS)]
    assert max(Counter(logins).values()) < PER_ACCOUNT
    failed = [attempt(server, cookie, token, login, "wrong") for login in logins]
    assert [status for status, _ in failed] == [400] * PER_ADDRESS, f"the first {PER_ADDRESS} failures are answered: {failed}"

    refused = []
    while len(refused) < MAX_REFUSED:
        refused.append(attempt(server, cookie, token, f"someone-new-{len(refused)}@example.org", "wrong"))
        if len(refused) >= 4 and len({pid for _, pid in refused if pid}) >= 2:
            break
    seen = failed + refused
    names = _names(server, seen)
    assert [status for status, _ in refused] == [429] * len(refused), \
        f"every attempt after the {PER_ADDRESS}th from one address must be refused: {_trail(seen, names)}"
    refusing = {pid for _, pid in refused if pid}
    assert len(refusing) >= 2, f"only one worker was seen refusing: {_trail(seen, names)}"
    summary.append(
        f"per address ({PER_ADDRESS} per 15 min): {PER_ADDRESS} failures for {len(set(logins))} accounts answered 400 "
        f"by {len({pid for _, pid in failed if pid})} workers; then {len(refused)} attempts for accounts never tried "
        f"all got 429 from {len(refusing)} different workers"
    )

"""Real servers for the deploy proofs, on 127.0.0.1 only: a PostgreSQL cluster, a Redis and gunicorn
(started with deploy/gunicorn.conf.py), plus HTTP as a browser does it. Shared by the tests beside it.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
INSTALL_HINT = "`make test` installs it from Debian (packages redis-server and postgresql)"
PASSWORD = "demo-portal-2026"  # every demo account's

# Settings of the developer's shell that must not leak into the servers under test.
CLEARED_ENV = (
    "PORTAL_ENV", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_DEBUG", "PROXY_HOPS", "PUBLIC_BASE_URL",
    "NOTIFY_BACKEND", "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "BIND", "PORT", "WEB_CONCURRENCY",
    "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_CMD_ARGS", "GUNICORN_CONTROL_SOCKET", "FORWARDED_ALLOW_IPS",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def browser() -> requests.Session:
    """A cookie jar that talks to 127.0.0.1 directly (never through a proxy from the environment)."""
    session = requests.Session()
    session.trust_env = False
    return session


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def clean_env(**settings: str) -> dict:
    """This process's environment without the portal's settings, plus the given ones."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_ENV}
    env.update(settings)
    return env


def flask(env: dict, *args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def prepare_database(env: dict) -> None:
    """Migrations, then the demo data, into the database the environment names."""
    for command in (("db", "upgrade"), ("demo", "load")):
        done = flask(env, *command)
        if done.returncode:
            pytest.fail(f"flask {' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


# --- PostgreSQL ----------------------------------------------------------------------------

def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    pytest.fail(f"PostgreSQL (initdb, pg_ctl) is not installed: {INSTALL_HINT}.")


def _as_postgres() -> list[str]:
    """initdb refuses to run as root: run the cluster as the postgres user then."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("runuser"):
        pytest.fail("Running as root needs runuser to start PostgreSQL as the postgres user.")
    return ["runuser", "-u", "postgres", "--"]


class PostgresCluster:
    """A PostgreSQL cluster of its own in `folder`, on a free loopback port, with a database 'portal'.

    `durable=False` turns off fsync and synchronous commits (fast; fine when nothing crashes).
    A crash test needs `durable=True`: PostgreSQL's defaults, where a commit is acknowledged only
    once its WAL record is flushed.
    """

    def __init__(self, folder: Path, durable: bool = False):
        self.pg_bin = _postgres_bin()
        self.prefix = _as_postgres()
        self.data = folder / "pg"
        self.log = self.data / "server.log"
        self.port = free_port()
        self.data.mkdir(mode=0o700)
        if self.prefix:
            shutil.chown(self.data, "postgres", "postgres")
        done = self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                         *(() if durable else ("--no-sync",)))
        if done.returncode:
            pytest.fail(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")
            if not durable:
                conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/portal"

    @property
    def libpq_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/portal"

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.prefix, str(self.pg_bin / tool), *args], capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "90", "start")
        if done.returncode:
            pytest.fail(f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{tail(self.log)}")

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE portal")

    def stop(self, mode: str = "fast") -> subprocess.CompletedProcess:
        """`mode="immediate"` is a crash: every server process quits at once, nothing is flushed."""
        return self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


# --- Redis ---------------------------------------------------------------------------------

def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """A Redis of its own on a free loopback port, keeping nothing on disk: the process and its URL."""
    import redis

    server = shutil.which("redis-server") or next(
        (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(path).exists()), None)
    if not server:
        pytest.fail(f"redis-server is not installed: {INSTALL_HINT}.")
    port = free_port()
    folder.mkdir()
    log = folder / "redis.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--daemonize", "no"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stop_process(process)
                    pytest.fail(f"redis-server did not start:\n{tail(log)}")
                time.sleep(0.1)
    finally:
        client.close()
    return process, f"redis://127.0.0.1:{port}/0"


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- gunicorn ------------------------------------------------------------------------------

@dataclass
class Server:
    """One gunicorn instance of the portal, started with deploy/gunicorn.conf.py."""

    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> set[int]:
        """The pids of this master's worker processes (its children), read from /proc."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # "pid (name) state ppid ...": the name may hold spaces, so read after its last ')'.
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.add(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                pass  # a process that ended while we looked
        return pids


def launch(server: Server, env: dict, workers: int) -> None:
    """Start gunicorn for `server` (its port, its log, appended to) without waiting for it."""
    server_env = dict(env, BIND=f"127.0.0.1:{server.port}", WEB_CONCURRENCY=str(workers))
    with open(server.log, "ab") as out:
        server.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers are stopped with it
        )


def wait_until_serving(servers: list[Server], timeout: float = 150, workers: int = 0) -> None:
    """Wait until each server answers /healthz (and, if given, has that many workers running)."""
    with browser() as probe:
        for server in servers:
            deadline = time.monotonic() + timeout
            while True:
                if server.process.poll() is not None:
                    pytest.fail(f"gunicorn {server.name} exited:\n{tail(server.log)}")
                try:
                    if (probe.get(server.url + "/healthz", timeout=10).status_code == 200
                            and len(server.worker_pids()) >= workers):
                        break
                except requests.RequestException:
                    pass  # not listening yet
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn {server.name} did not answer /healthz:\n{tail(server.log)}")
                time.sleep(0.2)


def start_servers(env: dict, workdir: Path, names: tuple[str, ...], workers: int) -> list[Server]:
    """Start one gunicorn per name, all at once, and wait until each answers /healthz."""
    servers = []
    for name in names:
        server = Server(name, free_port(), workdir / f"gunicorn-{name}.log")
        launch(server, env, workers)
        servers.append(server)
    try:
        wait_until_serving(servers)
    except BaseException:
        stop_servers(servers)
        raise
    return servers


def kill_server(server: Server) -> None:
    """kill -9 the master and every worker at once (its whole process group), as a crash does."""
    try:
        os.killpg(server.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.process.wait()


def stop_servers(servers: list[Server]) -> None:
    """Stop each gunicorn (master and workers, by its process group), forcefully if it lingers."""
    for server in servers:
        if server.process and server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGTERM)
    for server in servers:
        if not server.process:
            continue
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
        try:  # a worker left behind by a master that died first
            os.killpg(server.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --- HTTP as a browser does it -----------------------------------------------------------

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


def csrf_token(html: str) -> str:
    tag = CSRF_INPUT.search(html)
    assert tag, "no csrf_token field on the page"
    return VALUE.search(tag.group(0)).group(1)


def sign_in(jar: requests.Session, server: Server, login: str, password: str, token: str | None = None):
    """POST the sign-in form (reading its CSRF token first unless given); the response, not followed."""
    if token is None:
        token = csrf_token(jar.get(server.url + "/sign-in", timeout=30).text)
    return jar.post(server.url + "/sign-in", data={"csrf_token": token, "login": login, "password": password},
                    allow_redirects=False, timeout=60)


def is_sent_to_sign_in(response) -> bool:
    return response.status_code in (302, 303) and "/sign-in" in response.headers.get("Location", "")

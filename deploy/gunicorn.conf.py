"""gunicorn settings for the portal: `python -m gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment, so one file serves every server:
  BIND                 address to listen on (default 127.0.0.1:$PORT, PORT defaulting to 8000);
                       use BIND=0.0.0.0:8000 when the reverse proxy runs on another machine
  WEB_CONCURRENCY      worker processes (default 2 x cores + 1, at most 8)
  GUNICORN_THREADS     threads per worker (default 4)
  GUNICORN_TIMEOUT     seconds before a stuck worker is restarted (default 30)
  FORWARDED_ALLOW_IPS  addresses of the reverse proxies whose X-Forwarded-Proto gunicorn believes
  GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (off by default)

Each worker keeps its own database connections (up to one per thread): workers x threads x servers
must stay below PostgreSQL's max_connections.
"""

from __future__ import annotations

import multiprocessing
import os
import re

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- where to listen --------------------------------------------------------------------
# Loopback by default: the reverse proxy is the only thing that should reach gunicorn.
bind = [os.environ.get("BIND", "").strip() or f"127.0.0.1:{_int('PORT', 8000)}"]

# --- workers ----------------------------------------------------------------------------
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
# Threads (the gthread worker) let one worker serve a page while another request waits for the
# database; the proxy buffers slow phones, so workers never wait on a slow connection.
threads = _int("GUNICORN_THREADS", 4)
# A worker busy for longer than this is restarted (no page of the portal takes seconds).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or a new release (SIGHUP, SIGTERM), requests in flight get this long to finish.
graceful_timeout = 30
# Keep-alive between the proxy and gunicorn; the proxy keeps its own with the phones.
keepalive = 5
# Restart each worker after this many requests (with jitter, so they do not all restart at once):
# a guard against slow memory growth in any library.
max_requests = 1000
max_requests_jitter = 100

# No preload: each worker imports the app after the fork, so no database or Redis connection is
# ever shared between processes, and a graceful reload (SIGHUP) picks up new code. The cost is a
# few seconds more at start-up and a little more memory.
preload_app = False

# gunicorn's control socket lives at one path per user: two instances on one machine would clash.
# Signals (HUP, TERM) do the same job; set GUNICORN_CONTROL_SOCKET to have one anyway.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# --- behind a reverse proxy -------------------------------------------------------------
# gunicorn believes X-Forwarded-Proto only from these addresses. The app itself takes the
# client's address, scheme and host from the proxy's headers through PROXY_HOPS (config.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

proc_name = "family-conference-portal"

# --- logs: no personal data -------------------------------------------------------------
# One line per request: time, method, path (never the query string), status, size, duration.
# No client address, cookie, referrer or user agent. One-time tokens in the path are hidden.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

# Invitation and password reset links carry a one-time token in their path.
SECRET_PATHS = re.compile(r"^/(invitation|password-reset)/[^/]+")


def redact_path(path: str) -> str:
    """The request path with any one-time token replaced by '*'."""
    return SECRET_PATHS.sub(lambda match: f"/{match.group(1)}/*", path or "")


class RedactingLogger(Logger):
    """gunicorn's logger, with the path's one-time tokens hidden and nothing else from the request."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms.get("U") or "")
        # Only the atoms the format uses are kept: no headers (cookies), no environ, no address.
        return {key: atoms[key] for key in ("t", "m", "U", "s", "b", "M")}


logger_class = RedactingLogger

"""The WSGI app the benchmark serves: the portal exactly as wsgi.py builds it, plus one bare route.

GET /bench/hello answers "hello" through the same app, so through every hook the portal runs on
each request (sessions, security headers, compression, rate limiter) but with no database query
and no template: it is the ceiling the pages' throughput is compared with. It exists only here,
never in the production app.
"""

from __future__ import annotations

from flask import Response

from portal import create_app

app = create_app()


@app.get("/bench/hello")
def bench_hello() -> Response:
    """The cheapest answer the app can give: the ceiling of throughput on this machine."""
    return Response("hello", mimetype="text/plain")

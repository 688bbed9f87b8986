"""Behind a reverse proxy: the client's address and scheme come from the proxy, and only from it."""

from __future__ import annotations

import importlib

import pytest
from flask import request
from flask_limiter.util import get_remote_address

import config
from tests.conftest import make_app


@pytest.fixture()
def seen_by(app, database_uri):
    """Build an app with PROXY_HOPS set; return a function that makes a request and says what the app saw."""

    def request_with(hops: int, headers: dict, base_url: str = "http://localhost") -> dict:
        application = make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "PROXY_HOPS": hops})
        seen: dict = {}

        @application.before_request
        def remember():
            seen.update(address=request.remote_addr, limiter_key=get_remote_address(), scheme=request.scheme,
                        host=request.host)

        response = application.test_client().get("/healthz", headers=headers, base_url=base_url,
                                                  environ_base={"REMOTE_ADDR": "10.0.0.10"})
        assert response.status_code == 200
        return seen

    return request_with


PROXIED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "portal.example.gov.uk"}


def test_proxy_hops_comes_from_the_environment_and_is_off_by_default(monkeypatch):
    try:
        monkeypatch.delenv("PROXY_HOPS", raising=False)
        assert importlib.reload(config).Config.PROXY_HOPS == 0
        monkeypatch.setenv("PROXY_HOPS", "2")
        assert importlib.reload(config).Config.PROXY_HOPS == 2
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_behind_one_proxy_the_app_sees_the_client_address_scheme_and_host(seen_by):
    seen = seen_by(1, PROXIED)
    assert seen["address"] == "203.0.113.7"
    # The per-address sign-in limit counts this client, not the proxy.
    assert seen["limiter_key"] == "203.0.113.7"
    assert seen["scheme"] == "https"
    assert seen["host"] == "portal.example.gov.uk"


def test_behind_one_proxy_an_address_the_client_made_up_is_ignored(seen_by):
    # The client sends its own X-Forwarded-For; the proxy appends the address it really came from.
    seen = seen_by(1, dict(PROXIED, **{"X-Forwarded-For": "198.51.100.66, 203.0.113.7"}))
    assert seen["address"] == "203.0.113.7"


def test_without_a_proxy_forwarded_headers_are_ignored(seen_by):
    seen = seen_by(0, PROXIED)
    assert seen["address"] == "10.0.0.10"
    assert seen["limiter_key"] == "10.0.0.10"
    assert seen["scheme"] == "http"
    assert seen["host"] == "localhost"

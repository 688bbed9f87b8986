"""The sample deployment files stay complete and keep personal data out of the logs."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def settings_read_by_config() -> set[str]:
    """Every environment variable config.py reads."""
    source = (ROOT / "config.py").read_text()
    return set(re.findall(r'(?:os\.environ\.get|os\.environ\[|_bool)\(?\s*"([A-Z][A-Z0-9_]+)"', source))


def test_the_environment_example_names_every_setting_of_config():
    example = (DEPLOY / "portal.env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    read = settings_read_by_config()
    assert {"PORTAL_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PROXY_HOPS"} <= read
    missing = sorted(read - named)
    assert not missing, f"add these settings of config.py to deploy/portal.env.example: {missing}"
    # A sample, not a secret: the placeholder SECRET_KEY says so.
    assert re.search(r"^SECRET_KEY=replace-", example, re.MULTILINE)


def test_gunicorn_settings_log_no_query_string_cookie_or_address(monkeypatch):
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert 3 <= settings["workers"] <= 8
    assert settings["preload_app"] is False
    log_format = settings["access_log_format"]
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s", "}i", "}e"):
        assert atom not in log_format
    redact = settings["redact_path"]
    assert redact("/invitation/abc123") == "/invitation/*"
    assert redact("/password-reset/abc123") == "/password-reset/*"
    assert redact("/cases/FC-7KQ3-M9XD") == "/cases/FC-7KQ3-M9XD"


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["bind"] == ["0.0.0.0:9000"]
    assert settings["workers"] == 3


def test_nginx_sample_sends_the_headers_the_app_reads():
    sample = (DEPLOY / "nginx.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header}" in sample
    assert "$request " not in sample and "$args" not in sample and "$remote_addr" not in sample
    assert sample.count("server 10.0.0.") == 2


def test_crontab_runs_send_due_with_the_settings_file():
    lines = (DEPLOY / "crontab").read_text().splitlines()
    line = next(line for line in lines if "send-due" in line and not line.startswith("#"))
    assert "flask --app wsgi notify send-due" in line
    assert "portal.env" in line

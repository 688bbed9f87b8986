"""Configuration comes from the environment; production refuses unsafe settings."""

from __future__ import annotations

import importlib

import pytest

import config


def reload_config(monkeypatch, **env):
    for name in ("PORTAL_ENV", "DATABASE_URL", "SECRET_KEY", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(config)


@pytest.fixture(autouse=True)
def restore_config():
    yield
    importlib.reload(config)


def test_development_is_the_default_and_uses_a_sqlite_file_under_instance(monkeypatch):
    cfg = reload_config(monkeypatch)
    chosen = cfg.config_from_environment()
    assert chosen is cfg.DevelopmentConfig
    assert chosen.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert chosen.SQLALCHEMY_DATABASE_URI.endswith("instance/portal.sqlite3")
    assert chosen.SESSION_COOKIE_SECURE is False
    assert chosen.HTTPS is False


def test_an_unknown_environment_is_refused(monkeypatch):
    cfg = reload_config(monkeypatch, PORTAL_ENV="staging")
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        cfg.config_from_environment()


@pytest.mark.parametrize("secret", ["", config.DEVELOPMENT_SECRET, "too-short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    env = {"PORTAL_ENV": "production"}
    if secret:
        env["SECRET_KEY"] = secret
    cfg = reload_config(monkeypatch, **env)
    from tests.conftest import make_app as create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(None, cfg.ProductionConfig)


def test_production_sets_secure_cookies_and_hsts(monkeypatch, tmp_path):
    cfg = reload_config(
        monkeypatch,
        PORTAL_ENV="production",
        SECRET_KEY="x" * 48,
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    from tests.conftest import make_app as create_app

    app = create_app(None, cfg.ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    client = app.test_client()
    response = client.get("/accessibility", base_url="https://localhost")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    # Plain http is sent to https.
    assert client.get("/accessibility", base_url="http://localhost").status_code in (301, 302)


def test_database_url_uses_psycopg_3_for_postgresql(monkeypatch):
    cfg = reload_config(monkeypatch, DATABASE_URL="postgres://u:p@127.0.0.1:5432/portal")
    assert cfg.Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u:p@127.0.0.1:5432/portal"


def test_redis_url_becomes_the_rate_limit_store(monkeypatch):
    cfg = reload_config(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert cfg.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    cfg = reload_config(monkeypatch)
    assert cfg.Config.RATELIMIT_STORAGE_URI == "memory://"


def test_development_does_not_force_https(monkeypatch, tmp_path):
    cfg = reload_config(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    from tests.conftest import make_app as create_app

    client = create_app(None, cfg.DevelopmentConfig).test_client()
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers

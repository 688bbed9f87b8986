"""Shared fixtures: app, client, runner, and helpers to post forms with their CSRF token."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("PORTAL_ENV", "test")

from config import TestConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.db import db  # noqa: E402


def database_url(tmp_dir: Path) -> str:
    """PostgreSQL when DATABASE_URL names one (CI), else a fresh SQLite file for this run. Run by several
    pytest-xdist workers, each worker has a database of its own (on PostgreSQL, one named after the worker)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        return own_postgresql_database(TestConfig.SQLALCHEMY_DATABASE_URI, worker) if worker else TestConfig.SQLALCHEMY_DATABASE_URI
    return f"sqlite:///{tmp_dir / 'test.sqlite3'}"


def own_postgresql_database(database_uri: str, name: str) -> str:
    """A new, empty PostgreSQL database beside the one named (dropped first if an earlier run left it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_uri)
    database = f"{url.database}_{name}"
    engine = create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        engine.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def reset_database(app) -> None:
    """Start from an empty database, then build it with the migrations (never create_all)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    return database_url(tmp_path_factory.mktemp("db"))


_created_apps: list = []


def make_app(overrides: dict | None = None, config_class=TestConfig):
    """Create an app for a test; its database connections are closed when the session ends."""
    application = create_app(config_class, overrides)
    _created_apps.append(application)
    return application


@pytest.fixture(scope="session", autouse=True)
def _close_database_connections():
    """Close pooled connections (psycopg warns about connections left open)."""
    yield
    for application in _created_apps:
        with application.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def app_on_own_database(database_uri: str, tmp_path_factory, name: str):
    """The portal on a database of its own, built by the migrations, with the demo data: for a test whose rows
    must reach no other test. Its own SQLite file, or on PostgreSQL (CI) a database named after the test's."""
    from sqlalchemy.engine import make_url

    url = make_url(database_uri)
    if url.get_backend_name() == "postgresql":
        uri = own_postgresql_database(database_uri, name)
    else:
        uri = f"sqlite:///{tmp_path_factory.mktemp(name) / f'{name}.sqlite3'}"
    application = make_app({"SQLALCHEMY_DATABASE_URI": uri})
    reset_database(application)
    result = application.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return application


@pytest.fixture(scope="session")
def app(database_uri):
    """The application under test, on a database built by the migrations."""
    application = make_app({"SQLALCHEMY_DATABASE_URI": database_uri})
    reset_database(application)
    return application


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token_from(client, url: str = "/") -> str:
    """Load a page and return the CSRF token it carries, as a browser would."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_META.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture()
def post_form(client):
    """POST a form the way a browser does: with the CSRF token of the page it came from."""

    def post(url: str, data: dict, from_url: str = "/", **kwargs):
        token = csrf_token_from(client, from_url)
        return client.post(url, data={"csrf_token": token, **data}, **kwargs)

    return post


DEMO_PASSWORD = "demo-portal-2026"


@pytest.fixture(scope="session")
def demo(app):
    """The demo families and staff, loaded once into the test database."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    from portal.demo import all_accounts

    with app.app_context():
        return {account["login"]: account for account in all_accounts()}


def sign_in(client, login: str, password: str = DEMO_PASSWORD, next_url: str = ""):
    """Sign in through the real form, as a browser would."""
    token = csrf_token_from(client, "/sign-in")
    return client.post("/sign-in", data={"csrf_token": token, "login": login, "password": password, "next": next_url})


@pytest.fixture()
def login_as(client):
    """Sign the test client in; fails the test if the sign-in does not succeed."""

    def login(login_name: str, password: str = DEMO_PASSWORD):
        response = sign_in(client, login_name, password)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return login


# People at the council's identity provider besides the demo staff, for the tests of who gets in
# (tests/auth/test_council_sign_in.py). Each is someone's portal account only once a test creates it.
def _council_people() -> dict:
    from tests.council_provider import person

    return {
        "new.chair": person("new.chair@example.org", "Nia New", roles=["Portal.Chair"]),
        "no.role": person("no.role@example.org", "Noor Norole", roles=["Some.Other.App"]),
        "no.mfa": person("no.mfa@example.org", "Nell Nomfa", mfa=False),
        "no.mfa.here": person("no.mfa.here@example.org", "Nico Nomfa", mfa=False),
        "outsider": person("outsider@elsewhere.example", "Olu Outsider"),
        "turned.off": person("turned.off@example.org", "Tomas Turnedoff"),
        "first.claimant": person("shared.address@example.org", "Fran First", oid="oid-first-claimant"),
        "second.claimant": person("shared.address@example.org", "Sam Second", oid="oid-second-claimant"),
        "renamed": person("renamed.now@example.org", "Rene Renamed", oid="oid-renamed"),
        "renamed.before": person("renamed.before@example.org", "Rene Renamed", oid="oid-renamed"),
        "by.sub": {**person("by.sub@example.org", "Bea Bysub"), "claims": {"email": "by.sub@example.org", "name": "Bea Bysub"}},
        "family": person("alice.appleby@example.org", "Alice Appleby"),
        "unlinked": person("unlinked.later@example.org", "Una Unlinked", oid="oid-unlinked"),
        "token.test": person("token.test@example.org", "Toni Token"),
        "back.channel": person("back.channel@example.org", "Bao Backchannel"),
        "signing.out": person("signing.out@example.org", "Sig Out"),
        "everywhere": person("everywhere@example.org", "Eve Everywhere"),
    }


@pytest.fixture(scope="session")
def council_provider(demo, tmp_path_factory):
    """The council's identity provider (a real oidc-provider on loopback) knowing every demo staff member, each
    signing in there with the part of their e-mail before the @."""
    from portal.roles import STAFF_ROLES
    from tests.council_provider import CouncilProvider, person

    users = {account["login"].split("@")[0]: person(account["login"], account["name"])
             for account in demo.values() if account["role"] in STAFF_ROLES}
    provider = CouncilProvider(tmp_path_factory.mktemp("council"), {**users, **_council_people()})
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def council_app(database_uri, council_provider):
    """The portal, on the test database, with staff signing in through the council's provider, MFA required
    of the provider and of staff, as in production."""
    return make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "STAFF_MFA_REQUIRED": True,
                     **council_provider.settings(OIDC_REQUIRE_MFA=True)})


_counter = {"n": 0}


@pytest.fixture()
def make_user(app):
    """Create a user with a password (unique login each time); returns (user id, login, password)."""
    from portal.auth.models import User
    from portal.auth.passwords import hash_password

    def make(role: str = "parent", password: str = "a long enough test password", **fields):
        _counter["n"] += 1
        login = fields.pop("email", None) or f"person{_counter['n']}@example.org"
        with app.app_context():
            user = User(role=role, name=fields.pop("name", f"Test Person {_counter['n']}"), email=login,
                        password_hash=hash_password(password), preferred_language="en", **fields)
            db.session.add(user)
            db.session.commit()
            return user.id, login, password

    return make


@pytest.fixture()
def outbox(app):
    """Messages the log notifier has 'sent' during this test."""
    notifier = app.extensions["notifier"]
    notifier.outbox.clear()
    return notifier.outbox


# `make test` runs the suite on two pytest-xdist workers (`-n 2 --dist loadgroup`), each with its own database.
# Each worker runs its share of the files in the order a single run would, so a test sees what the files before it
# did, as in one run: the browser tests on one worker (Chromium does half their work, and they wait on it), everything
# else on the other. A run without the browser tests (CI's PostgreSQL pass) puts the two page-by-page crawls, which
# take about half of the rest, on a worker of their own. Measured on a 2-core machine, the two shares take about as long.
BROWSER_FILES = ("tests/browser/",)
PAGE_CRAWL_FILES = ("tests/test_no_english.py", "tests/test_crawl.py")


def worker_group(path: str, with_browser: bool) -> str:
    """Which worker's share a test file is in (see above)."""
    if path.startswith(BROWSER_FILES):
        return "browser"
    if not with_browser and path.startswith(PAGE_CRAWL_FILES):
        return "page-crawls"
    return "server"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Give every test its worker's group, read by pytest-xdist's loadgroup scheduling."""
    if getattr(config.option, "dist", "no") != "loadgroup":
        return
    root = Path(str(config.rootpath))
    paths = [Path(str(item.path)).relative_to(root).as_posix() for item in items]
    with_browser = any(path.startswith(BROWSER_FILES) and not item.get_closest_marker("skip")
                       for path, item in zip(paths, items))
    markexpr = config.getoption("markexpr", "") or ""
    if "not browser" in markexpr:
        with_browser = False
    for path, item in zip(paths, items):
        item.add_marker(pytest.mark.xdist_group(worker_group(path, with_browser)))

"""Backups restore: SQLite through Python's online backup API while the portal has the database open
(WAL mode), and PostgreSQL through pg_dump -Fc / pg_restore when the suite runs on PostgreSQL (CI)."""

from __future__ import annotations

import glob
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.cases.models import Case
from portal.db import db
from portal.reports.models import ReportVersion
from tests.conftest import make_app, reset_database, sign_in

DEMO_CASES = {"FC-7KQ3-M9XD", "FC-4HNP-T6WB", "FC-3VJT-C8PA"}
# Words of Priya's report on Sam (portal/reports/demo.py).
REPORT_TEXT = "Sam has missed 12 school days this term"


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def assert_demo_data(app) -> None:
    """The demo cases, a report's words and a working sign-in, read through the portal itself."""
    with app.app_context():
        references = set(db.session.scalars(select(Case.reference)))
        assert DEMO_CASES <= references
        texts = db.session.scalars(select(ReportVersion.what_happened)).all()
        assert any(REPORT_TEXT in text for text in texts)
    response = sign_in(app.test_client(), "alice.appleby@example.org")
    assert response.status_code == 303


def test_sqlite_online_backup_while_the_portal_is_writing_restores(tmp_path):
    source = tmp_path / "portal.sqlite3"
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{source}"})
    reset_database(app)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output

    # The portal keeps connections open; a reader holds a transaction; the newest rows are still in the WAL.
    live = sqlite3.connect(source)
    assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader = sqlite3.connect(source)
    reader.execute("BEGIN")
    cases_before = reader.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert Path(f"{source}-wal").exists()
    with app.app_context():
        db.session.execute(select(func.count()).select_from(Case))  # an engine connection checked out and used

        backup = tmp_path / "backup.sqlite3"
        with sqlite3.connect(backup) as target:
            live.backup(target)
        target.close()
    reader.rollback()
    reader.close()
    live.close()
    dispose(app)

    # Restore: the backup copied into a new file (as onto a new server), then the portal pointed at it.
    restored = tmp_path / "restored.sqlite3"
    from_backup, into = sqlite3.connect(backup), sqlite3.connect(restored)
    from_backup.backup(into)
    from_backup.close()
    into.close()
    check = sqlite3.connect(restored)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM cases").fetchone()[0] == cases_before
    check.close()

    restored_app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored}"})
    try:
        assert_demo_data(restored_app)
    finally:
        dispose(restored_app)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    assert found, f"no {name} under /usr/lib/postgresql/*/bin (Debian's postgresql-client)"
    return found[-1]


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="PostgreSQL only (CI's second run sets DATABASE_URL)")
def test_postgresql_dump_and_restore_into_a_new_database(app, demo, tmp_path):
    import psycopg

    with app.app_context():
        url = db.engine.url
    libpq = url.set(drivername="postgresql")
    dump = tmp_path / "portal.dump"
    subprocess.run([_pg_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(dump),
                    libpq.render_as_string(hide_password=False)], check=True, timeout=300)

    name = f"portal_restore_{uuid.uuid4().hex[:8]}"
    admin = libpq.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    restored_url = url.set(database=name)
    restored_app = None
    try:
        subprocess.run([_pg_bin("pg_restore"), "--no-owner", "--exit-on-error", "-d",
                        libpq.set(database=name).render_as_string(hide_password=False), str(dump)],
                       check=True, timeout=300)
        restored_app = make_app({"SQLALCHEMY_DATABASE_URI": restored_url.render_as_string(hide_password=False)})
        assert_demo_data(restored_app)
    finally:
        if restored_app is not None:
            dispose(restored_app)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

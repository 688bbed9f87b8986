"""The database: SQLite's safety settings, and migrations that match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from portal.db import db


def test_models_and_migrations_agree(app):
    """After `db upgrade`, autogenerate finds nothing to add, drop or alter."""
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings: this run uses PostgreSQL")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            # FULL (2): an acknowledged commit is on disk, even after a power cut.
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_young_people_migration_upgrades_a_sqlite_database_with_people_in_it(tmp_path):
    """Adding columns to `participants` must not copy the table (rows of other tables point at it, and
    foreign keys are on): an existing database with a family and a contact restriction upgrades cleanly."""
    from flask_migrate import upgrade

    from tests.conftest import make_app

    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'existing.sqlite3'}"})
    with app.app_context():
        upgrade(revision="3707a784210a")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO cases (id, reference, created_at) VALUES (1, 'FC-TEST-0001', '2026-01-01')"))
            for user_id in (1, 2):
                connection.execute(text("INSERT INTO users (id, role, name, session_token, active, created_at) "
                                        f"VALUES ({user_id}, 'parent', 'Parent {user_id}', 'token{user_id}', 1, '2026-01-01')"))
                connection.execute(text("INSERT INTO participants (id, case_id, user_id, role, lives_with_child, created_at) "
                                        f"VALUES ({user_id}, 1, {user_id}, 'parent', 1, '2026-01-01')"))
            connection.execute(text("INSERT INTO contact_restrictions (case_id, protected_id, hidden_from_id, created_at) "
                                    "VALUES (1, 1, 2, '2026-01-01')"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            assert connection.execute(text("SELECT count(*) FROM participants WHERE child_id IS NULL")).scalar() == 2

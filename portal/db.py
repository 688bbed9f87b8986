"""The database: one SQLAlchemy object, a typed declarative Base, and SQLite's safety settings."""

from __future__ import annotations

from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, Text, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model: typed with Mapped[...] and mapped_column()."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def utcnow() -> datetime:
    """The current time in UTC, for column defaults (a callable, so it is read per row)."""
    return datetime.now(timezone.utc)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """SQLite: write-ahead logging (readers never wait for a writer), every commit synced to disk
    before it is acknowledged (synchronous=FULL: in WAL mode NORMAL may lose the last commits on a
    power cut), and enforced foreign keys."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class rows_as_json(FunctionElement):
    """An aggregate: the rows' values as a JSON array of arrays, [[a, b], ...], in no set order (sort them when read);
    None or "[]" when there is none. For a list read in the same statement as something else: SQLite's
    json_group_array, PostgreSQL's json_agg."""

    type = Text()
    inherit_cache = True
    name = "rows_as_json"


@compiles(rows_as_json, "sqlite")
def _rows_as_json_sqlite(element, compiler, **kw) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(rows_as_json, "postgresql")
def _rows_as_json_postgresql(element, compiler, **kw) -> str:
    return f"CAST(json_agg(json_build_array({compiler.process(element.clauses, **kw)})) AS TEXT)"

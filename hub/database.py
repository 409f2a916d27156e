"""Opening the hub's database: one engine for SQLite files and PostgreSQL servers.

SQLite gets WAL and `synchronous=FULL` (an acknowledged submission survives a power cut)
and every writing transaction starts with `BEGIN IMMEDIATE`, so concurrent writers queue on
the busy timeout instead of failing when a read lock cannot be upgraded; readers opened with
`reading()` start a plain deferred transaction and never wait for writers (WAL).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hub.schema import metadata

READ_ONLY = "hub_read_only"


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for queries only: on SQLite it does not take the write lock."""
    with engine.connect() as connection:
        yield connection.execution_options(**{READ_ONLY: True})


class DatabaseError(Exception):
    """The database URL is wrong or the database cannot be opened; one sentence."""


def open_engine(url: str) -> Engine:
    """An engine for `sqlite:///path` or `postgresql://…`, with the hub's tables created."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"{url!r} is not a database URL (sqlite:///path or postgresql://…)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    elif parsed.get_backend_name() == "postgresql":
        # psycopg 3 is the maintained driver; plain postgresql:// would ask for psycopg2.
        engine = create_engine(parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True)
    else:
        raise DatabaseError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    try:
        metadata.create_all(engine)
    except Exception as error:  # any driver error becomes one sentence
        raise DatabaseError(
            f"cannot open the database {parsed.render_as_string()}: {error}".splitlines()[0]
        ) from None
    return engine


def _sqlite_engine(parsed) -> Engine:
    if not parsed.database or parsed.database == ":memory:":
        raise DatabaseError("the SQLite database needs a file path: sqlite:///path/hub.sqlite3")
    directory = Path(parsed.database).resolve().parent
    if not directory.is_dir():
        raise DatabaseError(f"the directory {directory} for the SQLite database does not exist")
    engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine

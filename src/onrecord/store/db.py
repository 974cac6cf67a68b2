"""Opening the corpus database: where it is, its settings, its migrations.

The database is a SQLite file by default (``onrecord.db`` in the working directory, or
``--db FILE``, or ``ONRECORD_DB``); a SQLAlchemy URL (``postgresql://...``) selects another
server. Opening a database brings its schema up to date with the Alembic migrations
shipped in ``onrecord/store/migrations``; a database written by a newer onrecord is refused
rather than damaged.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

DEFAULT_DB = "onrecord.db"
#: Advisory lock key that PostgreSQL migrations hold (any constant shared by all onrecords).
MIGRATION_LOCK = 0x6F6E7265
ENV_VAR = "ONRECORD_DB"
#: How long (milliseconds) a SQLite connection waits for another process's write lock.
BUSY_TIMEOUT_MS = 30_000
#: How long (seconds) to wait for a PostgreSQL server to answer before giving up.
CONNECT_TIMEOUT_S = 10
#: The database servers onrecord knows how to store a corpus in.
BACKENDS = ("sqlite", "postgresql")


class StoreError(RuntimeError):
    """The database cannot be opened or used as it is."""


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from ``--db``, ``ONRECORD_DB`` or the default file.

    ``postgresql://user@host/db`` (or ``postgres://``) uses the psycopg 3 driver that
    onrecord installs; a URL naming another driver is kept as it is.
    """
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def describe(db: str | None = None) -> str:
    """How a database is named to people: a SQLite file's path, or a URL without password."""
    url = database_url(db)
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_settings(dbapi_connection, _record) -> None:
    """WAL journal (readers never block the writer), foreign keys, patience with locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.close()


def _sqlite_immediate(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let onrecord say how transactions begin


def _begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, writer: bool = False) -> Engine:
    """An engine for ``url`` with the settings onrecord relies on.

    A ``writer`` engine on SQLite takes the write lock when a transaction begins, so that
    a check made inside it ("is this story stored yet?") still holds when it writes, even
    with other processes writing to the same file.
    """
    backend = make_url(url).get_backend_name()
    if backend not in BACKENDS:
        raise StoreError(f"{backend}:// is not a database onrecord can use: give a SQLite file or a "
                         "postgresql://user@host/database URL")
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if backend == "postgresql" else {}
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
        if writer:
            event.listen(engine, "connect", _sqlite_immediate)
            event.listen(engine, "begin", _begin_immediate)
    return engine


#: SQLite virtual-machine steps between two looks at the clock during a time-limited query.
CHECK_EVERY = 100


class QueryTimeout(StoreError):
    """A query ran past its time limit and was stopped."""


@contextmanager
def deadline(connection: Connection, seconds: float):
    """Stop any query on ``connection`` that runs longer than ``seconds``.

    SQLite: a progress handler that interrupts the statement; PostgreSQL: the session's
    ``statement_timeout``. A web server uses this so that no query can hold it up.
    """
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        stop_at = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > stop_at), CHECK_EVERY)
        try:
            yield
        except OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(f"the query ran past its limit of {seconds:g} s") from exc
            raise
        finally:
            raw.set_progress_handler(None, 0)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET statement_timeout = {max(1, int(seconds * 1000))}")  # 0 would mean none
        try:
            yield
        except OperationalError as exc:
            if "statement timeout" in str(exc):
                connection.rollback()
                raise QueryTimeout(f"the query ran past its limit of {seconds:g} s") from exc
            raise
        finally:
            connection.exec_driver_sql("SET statement_timeout = 0")
    else:
        yield


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("onrecord.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this onrecord knows."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("onrecord.store") / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def _check_no_foreign_tables(connection: Connection) -> None:
    """Refuse a database that holds tables but no onrecord schema: it is another program's,
    and adding our twenty tables to it (or failing half-way over its own ``articles``)
    would change what is not ours. It is left untouched."""
    from sqlalchemy import inspect

    tables = sorted(inspect(connection).get_table_names())
    if tables:
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise StoreError(f"not an onrecord corpus (it holds other tables: {shown}); it is left untouched: "
                         "pass another --db")


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest revision (a no-op when it is there).

    Processes opening a new database at once take turns: SQLite through a write lock taken
    when the migration begins, PostgreSQL through an advisory lock.
    """
    migrator = make_engine(engine.url.render_as_string(hide_password=False), writer=True) \
        if engine.dialect.name == "sqlite" else engine
    try:
        with migrator.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            current = MigrationContext.configure(connection).get_current_revision()
            if current is None:
                _check_no_foreign_tables(connection)
            known = {rev.revision for rev in ScriptDirectory.from_config(_alembic_config(connection)).walk_revisions()}
            if current is not None and current not in known:
                raise StoreError(f"the database is at schema revision {current}, which this onrecord does not know "
                                 "(written by a newer version?); upgrade onrecord")
            if current != head_revision():
                command.upgrade(_alembic_config(connection), "head")
    finally:
        if migrator is not engine:
            migrator.dispose()

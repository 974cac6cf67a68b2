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
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

DEFAULT_DB = "onrecord.db"
ENV_VAR = "ONRECORD_DB"


class StoreError(RuntimeError):
    """The database cannot be opened or used as it is."""


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from ``--db``, ``ONRECORD_DB`` or the default file."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_settings(dbapi_connection, _record) -> None:
    """WAL journal (readers never block the writer), foreign keys, patience with locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings onrecord relies on."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
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
        connection.exec_driver_sql(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        except OperationalError as exc:
            if "statement timeout" in str(exc):
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


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest revision (a no-op when it is there)."""
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        known = {rev.revision for rev in ScriptDirectory.from_config(_alembic_config(connection)).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(f"the database is at schema revision {current}, which this onrecord does not know "
                             "(written by a newer version?); upgrade onrecord")
        if current != head_revision():
            command.upgrade(_alembic_config(connection), "head")

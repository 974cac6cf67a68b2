"""Opening the corpus database: where it is, its settings, its migrations.

The database is a SQLite file by default (``onrecord.db`` in the working directory, or
``--db FILE``, or ``ONRECORD_DB``); a SQLAlchemy URL (``postgresql://...``) selects another
server. Opening a database brings its schema up to date with the Alembic migrations
shipped in ``onrecord/store/migrations``; a database written by a newer onrecord is refused
rather than damaged.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

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

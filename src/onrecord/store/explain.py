"""Database failures in one line that says what to do, for people at a command line.

SQLAlchemy and the drivers describe a failure at length (the statement, its parameters, a
link), and a traceback buries it. A person who passed ``--db`` needs the database named,
what is wrong with it, and the next step: ``explain`` gives that, or None for a failure it
does not recognise (a bug, which is better shown in full).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from .db import StoreError, database_url, describe


def _driver_message(exc: DBAPIError) -> str:
    """The driver's own words, first line, without its ``connection failed:`` preamble."""
    text = str(exc.orig or exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    for noise in ("connection failed: ", "FATAL:  "):
        line = line.replace(noise, "")
    return line.strip()


def _sqlite_path(db: str | None) -> Path | None:
    url = database_url(db)
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _sqlite(message: str, path: Path, name: str) -> str:
    """What a SQLite driver message means for the file at ``path``."""
    if "unable to open database file" in message:
        if path.is_dir():
            return f"{name} is a directory; pass a database file with --db (e.g. {path / 'onrecord.db'})"
        if not path.parent.is_dir():
            return f"the folder {path.parent} does not exist; create it or pass another --db"
        return f"cannot open {name} (check the permissions of the file and its folder)"
    if "file is not a database" in message or "malformed" in message:
        return f"{name} is not a readable SQLite database ({message}); pass another --db, or restore it"
    if "readonly" in message or "read-only" in message:
        return (f"cannot write to {name}: the file or its folder is read-only (SQLite also writes "
                f"{path.name}-wal and -shm beside it); make them writable or pass another --db")
    if "locked" in message or "busy" in message:
        return (f"{name} is locked by another process that is writing to it; "
                "try again when it has finished")
    return f"{name}: {message}"


def explain(exc: BaseException, db: str | None) -> str | None:
    """One line about a failure to open or use the database ``db``, or None."""
    if isinstance(exc, StoreError):
        return f"{describe(db)}: {exc}"
    if isinstance(exc, (NoSuchModuleError, ArgumentError)) or (
            isinstance(exc, ModuleNotFoundError) and "://" in (db or os.environ.get("ONRECORD_DB", ""))):
        return (f"cannot use {db!r}: onrecord stores a corpus in a SQLite file or in PostgreSQL "
                "(postgresql://user@host/database)")
    given = db or os.environ.get("ONRECORD_DB", "")
    if isinstance(exc, ValueError) and "://" in given:  # a URL SQLAlchemy cannot parse (a port that is no number)
        return f"cannot use {given!r}: not a database URL ({exc}); write it as postgresql://user@host:5432/database"
    if not isinstance(exc, DBAPIError):
        return None
    message = _driver_message(exc)
    path = _sqlite_path(db)
    if path is not None:
        return _sqlite(message, path, str(path))
    return f"cannot use the database {describe(db)}: {message}; check the URL given with --db or ONRECORD_DB"

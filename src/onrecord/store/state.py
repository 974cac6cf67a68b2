"""Facts about the corpus as a whole (``corpus_state``): one JSON value a key."""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, insert, select

from .schema import corpus_state


def read_state(conn: Connection, key: str) -> dict | None:
    """The value stored under ``key``, or None."""
    raw = conn.execute(select(corpus_state.c.value).where(corpus_state.c.key == key)).scalar()
    return json.loads(raw) if raw else None


def write_state(conn: Connection, key: str, value: dict) -> None:
    """Store ``value`` under ``key`` in the caller's transaction, replacing what was there."""
    conn.execute(delete(corpus_state).where(corpus_state.c.key == key))
    conn.execute(insert(corpus_state).values(key=key, value=json.dumps(value, sort_keys=True)))

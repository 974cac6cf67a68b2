"""What a user tells the corpus by hand: merges and splits of speakers (recorded by the
speakers' keys, so that they hold across re-analysis and every relink) and a newsroom's
list of people that pins identities. The rules about them live in ``record/``."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from .schema import people, speaker_overrides, speakers
from .writer import now


def speaker_key(conn: Connection, speaker_id: int) -> str | None:
    """The key of a stored speaker, or None when there is no such speaker."""
    return conn.execute(select(speakers.c.key).where(speakers.c.id == speaker_id)).scalar()


def drop_merges(conn: Connection, key: str) -> None:
    """Forget the merges recorded for the speaker ``key`` (a split replaces them)."""
    conn.execute(delete(speaker_overrides).where(speaker_overrides.c.key == key,
                                                 speaker_overrides.c.action == "merge"))


def add_override(conn: Connection, action: str, key: str, target_key: str | None, note: str | None) -> None:
    """Record one merge (``key`` into ``target_key``) or split (``key`` alone)."""
    conn.execute(insert(speaker_overrides).values(action=action, key=key, target_key=target_key, note=note,
                                                  created_at=now()))


def replace_people(conn: Connection, rows: list[dict]) -> None:
    """Store the people of ``rows``, replacing those stored under the same ids."""
    if rows:
        conn.execute(delete(people).where(people.c.id.in_([r["id"] for r in rows])))
        conn.execute(insert(people), rows)

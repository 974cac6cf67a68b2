"""A user's merges and splits of speakers, recorded by the speakers' keys so that they hold
across re-analysis (which keeps keys) and every relink."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from ..store.schema import speaker_overrides, speakers
from ..store.writer import now


class OverrideError(ValueError):
    """A merge or split that cannot be made (an unknown speaker, a speaker into itself)."""


def _key(conn, speaker_id: int) -> str:
    key = conn.execute(select(speakers.c.key).where(speakers.c.id == speaker_id)).scalar()
    if key is None:
        raise OverrideError(f"no speaker {speaker_id} in this corpus (see: onrecord speakers)")
    return key


def record_override(engine: Engine, action: str, speaker_id: int, into_id: int | None, note: str | None) -> None:
    """Record a ``merge`` of ``speaker_id`` into ``into_id``, or a ``split`` of ``speaker_id``.

    A split replaces the speaker's earlier merges (the latest word of the user wins); a
    merge keeps an earlier split, so that the speaker joins only what the user said.
    """
    with engine.begin() as conn:
        key = _key(conn, speaker_id)
        target = _key(conn, into_id) if into_id is not None else None
        if target == key:
            raise OverrideError("a speaker cannot be merged into itself")
        if action == "split":
            conn.execute(delete(speaker_overrides).where(speaker_overrides.c.key == key,
                                                         speaker_overrides.c.action == "merge"))
        conn.execute(insert(speaker_overrides).values(action=action, key=key, target_key=target, note=note,
                                                      created_at=now()))

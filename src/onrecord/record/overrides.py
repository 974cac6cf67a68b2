"""A user's merges and splits of speakers, recorded by the speakers' keys so that they hold
across re-analysis (which keeps keys) and every relink."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..store import user_queries


class OverrideError(ValueError):
    """A merge or split that cannot be made (an unknown speaker, a speaker into itself)."""


def _key(conn, speaker_id: int) -> str:
    key = user_queries.speaker_key(conn, speaker_id)
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
            user_queries.drop_merges(conn, key)
        user_queries.add_override(conn, action, key, target, note)

"""The watch's state as people read it (``watch status``): each source's last success and
error, items seen, next poll; each sink's deliveries and failures; the alerts held."""

from __future__ import annotations

from typing import Any

from datetime import datetime, timedelta, timezone

from sqlalchemy.engine import Engine

from ..store import watch_queries

#: Item statuses, in the order ``watch status`` shows their counts.
ITEM_STATUSES = ("pending", "ingested", "done", "failed")


def utcnow() -> datetime:
    """Now, UTC, to the second (what the state's times are written in)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def stamp(when: datetime) -> str:
    """A time as the state writes it: ISO 8601, UTC."""
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_stamp(value: str | None) -> datetime | None:
    """A time the state wrote, back as a datetime (None for none)."""
    return datetime.fromisoformat(value) if value else None


def later(seconds: float, start: datetime | None = None) -> str:
    """The stamp ``seconds`` after ``start`` (now by default)."""
    return stamp((start or utcnow()) + timedelta(seconds=seconds))


def status(engine: Engine) -> dict[str, Any]:
    """Everything ``watch status`` shows: sources (with their items by status), sinks, alerts."""
    with engine.connect() as conn:
        counts = watch_queries.item_counts(conn)
        sources = []
        for row in watch_queries.source_rows(conn, active_only=False):
            by_status = counts.get(row["id"], {})
            sources.append({
                "source": row["name"] or row["url"], "url": row["url"], "kind": row["kind"],
                "active": bool(row["active"]), "polls": row["polls"], "items_seen": row["items_seen"],
                **{s: by_status.get(s, 0) for s in ITEM_STATUSES},
                "last_success": row["last_success_at"], "last_error": row["last_error"],
                "last_error_at": row["last_error_at"], "failures_in_a_row": row["failures"],
                "next_poll": row["next_poll_at"] if row["active"] else None})
        sinks = watch_queries.sink_rows(conn)
        alerts = {"total": watch_queries.count_alerts(conn), "undelivered": len(watch_queries.undelivered_alerts(conn))}
    return {"sources": sources, "sinks": sinks, "alerts": alerts}

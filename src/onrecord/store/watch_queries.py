"""The watch's state in the corpus: sources and their polls, items, alerts, sinks.

Every function takes a connection; the caller holds the transaction, so that an item's
outcome and the alerts it fired are written together (a restart resumes, nothing doubled).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, func, insert, select, update

from .queries import _identity_aliases, _identity_of
from .schema import (articles, disputes, identities, quotation_members, quotations, speakers, statements,
                     watch_alerts, watch_items, watch_sinks, watch_sources)
from .writer import insert_ignoring_conflicts, now

#: What a source's row starts with, besides what the sources file says of it.
_FRESH = {"active": True, "polls": 0, "failures": 0, "unchanged": 0, "items_seen": 0}


# -- sources ----------------------------------------------------------------------------------

def sync_sources(conn: Connection, sources: Iterable[dict]) -> None:
    """Make the stored sources those of the sources file: new ones added, known ones
    updated (their poll state kept), the others marked inactive (their history kept)."""
    wanted = {s["url"]: s for s in sources}
    known = {row.url: row for row in conn.execute(
        select(watch_sources.c.url, watch_sources.c.id, watch_sources.c.name, watch_sources.c.kind,
               watch_sources.c.interval, watch_sources.c.active))}
    for url, source in wanted.items():
        values = {"name": source.get("name"), "kind": source["kind"], "interval": source["interval"]}
        row = known.get(url)
        if row is None:
            conn.execute(insert(watch_sources).values(url=url, **values, **_FRESH))
        elif (row.name, row.kind, row.interval, row.active) != (values["name"], values["kind"], values["interval"],
                                                                 True):
            conn.execute(update(watch_sources).where(watch_sources.c.id == row.id).values(active=True, **values))
    gone = [row.id for url, row in known.items() if url not in wanted and row.active]
    if gone:
        conn.execute(update(watch_sources).where(watch_sources.c.id.in_(gone)).values(active=False))


def source_rows(conn: Connection, *, active_only: bool = True) -> list[dict]:
    """The sources, in the order they were added, with their poll state."""
    stmt = select(watch_sources).order_by(watch_sources.c.id)
    if active_only:
        stmt = stmt.where(watch_sources.c.active.is_(True))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def update_source(conn: Connection, source_id: int, **values: object) -> None:
    """Write what a poll found out about a source."""
    conn.execute(update(watch_sources).where(watch_sources.c.id == source_id).values(**values))


def item_counts(conn: Connection) -> dict[int, dict[str, int]]:
    """Per source: how many of its items are in each status."""
    found: dict[int, dict[str, int]] = {}
    for row in conn.execute(select(watch_items.c.source_id, watch_items.c.status, func.count().label("n"))
                            .group_by(watch_items.c.source_id, watch_items.c.status)):
        found.setdefault(row.source_id, {})[row.status] = row.n
    return found


# -- items ------------------------------------------------------------------------------------

def add_items(conn: Connection, source_id: int, listed: Iterable[tuple[str, str | None]]) -> tuple[int, int]:
    """Record the items a poll listed, as (url, stamp): new urls become pending items; a
    known one whose stamp changed (an edited story) is pending again. An item another source
    listed first stays with it. Returns (new, edited)."""
    stamps = dict(listed)
    if not stamps:
        return 0, 0
    known = {row.url: row for row in conn.execute(
        select(watch_items.c.id, watch_items.c.url, watch_items.c.updated, watch_items.c.status)
        .where(watch_items.c.url.in_(list(stamps))))}
    fresh = [{"source_id": source_id, "url": url, "updated": stamp, "status": "pending", "attempts": 0,
              "first_seen_at": now()} for url, stamp in stamps.items() if url not in known]
    insert_ignoring_conflicts(conn, watch_items, fresh, ["url"])
    edited = [row.id for url, row in known.items()
              if stamps[url] is not None and row.updated != stamps[url] and row.status in ("done", "failed")]
    for url, row in known.items():
        if row.id in edited:
            conn.execute(update(watch_items).where(watch_items.c.id == row.id)
                         .values(status="pending", attempts=0, updated=stamps[url], reason=None))
    return len(fresh), len(edited)


def items(conn: Connection, status: str, *, max_attempts: int | None = None, limit: int | None = None) -> list[dict]:
    """Items in one status (pending: those to fetch; ingested: those whose alerts are due),
    oldest first, with their source's url and name."""
    stmt = (select(watch_items, watch_sources.c.url.label("source_url"), watch_sources.c.name.label("source_name"))
            .join(watch_sources, watch_sources.c.id == watch_items.c.source_id)
            .where(watch_items.c.status == status).order_by(watch_items.c.id))
    if max_attempts is not None:
        stmt = stmt.where(watch_items.c.attempts < max_attempts)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def update_item(conn: Connection, item_id: int, **values: object) -> None:
    """Write an item's outcome (status, reason, validators, article)."""
    conn.execute(update(watch_items).where(watch_items.c.id == item_id).values(**values))


# -- what the rules read ----------------------------------------------------------------------

def article_statements(conn: Connection, article_id: int) -> list[dict]:
    """Every statement of one story, as the alert rules read it: its speaker, the identity
    across the corpus that speaker is in (name and aliases), type, content, and its article."""
    ident = _identity_of().label("identity_id")
    head = speakers.alias("head")
    rows = [dict(r._mapping) for r in conn.execute(
        select(statements.c.id.label("statement_id"), statements.c.article_id, statements.c.local_id,
               statements.c.type, statements.c.kind, statements.c.content, statements.c.cue,
               statements.c.confidence, statements.c.when_date, speakers.c.name.label("speaker"), ident,
               func.coalesce(identities.c.name, head.c.name).label("identity"),
               articles.c.title, articles.c.url, articles.c.site, articles.c.first_published.label("published"))
        .select_from(statements.join(articles, articles.c.id == statements.c.article_id)
                     .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
                     .outerjoin(identities, identities.c.id == speakers.c.identity_id)
                     .outerjoin(head, head.c.id == ident))
        .where(statements.c.article_id == article_id).order_by(statements.c.content_start, statements.c.id))]
    aliases = _identity_aliases(conn, sorted({r["identity_id"] for r in rows if r["identity_id"] is not None}))
    for row in rows:
        row["aliases"] = aliases.get(row["identity_id"], [])
    return rows


def denied_claims(conn: Connection, statement_ids: list[int]) -> dict[int, list[int]]:
    """For each of these statements, the claims (statement ids) it denies."""
    found: dict[int, list[int]] = {}
    for row in conn.execute(select(disputes.c.denial_id, disputes.c.claim_id)
                            .where(disputes.c.denial_id.in_(statement_ids)).order_by(disputes.c.claim_id)):
        found.setdefault(row.denial_id, []).append(row.claim_id)
    return found


def printings(conn: Connection, statement_ids: list[int]) -> dict[int, dict]:
    """For each of these statements that prints a quotation: the quotation's first
    statement, its relation to it (first, exact, partial, altered) and the changed words."""
    found: dict[int, dict] = {}
    for row in conn.execute(select(quotation_members.c.statement_id, quotation_members.c.relation,
                                   quotation_members.c.changes, quotations.c.first_statement_id,
                                   quotations.c.id.label("quotation_id"))
                            .join(quotations, quotations.c.id == quotation_members.c.quotation_id)
                            .where(quotation_members.c.statement_id.in_(statement_ids))):
        found[row.statement_id] = {"relation": row.relation, "first_statement_id": row.first_statement_id,
                                   "quotation_id": row.quotation_id,
                                   "changes": json.loads(row.changes) if row.changes else []}
    return found


def quotation_statements(conn: Connection, statement_ids: list[int]) -> dict[int, set[int]]:
    """For each followed statement: every statement printing the same quotation (itself too)."""
    quoted = {row.statement_id: row.quotation_id for row in conn.execute(
        select(quotation_members.c.statement_id, quotation_members.c.quotation_id)
        .where(quotation_members.c.statement_id.in_(statement_ids)))}
    found: dict[int, set[int]] = {}
    for sid, qid in quoted.items():
        found[sid] = set(conn.execute(select(quotation_members.c.statement_id)
                                      .where(quotation_members.c.quotation_id == qid)).scalars())
    return found


# -- alerts and sinks -------------------------------------------------------------------------

def add_alerts(conn: Connection, alerts: list[dict]) -> None:
    """Store alerts (rule, statement_id, article_id, why, payload); one a rule and
    statement, however often the statement is seen again."""
    rows = [{**a, "payload": json.dumps(a["payload"], ensure_ascii=False, sort_keys=True), "created_at": now()}
            for a in alerts]
    insert_ignoring_conflicts(conn, watch_alerts, rows, ["rule", "statement_id"])


def undelivered_alerts(conn: Connection) -> list[dict]:
    """The alerts not yet handed to the sinks, oldest first."""
    return _alert_rows(conn, select(watch_alerts).where(watch_alerts.c.delivered_at.is_(None))
                       .order_by(watch_alerts.c.id))


def mark_delivered(conn: Connection, alert_ids: list[int]) -> None:
    """Note that every sink was tried with these alerts."""
    if alert_ids:
        conn.execute(update(watch_alerts).where(watch_alerts.c.id.in_(alert_ids)).values(delivered_at=now()))


def alert_rows(conn: Connection, *, rule: str | None = None, limit: int = 50, offset: int = 0) -> list[dict]:
    """Alerts, newest first (the /alerts page and its feed)."""
    stmt = select(watch_alerts).order_by(watch_alerts.c.id.desc()).limit(limit).offset(offset)
    if rule:
        stmt = stmt.where(watch_alerts.c.rule == rule)
    return _alert_rows(conn, stmt)


def count_alerts(conn: Connection, *, rule: str | None = None) -> int:
    """How many alerts (of one rule) the corpus holds."""
    stmt = select(func.count()).select_from(watch_alerts)
    if rule:
        stmt = stmt.where(watch_alerts.c.rule == rule)
    return conn.execute(stmt).scalar() or 0


def _alert_rows(conn: Connection, stmt) -> list[dict]:
    rows = []
    for r in conn.execute(stmt):
        row = dict(r._mapping)
        row["payload"] = json.loads(row["payload"])
        rows.append(row)
    return rows


def sink_outcome(conn: Connection, name: str, *, ok: bool, error: str | None = None) -> None:
    """Count one delivery (or failure) of a sink."""
    if conn.execute(select(watch_sinks.c.name).where(watch_sinks.c.name == name)).first() is None:
        insert_ignoring_conflicts(conn, watch_sinks, {"name": name, "delivered": 0, "failed": 0}, ["name"])
    counter = watch_sinks.c.delivered if ok else watch_sinks.c.failed
    values: dict[str, object] = {counter.name: counter + 1}
    values.update({"last_success_at": now()} if ok else {"last_error_at": now(), "last_error": error})
    conn.execute(update(watch_sinks).where(watch_sinks.c.name == name).values(**values))


def sink_rows(conn: Connection) -> list[dict]:
    """Each sink's deliveries and failures."""
    return [dict(r._mapping) for r in conn.execute(select(watch_sinks).order_by(watch_sinks.c.name))]


__all__ = ["add_alerts", "add_items", "alert_rows", "article_statements", "count_alerts", "denied_claims", "item_counts",
           "items", "mark_delivered", "printings", "quotation_statements", "sink_outcome", "sink_rows", "source_rows",
           "sync_sources", "undelivered_alerts", "update_item", "update_source"]

"""Writing the corpus: one article, with everything that hangs on it, in one transaction.

Every function takes an open connection inside a transaction; the caller commits once per
input document, so a crash (even ``kill -9``) leaves either the whole article or nothing,
and a rerun finds its documents already recorded and goes on with the rest.
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
from sqlalchemy import Connection, delete, func, insert, or_, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from ..model import ArticleInput, ArticleRecord
from ..neardup import Banding, from_bytes, similarity, to_bytes
from .keys import speaker_key
from .schema import (appearances, articles, disputes, documents, link_pending, lsh_bands, mentions, speaker_aliases,
                     speakers, statements)

DONE = ("new", "duplicate")


def now() -> str:
    """The current time, UTC, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def document_done(conn: Connection, source: str, sha256: str) -> bool:
    """Whether this input, with these exact bytes, was already ingested."""
    row = conn.execute(select(documents.c.outcome).where(documents.c.source == source,
                                                         documents.c.sha256 == sha256)).first()
    return row is not None and row.outcome in DONE


def _insert(conn: Connection, table):
    """An INSERT that can take ON CONFLICT clauses on this database."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_conflicts(conn: Connection, table, rows: list[dict] | dict, keys: list[str]) -> None:
    """Insert rows, skipping those whose ``keys`` another writer stored first."""
    if rows:
        conn.execute(_insert(conn, table).on_conflict_do_nothing(index_elements=keys), rows)


def record_document(conn: Connection, source: str, sha256: str, outcome: str, article_id: int | None = None,
                    reason: str | None = None) -> int | None:
    """Record an input's outcome; returns its id, or None when another writer already
    recorded it as done (an earlier failure of the same input is replaced)."""
    values = {"source": source, "sha256": sha256, "outcome": outcome, "article_id": article_id,
              "reason": reason, "ingested_at": now()}
    stmt = _insert(conn, documents).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "sha256"],
        set_={k: stmt.excluded[k] for k in ("outcome", "article_id", "reason", "ingested_at")},
        where=documents.c.outcome == "failed",
    ).returning(documents.c.id)
    return conn.execute(stmt).scalar()


def lock_story(conn: Connection, buckets: list[tuple[int, int]]) -> None:
    """Hold, until the transaction ends, the LSH buckets of a story about to be stored.

    Two near copies share buckets, so two writers storing them at once take turns, and the
    second sees the first's story when it checks again. (On SQLite the writer transaction
    already holds the database's write lock.)
    """
    if conn.dialect.name == "postgresql":
        for key in sorted({bucket ^ band for band, bucket in buckets}):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def find_exact(conn: Connection, fingerprint: str) -> int | None:
    """The stored article with exactly these words, if any."""
    return conn.execute(select(articles.c.id).where(articles.c.fingerprint == fingerprint)).scalar()


def find_near(conn: Connection, banding: Banding, sig: np.ndarray) -> tuple[int, float] | None:
    """The most similar stored article above the threshold, found through its LSH bands."""
    buckets = banding.buckets(sig)
    candidates = conn.execute(
        select(lsh_bands.c.article_id).where(tuple_(lsh_bands.c.band, lsh_bands.c.bucket).in_(buckets)).distinct()
    ).scalars().all()
    best = None
    for article_id in candidates:
        stored = conn.execute(select(articles.c.minhash).where(articles.c.id == article_id)).scalar()
        score = similarity(sig, from_bytes(stored))
        if score >= banding.threshold and (best is None or score > best[1]):
            best = (article_id, score)
    return best


def insert_article(conn: Connection, item: ArticleInput, record: ArticleRecord, fingerprint: str,
                   sig: np.ndarray, banding: Banding) -> int | None:
    """Store a new story: the article, its LSH bands, speakers, statements and links.

    Returns None when another writer stored the same text first (the caller then records
    an appearance of that story instead).
    """
    article_id = conn.execute(_insert(conn, articles).values(
        fingerprint=fingerprint, text=item.text, length=len(item.text), title=item.title,
        published=record.published, first_published=record.published, site=item.site, url=item.url,
        author=item.author, language=item.language, minhash=to_bytes(sig),
        record=record.model_dump_json(), ingested_at=now(), extractor=_extractor_id(record), kind=record.kind,
    ).on_conflict_do_nothing(index_elements=["fingerprint"]).returning(articles.c.id)).scalar()
    if article_id is None:
        return None
    conn.execute(insert(lsh_bands), [{"article_id": article_id, "band": b, "bucket": k}
                                     for b, k in banding.buckets(sig)])
    speaker_ids = _store_speakers(conn, article_id, fingerprint[:16], record, item.text)
    _store_statements(conn, article_id, record, speaker_ids)
    mark_unlinked(conn, article_id)
    return article_id


def mark_unlinked(conn: Connection, article_id: int) -> None:
    """Note that the story must be linked across the corpus (its links are made, or its
    date changed); the next link clears the note."""
    insert_ignoring_conflicts(conn, link_pending, {"article_id": article_id}, ["article_id"])


def _extractor_id(record: ArticleRecord) -> str | None:
    return record.extractor.id if record.extractor else None


def document_article(conn: Connection, source: str, sha256: str) -> tuple[int | None, str | None]:
    """The story a recorded input holds, and the id of the extractor that made its record."""
    row = conn.execute(select(documents.c.article_id, articles.c.extractor)
                       .select_from(documents.outerjoin(articles, articles.c.id == documents.c.article_id))
                       .where(documents.c.source == source, documents.c.sha256 == sha256)).first()
    return (row[0], row[1]) if row else (None, None)


def replace_analysis(conn: Connection, article_id: int, record: ArticleRecord) -> None:
    """Put a new record in place of a story's old one: its statements, mentions and links.

    The article's id, text, appearances and documents stay; its speakers keep their ids
    (found again by key), new speakers are added. Run inside one transaction, so that the
    story is either wholly old or wholly new.
    """
    row = conn.execute(select(articles.c.fingerprint, articles.c.text).where(articles.c.id == article_id)).one()
    old = select(statements.c.id).where(statements.c.article_id == article_id).scalar_subquery()
    conn.execute(delete(disputes).where(or_(disputes.c.claim_id.in_(old), disputes.c.denial_id.in_(old))))
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM statements_fts WHERE rowid IN (SELECT id FROM statements WHERE article_id = :a)"),
                     {"a": article_id})
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DELETE FROM statement_search WHERE statement_id IN "
                          "(SELECT id FROM statements WHERE article_id = :a)"), {"a": article_id})
    conn.execute(delete(statements).where(statements.c.article_id == article_id))
    conn.execute(delete(mentions).where(mentions.c.article_id == article_id))
    conn.execute(update(articles).where(articles.c.id == article_id).values(
        record=record.model_dump_json(), extractor=_extractor_id(record)))
    speaker_ids = _store_speakers(conn, article_id, row.fingerprint[:16], record, row.text)
    _store_statements(conn, article_id, record, speaker_ids)


def insert_appearance(conn: Connection, article_id: int, document_id: int, item: ArticleInput,
                      exact: bool, score: float) -> None:
    """Record where and when a story appeared; the earliest date is its first appearance."""
    published = str(item.published)[:10] if item.published else None
    insert_ignoring_conflicts(conn, appearances, {
        "article_id": article_id, "document_id": document_id, "title": item.title, "published": published,
        "site": item.site, "url": item.url, "author": item.author, "exact": exact, "similarity": round(score, 4),
    }, ["document_id"])
    if published:
        earlier = conn.execute(update(articles).where(articles.c.id == article_id).where(
            or_(articles.c.first_published.is_(None), articles.c.first_published > published)
        ).values(first_published=published)).rowcount
        if earlier:  # its speakers' dates and its statements' days changed
            mark_unlinked(conn, article_id)


def _store_speakers(conn: Connection, article_id: int, scope: str, record: ArticleRecord,
                    article_text: str) -> dict[str, int]:
    """Global ids of the article's speakers (created or found by key), with aliases and mentions."""
    ids: dict[str, int] = {}
    for speaker in record.speakers:
        key = speaker_key(speaker, scope)
        kind = "person" if speaker.kind == "author" else speaker.kind  # the record says author; people join
        insert_ignoring_conflicts(conn, speakers, {"key": key, "name": speaker.name, "kind": kind}, ["key"])
        speaker_id = conn.execute(select(speakers.c.id).where(speakers.c.key == key)).scalar()
        ids[speaker.id] = speaker_id
        insert_ignoring_conflicts(conn, speaker_aliases, [{"speaker_id": speaker_id, "alias": a}
                                                          for a in dict.fromkeys(speaker.aliases)],
                                  ["speaker_id", "alias"])
        rows = [{"speaker_id": speaker_id, "article_id": article_id, "start": a, "end": b, "text": article_text[a:b]}
                for a, b in speaker.mentions]
        if rows:
            conn.execute(insert(mentions), rows)
    return ids


def _store_statements(conn: Connection, article_id: int, record: ArticleRecord, speaker_ids: dict[str, int]) -> None:
    names = {s.id: s.name for s in record.speakers}
    rows = []
    for s in record.statements:
        sp, cue = s.speaker, s.cue
        rows.append({
            "article_id": article_id, "local_id": s.id, "kind": s.kind, "type": s.type,
            "content_start": s.content.start, "content_end": s.content.end, "content": s.content.text,
            "speaker_id": speaker_ids.get(sp.id) if sp and sp.id else None,
            "speaker_start": sp.start if sp else None, "speaker_end": sp.end if sp else None,
            "speaker_text": sp.text if sp else None,
            "cue_start": cue.start if cue else None, "cue_end": cue.end if cue else None,
            "cue": cue.text if cue else None,
            "when_text": s.when.text if s.when else None, "when_date": s.when.date if s.when else None,
            "channel": s.channel.text if s.channel else None, "confidence": s.confidence,
        })
    if not rows:
        return
    conn.execute(insert(statements), rows)
    stored = dict(conn.execute(select(statements.c.local_id, statements.c.id)
                               .where(statements.c.article_id == article_id)).all())
    links = [{"claim_id": stored[claim], "denial_id": stored[s.id]} for s in record.statements for claim in s.denies]
    if links:
        conn.execute(insert(disputes), links)
    rows = [{"id": stored[s.id], "content": s.content.text,
             "speaker": " ".join(filter(None, (names.get(s.speaker.id) if s.speaker and s.speaker.id else None,
                                               s.speaker.text if s.speaker else None)))}
            for s in record.statements]
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO statements_fts(rowid, content, speaker) VALUES (:id, :content, :speaker)"), rows)
    elif conn.dialect.name == "postgresql":
        conn.execute(text("INSERT INTO statement_search(statement_id, document) "
                          "VALUES (:id, to_tsvector('english', :content || ' ' || :speaker))"), rows)


def counts(conn: Connection) -> dict[str, int]:
    """How many rows the main tables hold (for summaries and tests)."""
    return {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
            for table in (articles, appearances, documents, statements, speakers, disputes)}

"""Writing the corpus: one article, with everything that hangs on it, in one transaction.

Every function takes an open connection inside a transaction; the caller commits once per
input document, so a crash (even ``kill -9``) leaves either the whole article or nothing,
and a rerun finds its documents already recorded and goes on with the rest.
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
from sqlalchemy import Connection, and_, func, insert, or_, select, text, tuple_, update

from ..model import ArticleRecord
from ..neardup import Banding, from_bytes, similarity, to_bytes
from ..pipeline import ArticleInput
from .keys import speaker_key
from .schema import (appearances, articles, disputes, documents, lsh_bands, mentions, speaker_aliases, speakers,
                     statements)

DONE = ("new", "duplicate")


def now() -> str:
    """The current time, UTC, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def document_done(conn: Connection, source: str, sha256: str) -> bool:
    """Whether this input, with these exact bytes, was already ingested."""
    row = conn.execute(select(documents.c.outcome).where(documents.c.source == source,
                                                         documents.c.sha256 == sha256)).first()
    return row is not None and row.outcome in DONE


def record_document(conn: Connection, source: str, sha256: str, outcome: str, article_id: int | None = None,
                    reason: str | None = None) -> int:
    """Record an input's outcome (replacing an earlier failure of the same input)."""
    existing = conn.execute(select(documents.c.id).where(documents.c.source == source,
                                                         documents.c.sha256 == sha256)).scalar()
    values = {"outcome": outcome, "article_id": article_id, "reason": reason, "ingested_at": now()}
    if existing is not None:
        conn.execute(update(documents).where(documents.c.id == existing).values(**values))
        return existing
    return conn.execute(insert(documents).values(source=source, sha256=sha256, **values)).inserted_primary_key[0]


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
                   sig: np.ndarray, banding: Banding) -> int:
    """Store a new story: the article, its LSH bands, speakers, statements and links."""
    article_id = conn.execute(insert(articles).values(
        fingerprint=fingerprint, text=item.text, length=len(item.text), title=item.title,
        published=record.published, first_published=record.published, site=item.site, url=item.url,
        author=item.author, language=item.language, minhash=to_bytes(sig),
        record=record.model_dump_json(), ingested_at=now(),
    )).inserted_primary_key[0]
    conn.execute(insert(lsh_bands), [{"article_id": article_id, "band": b, "bucket": k}
                                     for b, k in banding.buckets(sig)])
    speaker_ids = _store_speakers(conn, article_id, record, item.text)
    _store_statements(conn, article_id, record, speaker_ids)
    return article_id


def insert_appearance(conn: Connection, article_id: int, document_id: int, item: ArticleInput,
                      exact: bool, score: float) -> None:
    """Record where and when a story appeared; the earliest date is its first appearance."""
    published = str(item.published)[:10] if item.published else None
    conn.execute(insert(appearances).values(
        article_id=article_id, document_id=document_id, title=item.title, published=published,
        site=item.site, url=item.url, author=item.author, exact=exact, similarity=round(score, 4),
    ))
    if published:
        conn.execute(update(articles).where(articles.c.id == article_id).where(
            or_(articles.c.first_published.is_(None), articles.c.first_published > published)
        ).values(first_published=published))


def _store_speakers(conn: Connection, article_id: int, record: ArticleRecord, article_text: str) -> dict[str, int]:
    """Global ids of the article's speakers (created or found by key), with aliases and mentions."""
    ids: dict[str, int] = {}
    for speaker in record.speakers:
        key = speaker_key(speaker, article_id)
        speaker_id = conn.execute(select(speakers.c.id).where(speakers.c.key == key)).scalar()
        if speaker_id is None:
            speaker_id = conn.execute(insert(speakers).values(key=key, name=speaker.name, kind=speaker.kind)
                                      ).inserted_primary_key[0]
        ids[speaker.id] = speaker_id
        known = set(conn.execute(select(speaker_aliases.c.alias).where(
            and_(speaker_aliases.c.speaker_id == speaker_id, speaker_aliases.c.alias.in_(speaker.aliases))
        )).scalars())
        new_aliases = [{"speaker_id": speaker_id, "alias": a} for a in dict.fromkeys(speaker.aliases) if a not in known]
        if new_aliases:
            conn.execute(insert(speaker_aliases), new_aliases)
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
            "channel": s.channel.text if s.channel else None,
        })
    if not rows:
        return
    conn.execute(insert(statements), rows)
    stored = dict(conn.execute(select(statements.c.local_id, statements.c.id)
                               .where(statements.c.article_id == article_id)).all())
    links = [{"claim_id": stored[claim], "denial_id": stored[s.id]} for s in record.statements for claim in s.denies]
    if links:
        conn.execute(insert(disputes), links)
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO statements_fts(rowid, content, speaker) VALUES (:id, :content, :speaker)"),
                     [{"id": stored[s.id], "content": s.content.text,
                       "speaker": " ".join(filter(None, (names.get(s.speaker.id) if s.speaker and s.speaker.id else None,
                                                         s.speaker.text if s.speaker else None)))}
                      for s in record.statements])


def counts(conn: Connection) -> dict[str, int]:
    """How many rows the main tables hold (for summaries and tests)."""
    return {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
            for table in (articles, appearances, documents, statements, speakers, disputes)}

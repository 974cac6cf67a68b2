"""The store's side of fact-checks: reviews kept once each, the statements matched to them."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.engine import Row

from .link_queries import chunks
from .schema import factcheck_matches, factchecks, identities, speaker_aliases, speakers, statements

REVIEW_COLUMNS = ("claim", "claimant", "claim_date", "verdict", "rating", "checker", "checker_site", "url",
                  "review_date", "language")


def add_reviews(conn: Connection, rows: Sequence[dict], source: str) -> tuple[list[int], int]:
    """Store the reviews not held yet (by fingerprint): their new ids, and how many were held."""
    held = set()
    for part in _parts([r["fingerprint"] for r in rows]):
        held |= set(conn.execute(select(factchecks.c.fingerprint).where(factchecks.c.fingerprint.in_(part))).scalars())
    new_ids, seen = [], set(held)
    for row in rows:
        if row["fingerprint"] in seen:
            continue
        seen.add(row["fingerprint"])
        values = {k: row.get(k) for k in (*REVIEW_COLUMNS, "fingerprint")}
        new_ids.append(conn.execute(insert(factchecks).values(**values, source=source)
                                    .returning(factchecks.c.id)).scalar_one())
    return new_ids, len(rows) - len(new_ids)


def _parts(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


def reviews(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """Stored reviews (all, or ``ids``), oldest stored first."""
    query = select(factchecks).order_by(factchecks.c.id)
    if ids is None:
        return list(conn.execute(query))
    out: list[Row] = []
    for part in chunks(ids):
        out.extend(conn.execute(query.where(factchecks.c.id.in_(part))))
    return out


def count_reviews(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(factchecks)).scalar_one()


def identities_named(conn: Connection, word: str) -> set[int]:
    """The identities whose name or an alias holds ``word`` (any case): the claimant's candidates."""
    like = f"%{word.lower()}%"
    found = set(conn.execute(select(identities.c.id).where(func.lower(identities.c.name).like(like))).scalars())
    found |= set(conn.execute(select(speakers.c.identity_id)
                              .join(speaker_aliases, speaker_aliases.c.speaker_id == speakers.c.id)
                              .where(func.lower(speaker_aliases.c.alias).like(like),
                                     speakers.c.identity_id.is_not(None))).scalars())
    return found


def statements_for(conn: Connection, identity_ids: Collection[int] | None = None,
                   article_ids: Collection[int] | None = None) -> list[Row]:
    """(id, content, identity_id) of the statements of ``identity_ids`` or of ``article_ids``
    whose speaker has an identity."""
    base = (select(statements.c.id, statements.c.content, speakers.c.identity_id)
            .join(speakers, speakers.c.id == statements.c.speaker_id)
            .where(speakers.c.identity_id.is_not(None)))
    column, ids = (speakers.c.identity_id, identity_ids) if identity_ids is not None else \
        (statements.c.article_id, article_ids)
    out: list[Row] = []
    for part in chunks(ids or ()):
        out.extend(conn.execute(base.where(column.in_(part))))
    return out


def replace_matches(conn: Connection, rows: Sequence[dict], *, statement_ids: Collection[int] | None = None,
                    review_ids: Collection[int] | None = None, everything: bool = False) -> None:
    """Put matches in place: all of them, or those of some statements or some reviews."""
    if everything:
        conn.execute(delete(factcheck_matches))
    for part in chunks(statement_ids or ()):
        conn.execute(delete(factcheck_matches).where(factcheck_matches.c.statement_id.in_(part)))
    for part in chunks(review_ids or ()):
        conn.execute(delete(factcheck_matches).where(factcheck_matches.c.factcheck_id.in_(part)))
    if rows:
        conn.execute(insert(factcheck_matches), [{**r, "evidence": json.dumps(r["evidence"])} for r in rows])


def checks_of(conn: Connection, statement_ids: Collection[int]) -> dict[int, list[dict]]:
    """The reviews each statement makes the claim of, with the match's evidence."""
    out: dict[int, list[dict]] = {}
    query = (select(factcheck_matches.c.statement_id, factcheck_matches.c.score, factcheck_matches.c.evidence,
                    *[factchecks.c[c] for c in REVIEW_COLUMNS], factchecks.c.id)
             .join(factchecks, factchecks.c.id == factcheck_matches.c.factcheck_id)
             .order_by(factcheck_matches.c.statement_id, factchecks.c.id))
    for part in chunks(statement_ids):
        for r in conn.execute(query.where(factcheck_matches.c.statement_id.in_(part))):
            out.setdefault(r.statement_id, []).append(_check(r))
    return out


def _check(r: Row) -> dict:
    return {"id": r.id, "checker": r.checker, "verdict": r.verdict, "url": r.url, "claim": r.claim,
            "claimant": r.claimant, "claim_date": r.claim_date, "review_date": r.review_date,
            "checker_site": r.checker_site, "rating": json.loads(r.rating) if r.rating else None,
            "match": {"score": r.score, **json.loads(r.evidence)}}


def review_listing(conn: Connection, limit: int, offset: int = 0) -> list[dict]:
    """Stored reviews with how many statements make each claim, newest review first."""
    n = (select(factcheck_matches.c.factcheck_id, func.count().label("n"))
         .group_by(factcheck_matches.c.factcheck_id).subquery())
    query = (select(factchecks, func.coalesce(n.c.n, 0).label("statements"))
             .outerjoin(n, n.c.factcheck_id == factchecks.c.id)
             .order_by(factchecks.c.review_date.desc().nulls_last(), factchecks.c.id.desc())
             .limit(limit).offset(offset))
    return [{"id": r.id, "claim": r.claim, "claimant": r.claimant, "verdict": r.verdict, "checker": r.checker,
             "url": r.url, "claim_date": r.claim_date, "review_date": r.review_date, "statements": r.statements}
            for r in conn.execute(query)]

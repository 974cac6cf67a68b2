"""Statements matched to imported fact-checks: at import (every statement of the claimant),
and as stories arrive or the corpus is relinked (``factchecks.v1``).

A statement matches a review when its speaker is the review's claimant and it says the
reviewed claim's words (``factchecks.match``): the claimant's candidates are the identities
that go by the claimant's surname, so a review is compared with their statements only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Connection

from ..names import core_words
from ..store import factcheck_queries as fq
from ..store import link_queries as lq
from .factchecks import FactCheck, Match, match


def _review(row) -> FactCheck:
    return FactCheck(claim=row.claim, verdict=row.verdict, checker=row.checker, url=row.url, claimant=row.claimant,
                     claim_date=row.claim_date, review_date=row.review_date, checker_site=row.checker_site,
                     language=row.language, rating=json.loads(row.rating) if row.rating else {})


def _surname(claimant: str | None) -> str | None:
    words = core_words(claimant or "") or (claimant or "").split()
    return words[-1] if words else None


def _names(conn: Connection, identity_ids: Collection[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for identity_id, name in lq.identity_words(conn, identity_ids):
        if name not in names[identity_id]:
            names[identity_id].append(name)
    return names


def match_reviews(conn: Connection, review_ids: Collection[int] | None = None) -> int:
    """Match the given reviews (all: None) with the statements of their claimants; the
    matches they had are replaced. How many matches were made."""
    rows = fq.reviews(conn, review_ids)
    found: list[Match] = []
    for row in rows:
        word = _surname(row.claimant)
        if word is None:
            continue  # a review that names no claimant is matched to nobody: the claimant is half the evidence
        identity_ids = fq.identities_named(conn, word)
        if not identity_ids:
            continue
        names = _names(conn, identity_ids)
        review = _review(row)
        for s in fq.statements_for(conn, identity_ids=identity_ids):
            m = match(row.id, review, s.id, s.content, names.get(s.identity_id, []))
            if m is not None:
                found.append(m)
    fq.replace_matches(conn, [_row(m) for m in found], review_ids=[r.id for r in rows],
                       everything=review_ids is None)
    return len(found)


def match_articles(conn: Connection, article_ids: Collection[int]) -> int:
    """Match the statements of newly stored stories with every stored review."""
    if not article_ids or not fq.count_reviews(conn):
        return 0
    said = fq.statements_for(conn, article_ids=article_ids)
    names = _names(conn, {s.identity_id for s in said})
    found = [m for row in fq.reviews(conn) for review in (_review(row),) for s in said
             if (m := match(row.id, review, s.id, s.content, names.get(s.identity_id, []))) is not None]
    fq.replace_matches(conn, [_row(m) for m in found], statement_ids=[s.id for s in said])
    return len(found)


def _row(m: Match) -> dict:
    return {"factcheck_id": m.factcheck_id, "statement_id": m.statement_id, "score": m.score, "evidence": m.evidence}

"""Reading the record across articles: quotations with every appearance, and claim/denial
pairs within and across stories. Plain dicts, shaped as the CLI, the API and exports show
them (``speaker {id, name}``, ``first {...}``, ``appearances[]``; ``claim {...}``,
``denial {...}``, ``scope``, ``score``, ``evidence``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlalchemy import Connection, func, or_, select, text
from sqlalchemy.orm import aliased

from .schema import (articles, disputes, doc_id_column, identities, quotation_members, quotations, speakers,
                     statements)

#: At most this many denials are shown with one claim (a bound on a thread page's size).
MAX_THREAD_PAIRS = 200


def _placed(conn: Connection):
    """The columns that say where a statement was printed."""
    return (statements.c.article_id, doc_id_column(conn).label("doc_id"),
            articles.c.first_published.label("published"), articles.c.site)


def _quotations(*columns, speaker: str | None = None, altered: bool = False, quotation_id: int | None = None,
                identity_id: int | None = None):
    """The quotations these filters select: by part of the speaker's name, only those some
    outlet printed with other words, one quotation, one identity's."""
    stmt = select(*columns).select_from(
        quotations.outerjoin(identities, identities.c.id == quotations.c.identity_id))
    if speaker:
        stmt = stmt.where(func.lower(identities.c.name).like(f"%{speaker.lower()}%"))
    if altered:
        stmt = stmt.where(quotations.c.id.in_(select(quotation_members.c.quotation_id)
                                              .where(quotation_members.c.relation == "altered")))
    if quotation_id is not None:
        stmt = stmt.where(quotations.c.id == quotation_id)
    if identity_id is not None:
        stmt = stmt.where(quotations.c.identity_id == identity_id)
    return stmt


def quotation_list(conn: Connection, *, speaker: str | None = None, altered: bool = False, limit: int = 100,
                   offset: int = 0, quotation_id: int | None = None, identity_id: int | None = None) -> list[dict]:
    """Quotations, those printed most often first, each with its first appearance and every
    appearance (the first first) and how each one's words relate to the first."""
    stmt = _quotations(quotations.c.id, quotations.c.text, quotations.c.identity_id, quotations.c.appearances,
                       quotations.c.first_reason, identities.c.name.label("speaker_name"), speaker=speaker, altered=altered,
                       quotation_id=quotation_id, identity_id=identity_id)
    stmt = stmt.order_by(quotations.c.appearances.desc(), quotations.c.id).limit(limit).offset(offset)
    rows = conn.execute(stmt).all()
    members = _members(conn, [r.id for r in rows])
    out = []
    for r in rows:
        appearances = members.get(r.id, [])
        first = next((a for a in appearances if a["relation"] == "first"), appearances[0] if appearances else None)
        out.append({"id": r.id, "speaker": {"id": r.identity_id, "name": r.speaker_name}, "text": r.text,
                    "first": {**{k: first[k] for k in ("article_id", "doc_id", "published", "site", "statement_id")},
                              "why": r.first_reason} if first else None,
                    "appearances": appearances})
    return out


def count_quotations(conn: Connection, *, speaker: str | None = None, altered: bool = False,
                     identity_id: int | None = None) -> int:
    """How many quotations these filters select (all of the corpus's without filters)."""
    stmt = _quotations(func.count(), speaker=speaker, altered=altered, identity_id=identity_id)
    return conn.execute(stmt).scalar()


def _members(conn: Connection, ids: list[int]) -> dict[int, list[dict]]:
    if not ids:
        return {}
    order = {"first": 0}
    found: dict[int, list[dict]] = {}
    for r in conn.execute(
            select(quotation_members.c.quotation_id, quotation_members.c.statement_id, quotation_members.c.text,
                   quotation_members.c.relation, quotation_members.c.changes, *_placed(conn),
                   articles.c.title, statements.c.local_id)
            .join(statements, statements.c.id == quotation_members.c.statement_id)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(quotation_members.c.quotation_id.in_(ids))):
        item = {"article_id": r.article_id, "doc_id": r.doc_id, "published": r.published, "site": r.site,
                "statement_id": r.statement_id, "text": r.text, "relation": r.relation,
                "title": r.title, "local_id": r.local_id}
        if r.relation == "altered":
            item["changes"] = json.loads(r.changes) if r.changes else []
        found.setdefault(r.quotation_id, []).append(item)
    for items in found.values():
        items.sort(key=lambda a: (order.get(a["relation"], 1), a["published"] or "9999", a["site"] or "",
                                  a["statement_id"]))
    return found


def statement_quotation(conn: Connection, statement_ids: list[int]) -> dict[int, int]:
    """The quotation each of these statements prints, if any."""
    if not statement_ids:
        return {}
    return dict(conn.execute(select(quotation_members.c.statement_id, quotation_members.c.quotation_id)
                             .where(quotation_members.c.statement_id.in_(statement_ids))).all())


@dataclass
class DisputeFilter:
    """Which claim/denial pairs a listing selects."""

    scope: str | None = None  # article | corpus
    speaker: str | None = None  # part of the claimant's or the denier's name
    since: str | None = None  # the denial's date, from (ISO)
    until: str | None = None  # the denial's date, to (ISO, inclusive)
    source: str | None = None  # part of the site of either article
    claim_id: int | None = None  # one thread
    claim_ids: list[int] | None = None  # these threads
    statement_id: int | None = None  # pairs where this statement is the claim or the denial
    identity_id: int | None = None  # pairs where this speaker (identity) is on either side
    include_not_news: bool = False  # pairs on not-news pages too (a statement's own pairs: always)


def _pair_select():
    """Every claim/denial pair with both sides' columns, and the tables it joins: built once,
    since building the aliased joins costs more than running the query."""
    claim, denial = aliased(statements), aliased(statements)
    claimer, denier = aliased(speakers), aliased(speakers)
    claim_id_, denial_id_ = aliased(identities), aliased(identities)
    claim_article, denial_article = aliased(articles), aliased(articles)
    claim_side = _side(claim, claimer, claim_id_, claim_article, "claim")
    denial_side = _side(denial, denier, denial_id_, denial_article, "denial")
    stmt = (select(disputes.c.scope, disputes.c.score, disputes.c.evidence, *claim_side, *denial_side)
            .select_from(disputes.join(claim, claim.c.id == disputes.c.claim_id)
                         .join(denial, denial.c.id == disputes.c.denial_id)
                         .join(claim_article, claim_article.c.id == claim.c.article_id)
                         .join(denial_article, denial_article.c.id == denial.c.article_id)
                         .outerjoin(claimer, claimer.c.id == claim.c.speaker_id)
                         .outerjoin(denier, denier.c.id == denial.c.speaker_id)
                         .outerjoin(claim_id_, claim_id_.c.id == claimer.c.identity_id)
                         .outerjoin(denial_id_, denial_id_.c.id == denier.c.identity_id)))
    return stmt, claim_side, denial_side, claim_article, denial_article


def _pairs(f: DisputeFilter):
    """The claim/denial pairs that ``f`` selects, with both sides' columns, unordered."""
    stmt, claim_side, denial_side, claim_article, denial_article = _PAIRS
    if f.scope:
        stmt = stmt.where(disputes.c.scope == f.scope)
    if not f.include_not_news and f.statement_id is None:
        stmt = stmt.where(or_(claim_article.c.kind.is_(None), claim_article.c.kind != "not-news"),
                          or_(denial_article.c.kind.is_(None), denial_article.c.kind != "not-news"))
    if f.statement_id is not None:
        stmt = stmt.where(or_(disputes.c.claim_id == f.statement_id, disputes.c.denial_id == f.statement_id))
    if f.claim_id is not None:
        stmt = stmt.where(disputes.c.claim_id == f.claim_id)
    if f.identity_id is not None:
        stmt = stmt.where(or_(_column(claim_side, "claim_speaker_id") == f.identity_id,
                              _column(denial_side, "denial_speaker_id") == f.identity_id))
    if f.claim_ids is not None:
        stmt = stmt.where(disputes.c.claim_id.in_(f.claim_ids))
    if f.speaker:
        like = f"%{f.speaker.lower()}%"
        stmt = stmt.where(or_(*(func.lower(_column(side, name)).like(like) for side, name in
                                ((claim_side, "claim_speaker"), (denial_side, "denial_speaker")))))
    if f.source:
        like = f"%{f.source.lower()}%"
        stmt = stmt.where(or_(func.lower(claim_article.c.site).like(like),
                              func.lower(denial_article.c.site).like(like)))
    denial_date = _column(denial_side, "denial_published")
    if f.since:
        stmt = stmt.where(denial_date >= f.since)
    if f.until:
        stmt = stmt.where(denial_date <= f.until)
    return stmt


def _column(columns: list, label: str):
    """The expression under ``label`` among labelled columns (a filter on what a side shows)."""
    return next(c.element for c in columns if c.name == label)


def corpus_links(conn: Connection, statement_ids: list[int]) -> dict[int, dict]:
    """What ties these statements to other stories: the quotation each prints, and the
    dispute threads (their claims' ids) each is in by a link across the corpus."""
    if not statement_ids:
        return {}
    links: dict[int, dict] = {}
    for statement_id, quotation_id in statement_quotation(conn, statement_ids).items():
        links.setdefault(statement_id, {"quotation_id": None, "threads": []})["quotation_id"] = quotation_id
    wanted = set(statement_ids)
    for claim_id, denial_id in conn.execute(
            select(disputes.c.claim_id, disputes.c.denial_id).where(disputes.c.scope == "corpus").where(
                or_(disputes.c.claim_id.in_(statement_ids), disputes.c.denial_id.in_(statement_ids)))
            .order_by(disputes.c.claim_id)):
        for statement_id in {claim_id, denial_id} & wanted:
            threads = links.setdefault(statement_id, {"quotation_id": None, "threads": []})["threads"]
            if claim_id not in threads:
                threads.append(claim_id)
    return links


def dispute_rows(conn: Connection, *, scope: str | None = None, limit: int = 100, offset: int = 0,
                 statement_id: int | None = None, f: DisputeFilter | None = None) -> list[dict]:
    """Claim/denial pairs (one row a pair), within one article or across the corpus, each
    with its score and evidence; by claim then denial id, so that paging is stable."""
    f = f or DisputeFilter(scope=scope, statement_id=statement_id)
    stmt = _pairs(f).order_by(text("claim_statement_id"), text("denial_statement_id")).limit(limit).offset(offset)
    doc_ids = _doc_ids(conn)
    return [_pair(r._mapping, doc_ids) for r in conn.execute(stmt)]


def _pair(m, doc_ids) -> dict:
    row = {"scope": m["scope"], "score": m["score"],
           "evidence": json.loads(m["evidence"]) if m["evidence"] else None}
    for side in ("claim", "denial"):
        row[side] = {"statement_id": m[f"{side}_statement_id"], "article_id": m[f"{side}_article_id"],
                     "doc_id": doc_ids(m[f"{side}_article_id"]), "speaker": m[f"{side}_speaker"],
                     "speaker_id": m[f"{side}_speaker_id"], "text": m[f"{side}_text"],
                     "published": m[f"{side}_published"], "site": m[f"{side}_site"],
                     "title": m[f"{side}_title"], "local_id": m[f"{side}_local_id"]}
    return row


def count_dispute_pairs(conn: Connection, *, scope: str | None = None, f: DisputeFilter | None = None) -> int:
    """How many claim/denial pairs ``dispute_rows`` pages through."""
    f = f or DisputeFilter(scope=scope)
    pairs = _pairs(f).with_only_columns(disputes.c.claim_id, disputes.c.denial_id).subquery()
    return conn.execute(select(func.count()).select_from(pairs)).scalar()


def count_dispute_threads(conn: Connection, f: DisputeFilter) -> int:
    """How many claims have at least one denial that ``f`` selects."""
    claims = _pairs(f).with_only_columns(disputes.c.claim_id).distinct().subquery()
    return conn.execute(select(func.count()).select_from(claims)).scalar()


def dispute_threads(conn: Connection, f: DisputeFilter, *, limit: int = 20, offset: int = 0) -> list[dict]:
    """Claims, each with every denial of it that ``f`` selects (within its article and across
    the corpus), the denials in order of date: one thread a claim, so a claim denied twice is
    shown once. Threads are paged by claim, newest denial first."""
    pairs = _pairs(f).subquery()
    page = (select(pairs.c.claim_statement_id, func.max(pairs.c.denial_published).label("latest"))
            .group_by(pairs.c.claim_statement_id)
            .order_by(text("latest DESC"), pairs.c.claim_statement_id).limit(limit).offset(offset))
    claim_ids = [row[0] for row in conn.execute(page)]
    if not claim_ids:
        return []
    rows = dispute_rows(conn, f=replace(f, claim_ids=claim_ids), limit=MAX_THREAD_PAIRS * len(claim_ids))
    threads: dict[int, dict] = {cid: {"claim": None, "denials": []} for cid in claim_ids}
    for row in rows:
        thread = threads[row["claim"]["statement_id"]]
        thread["claim"] = row["claim"]
        thread["denials"].append({**row["denial"], "scope": row["scope"], "score": row["score"],
                                  "evidence": row["evidence"]})
    for thread in threads.values():
        thread["denials"].sort(key=lambda d: (d["published"] or "9999", d["site"] or "", d["statement_id"]))
    return [threads[cid] for cid in claim_ids if threads[cid]["claim"] is not None]


def _side(stmt_t, speaker_t, identity_t, article_t, name: str) -> list:
    return [stmt_t.c.id.label(f"{name}_statement_id"), stmt_t.c.article_id.label(f"{name}_article_id"),
            func.coalesce(identity_t.c.name, speaker_t.c.name).label(f"{name}_speaker"),
            func.coalesce(speaker_t.c.identity_id, speaker_t.c.id).label(f"{name}_speaker_id"),
            stmt_t.c.content.label(f"{name}_text"),
            func.coalesce(func.substr(stmt_t.c.when_date, 1, 10), article_t.c.first_published).label(f"{name}_published"),
            article_t.c.site.label(f"{name}_site"), article_t.c.title.label(f"{name}_title"),
            stmt_t.c.local_id.label(f"{name}_local_id")]


_PAIRS = _pair_select()


def _doc_ids(conn: Connection):
    """The doc id of an article (from its record), looked up once per article."""
    cache: dict[int, str | None] = {}

    def lookup(article_id: int) -> str | None:
        if article_id not in cache:
            row = conn.execute(select(doc_id_column(conn)).select_from(articles)
                               .where(articles.c.id == article_id)).first()
            cache[article_id] = row[0] if row else None
        return cache[article_id]
    return lookup


def export_record_rows(conn: Connection, table: str, batch: int = 1000):
    """Every quotation appearance (``quotes``) or claim/denial pair (``disputes``) as a flat
    row for CSV, JSONL or Parquet; ``changes`` and ``evidence`` as JSON text."""
    offset = 0
    while True:
        if table == "quotes":
            found = quotation_list(conn, limit=batch, offset=offset)
            rows = [{"quotation_id": q["id"], "speaker_id": q["speaker"]["id"], "speaker": q["speaker"]["name"],
                     "quotation": q["text"], **{k: a[k] for k in ("statement_id", "article_id", "doc_id", "published",
                                                                  "site", "text", "relation")},
                     "changes": json.dumps(a["changes"], ensure_ascii=False) if a.get("changes") else None}
                    for q in found for a in q["appearances"]]
        else:
            found = dispute_rows(conn, limit=batch, offset=offset)
            rows = [_flat_dispute(d) for d in found]
        yield from rows
        if len(found) < batch:
            return
        offset += batch


def _flat_dispute(d: dict) -> dict:
    row = {"scope": d["scope"], "score": d["score"],
           "evidence": json.dumps(d["evidence"], ensure_ascii=False) if d["evidence"] else None}
    for side in ("claim", "denial"):
        s = d[side]
        row.update({f"{side}_id": s["statement_id"], f"{side}_article_id": s["article_id"],
                    f"{side}_doc_id": s["doc_id"], f"{side}_speaker": s["speaker"],
                    f"{side}_speaker_id": s["speaker_id"], side: s["text"], f"{side}_published": s["published"],
                    f"{side}_site": s["site"]})
    return row

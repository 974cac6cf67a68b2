"""Reading the record across articles: quotations with every appearance, and claim/denial
pairs within and across stories. Plain dicts, shaped as the CLI, the API and exports show
them (``speaker {id, name}``, ``first {...}``, ``appearances[]``; ``claim {...}``,
``denial {...}``, ``scope``, ``score``, ``evidence``)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import aliased

from .queries import _doc_id_column
from .schema import articles, disputes, identities, quotation_members, quotations, speakers, statements


def _placed(conn: Connection):
    """The columns that say where a statement was printed."""
    return (statements.c.article_id, _doc_id_column(conn).label("doc_id"),
            articles.c.first_published.label("published"), articles.c.site)


def quotation_list(conn: Connection, *, speaker: str | None = None, altered: bool = False, limit: int = 100,
                   offset: int = 0, quotation_id: int | None = None, identity_id: int | None = None) -> list[dict]:
    """Quotations, those printed most often first, each with its first appearance and every
    appearance (the first first) and how each one's words relate to the first."""
    stmt = (select(quotations.c.id, quotations.c.text, quotations.c.identity_id, quotations.c.appearances,
                   identities.c.name.label("speaker_name"))
            .outerjoin(identities, identities.c.id == quotations.c.identity_id))
    if speaker:
        stmt = stmt.where(func.lower(identities.c.name).like(f"%{speaker.lower()}%"))
    if altered:
        stmt = stmt.where(quotations.c.id.in_(select(quotation_members.c.quotation_id)
                                              .where(quotation_members.c.relation == "altered")))
    if quotation_id is not None:
        stmt = stmt.where(quotations.c.id == quotation_id)
    if identity_id is not None:
        stmt = stmt.where(quotations.c.identity_id == identity_id)
    stmt = stmt.order_by(quotations.c.appearances.desc(), quotations.c.id).limit(limit).offset(offset)
    rows = conn.execute(stmt).all()
    members = _members(conn, [r.id for r in rows])
    out = []
    for r in rows:
        appearances = members.get(r.id, [])
        first = next((a for a in appearances if a["relation"] == "first"), appearances[0] if appearances else None)
        out.append({"id": r.id, "speaker": {"id": r.identity_id, "name": r.speaker_name}, "text": r.text,
                    "first": {k: first[k] for k in ("article_id", "doc_id", "published", "site", "statement_id")}
                    if first else None,
                    "appearances": appearances})
    return out


def count_quotations(conn: Connection) -> int:
    """How many quotations the corpus holds."""
    return conn.execute(select(func.count()).select_from(quotations)).scalar()


def _members(conn: Connection, ids: list[int]) -> dict[int, list[dict]]:
    if not ids:
        return {}
    order = {"first": 0}
    found: dict[int, list[dict]] = {}
    for r in conn.execute(
            select(quotation_members.c.quotation_id, quotation_members.c.statement_id, quotation_members.c.text,
                   quotation_members.c.relation, quotation_members.c.changes, *_placed(conn))
            .join(statements, statements.c.id == quotation_members.c.statement_id)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(quotation_members.c.quotation_id.in_(ids))):
        item = {"article_id": r.article_id, "doc_id": r.doc_id, "published": r.published, "site": r.site,
                "statement_id": r.statement_id, "text": r.text, "relation": r.relation}
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


def dispute_rows(conn: Connection, *, scope: str | None = None, limit: int = 100, offset: int = 0,
                 statement_id: int | None = None) -> list[dict]:
    """Claim/denial pairs (one row a pair), within one article or across the corpus, each
    with its score and evidence; by claim then denial id, so that paging is stable."""
    claim, denial = aliased(statements), aliased(statements)
    claimer, denier = aliased(speakers), aliased(speakers)
    claim_id_, denial_id_ = aliased(identities), aliased(identities)
    claim_article, denial_article = aliased(articles), aliased(articles)
    stmt = (select(disputes.c.scope, disputes.c.score, disputes.c.evidence,
                   *_side(claim, claimer, claim_id_, claim_article, "claim"),
                   *_side(denial, denier, denial_id_, denial_article, "denial"))
            .select_from(disputes.join(claim, claim.c.id == disputes.c.claim_id)
                         .join(denial, denial.c.id == disputes.c.denial_id)
                         .join(claim_article, claim_article.c.id == claim.c.article_id)
                         .join(denial_article, denial_article.c.id == denial.c.article_id)
                         .outerjoin(claimer, claimer.c.id == claim.c.speaker_id)
                         .outerjoin(denier, denier.c.id == denial.c.speaker_id)
                         .outerjoin(claim_id_, claim_id_.c.id == claimer.c.identity_id)
                         .outerjoin(denial_id_, denial_id_.c.id == denier.c.identity_id)))
    if scope:
        stmt = stmt.where(disputes.c.scope == scope)
    if statement_id is not None:
        stmt = stmt.where(or_(disputes.c.claim_id == statement_id, disputes.c.denial_id == statement_id))
    stmt = stmt.order_by(disputes.c.claim_id, disputes.c.denial_id).limit(limit).offset(offset)
    out = []
    doc_ids = _doc_ids(conn)
    for r in conn.execute(stmt):
        m = r._mapping
        row = {"scope": m["scope"], "score": m["score"],
               "evidence": json.loads(m["evidence"]) if m["evidence"] else None}
        for side in ("claim", "denial"):
            row[side] = {"statement_id": m[f"{side}_statement_id"], "article_id": m[f"{side}_article_id"],
                         "doc_id": doc_ids(m[f"{side}_article_id"]), "speaker": m[f"{side}_speaker"],
                         "speaker_id": m[f"{side}_speaker_id"], "text": m[f"{side}_text"],
                         "published": m[f"{side}_published"], "site": m[f"{side}_site"]}
        out.append(row)
    return out


def _side(stmt_t, speaker_t, identity_t, article_t, name: str) -> list:
    return [stmt_t.c.id.label(f"{name}_statement_id"), stmt_t.c.article_id.label(f"{name}_article_id"),
            func.coalesce(identity_t.c.name, speaker_t.c.name).label(f"{name}_speaker"),
            func.coalesce(speaker_t.c.identity_id, speaker_t.c.id).label(f"{name}_speaker_id"),
            stmt_t.c.content.label(f"{name}_text"),
            func.coalesce(func.substr(stmt_t.c.when_date, 1, 10), article_t.c.first_published).label(f"{name}_published"),
            article_t.c.site.label(f"{name}_site")]


def _doc_ids(conn: Connection):
    """The doc id of an article (from its record), looked up once per article."""
    cache: dict[int, str | None] = {}

    def lookup(article_id: int) -> str | None:
        if article_id not in cache:
            row = conn.execute(select(_doc_id_column(conn)).select_from(articles)
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

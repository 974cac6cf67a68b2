"""Reading the corpus: search, speakers, articles, disputes, export rows.

Every function returns plain dicts (one per row) so that the CLI, the web API and exports
can shape them as they need. Full-text search uses SQLite's FTS5 index of statement content
and speaker names, ranked by BM25.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import lru_cache

from sqlalchemy import Connection, and_, column, func, literal_column, or_, select, table
from sqlalchemy.orm import aliased

from ..layout import split_authors
from ..sentences import context_of
from .schema import (appearances, articles, disputes, doc_id_column, documents, identities, news_pages,
                     speaker_aliases, speaker_joins, speakers, statements)

_TERM = re.compile(r"\w+", re.UNICODE)
#: The SQLite FTS5 index of statements (created by the migrations; rowid = statements.id).
FTS = table("statements_fts", column("rowid"), column("content"), column("speaker"))


def fts_query(query: str) -> str:
    """A safe FTS5 query from what a user typed: every word must occur (quoted, so that
    FTS5 operators and punctuation in the input cannot break the query)."""
    return " ".join(f'"{term}"' for term in _TERM.findall(query))


def _date_of():
    """The date a statement was made: its own day when the text gives one, else the
    article's first publication."""
    return func.coalesce(func.substr(statements.c.when_date, 1, 10), articles.c.first_published)


def names_only(aliases) -> list[str]:
    """A speaker's aliases as a listing shows them: names, sorted; pronouns (``he``, ``She``,
    ``they``) are mentions of the speaker, not names of it. They stay stored, and exports
    carry them all."""
    from ..lexicon import in_force

    p = in_force().pronouns
    pronouns = p.male | p.female | p.thing | p.other | p.object | p.relative | p.subject
    return sorted({a for a in aliases if a.strip().lower() not in pronouns})


@dataclass
class StatementFilter:
    """Which statements a search or a listing selects."""

    query: str = ""
    speaker: str | None = None  # part of a name or alias
    speaker_id: int | None = None
    type: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None  # part of a site name or URL where the article appeared
    article_id: int | None = None
    min_confidence: float | None = None  # only statements at least this likely right
    #: the statements of not-news pages (forums, wikis, tutorials) too; an article's own
    #: listing (``article_id``) always shows them
    include_not_news: bool = False


#: The PostgreSQL search table (created by migration 0002; one tsvector per statement).
PG_SEARCH = table("statement_search", column("statement_id"), column("document"))


def _tsquery(query: str):
    return func.plainto_tsquery("english", " ".join(_TERM.findall(query)))


def _full_text(stmt, query: str, dialect: str):
    """Restrict to statements matching every word of ``query``: SQLite's FTS5 index, or
    PostgreSQL's tsvector with its GIN index."""
    if dialect == "postgresql":
        return stmt.join(PG_SEARCH, PG_SEARCH.c.statement_id == statements.c.id).where(
            PG_SEARCH.c.document.op("@@")(_tsquery(query)))
    return stmt.join(FTS, FTS.c.rowid == statements.c.id).where(
        literal_column("statements_fts").op("MATCH")(fts_query(query)))


def _by_rank(stmt, dialect: str, query: str):
    """Best matches first: BM25 on SQLite (lower is better), ts_rank_cd on PostgreSQL."""
    if dialect == "postgresql":
        rank = func.ts_rank_cd(PG_SEARCH.c.document, _tsquery(query))
        return stmt.add_columns(rank.label("rank")).order_by(rank.desc(), statements.c.id)
    rank = literal_column("bm25(statements_fts)")
    return stmt.add_columns(rank.label("rank")).order_by(rank, statements.c.id)


def _filter_key(f: StatementFilter) -> tuple:
    """``f`` as a hashable key of its values (``dataclasses.astuple`` deep-copies, and costs
    more than the lookup it serves)."""
    return tuple(getattr(f, field.name) for field in _FILTER_FIELDS)


_FILTER_FIELDS = fields(StatementFilter)


def _statement_select(*columns, f: StatementFilter, dialect: str = "sqlite"):
    """A select over statements (with their article and speaker) restricted by ``f``.

    The restricted select is built once per filter and kept (a search page counts, pages
    and facets one filter five times, and building the joins and conditions costs more than
    SQLite takes to run them); each use only sets its columns."""
    return _restricted(_filter_key(f), dialect).with_only_columns(*columns)


@lru_cache(maxsize=512)
def _restricted(key: tuple, dialect: str):
    f = StatementFilter(*key)
    stmt = select(statements.c.id).select_from(
        statements.join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(speakers, speakers.c.id == statements.c.speaker_id))
    if f.query and _TERM.search(f.query):
        stmt = _full_text(stmt, f.query, dialect)
    if f.speaker:
        pattern = f"%{f.speaker.lower()}%"
        aliased_ids = select(speaker_aliases.c.speaker_id).where(func.lower(speaker_aliases.c.alias).like(pattern))
        stmt = stmt.where(or_(func.lower(speakers.c.name).like(pattern), statements.c.speaker_id.in_(aliased_ids)))
    if f.speaker_id is not None:  # an identity: every speaker joined in it
        stmt = stmt.where(statements.c.speaker_id.in_(select(speakers.c.id).where(_in_identities([f.speaker_id]))))
    if f.type:
        stmt = stmt.where(statements.c.type == f.type)
    if f.kind:
        stmt = stmt.where(statements.c.kind == f.kind)
    if f.since:
        stmt = stmt.where(_date_of() >= f.since)
    if f.until:
        stmt = stmt.where(_date_of() <= f.until)
    if f.source:
        pattern = f"%{f.source.lower()}%"
        seen_at = select(appearances.c.article_id).where(or_(func.lower(appearances.c.site).like(pattern),
                                                             func.lower(appearances.c.url).like(pattern)))
        stmt = stmt.where(statements.c.article_id.in_(seen_at))
    if f.article_id is not None:
        stmt = stmt.where(statements.c.article_id == f.article_id)
    if f.min_confidence is not None:
        stmt = stmt.where(statements.c.confidence >= f.min_confidence)
    if not f.include_not_news and f.article_id is None:
        stmt = stmt.where(news_pages())
    return stmt


def find_statements(conn: Connection, f: StatementFilter, *, limit: int = 20, offset: int = 0,
                    order: str = "rank") -> list[dict]:
    """Statements selected by ``f``: best match first for a query, else newest first
    (``order="time"``: oldest first, as a speaker's record reads)."""
    stmt = _rows_select(_filter_key(f), conn.dialect.name, order)
    return [dict(row._mapping) for row in conn.execute(stmt.limit(limit).offset(offset))]


@lru_cache(maxsize=512)
def _rows_select(key: tuple, dialect: str, order: str):
    """The ordered select of ``find_statements``, built once per filter and order (a search
    and its pages, downloads and twins ask for the same one again and again)."""
    f = StatementFilter(*key)
    date = _date_of().label("date")
    stmt = _statement_select(
        statements.c.id.label("statement_id"), statements.c.article_id, statements.c.local_id,
        speakers.c.name.label("speaker"), statements.c.speaker_id, statements.c.type, statements.c.kind, date,
        articles.c.title, articles.c.site.label("source"), statements.c.content, statements.c.content_start,
        statements.c.content_end, statements.c.when_text,
        statements.c.confidence, identities.c.person_id, f=f, dialect=dialect)
    stmt = stmt.join_from(speakers, identities, identities.c.id == speakers.c.identity_id, isouter=True)
    if order == "time":
        return stmt.order_by(date.is_(None), date, statements.c.article_id, statements.c.content_start)
    if f.query and _TERM.search(f.query) and order == "rank":
        return _by_rank(stmt, dialect, f.query)
    return stmt.order_by(date.is_(None), date.desc(), statements.c.id.desc())


def count_statements(conn: Connection, f: StatementFilter) -> int:
    """How many statements ``f`` selects."""
    return conn.execute(_count_select(_filter_key(f), conn.dialect.name)).scalar()


@lru_cache(maxsize=512)
def _count_select(key: tuple, dialect: str):
    return _restricted(key, dialect).with_only_columns(func.count())


FACETS = {
    "speaker": speakers.c.name,
    "type": statements.c.type,
    "kind": statements.c.kind,
    "source": articles.c.site,
}


def facet_counts(conn: Connection, f: StatementFilter, name: str, limit: int = 10) -> list[dict]:
    """The most frequent values of one facet among the selected statements (datasette-style)."""
    stmt = _facet_select(_filter_key(f), conn.dialect.name, name, limit)
    return [{"value": value, "count": count} for value, count in conn.execute(stmt)]


@lru_cache(maxsize=1024)
def _facet_select(key: tuple, dialect: str, name: str, limit: int):
    """One facet's grouped select, built once per filter (as ``_restricted``)."""
    value = _date_of() if name == "day" else FACETS[name]
    n = func.count().label("count")
    return (_restricted(key, dialect).with_only_columns(value.label("value"), n).where(value.is_not(None))
            .group_by(value).order_by(n.desc(), value).limit(limit))


def search(conn: Connection, query: str = "", *, speaker: str | None = None, type: str | None = None,
           since: str | None = None, until: str | None = None, source: str | None = None,
           min_confidence: float | None = None, limit: int = 20, offset: int = 0,
           include_not_news: bool = False) -> list[dict]:
    """Statements matching the query and filters, best first (most recent first without a query);
    those of not-news pages only with ``include_not_news``."""
    f = StatementFilter(query=query, speaker=speaker, type=type, since=since, until=until, source=source,
                        min_confidence=min_confidence, include_not_news=include_not_news)
    rows = find_statements(conn, f, limit=limit, offset=offset)
    about = _article_keys(conn, {row["article_id"] for row in rows})
    for row in rows:  # what leads from a hit to its article: onrecord show ARTICLE_ID
        row.update(about.get(row["article_id"], {}))
    return rows


def _article_keys(conn: Connection, ids: set[int]) -> dict[int, dict]:
    """``doc_id``, ``published`` (first publication) and ``site`` of the given articles."""
    if not ids:
        return {}
    stmt = select(articles.c.id, doc_id_column(conn).label("doc_id"), articles.c.first_published,
                  articles.c.site).where(articles.c.id.in_(ids))
    return {row.id: {"doc_id": row.doc_id, "published": row.first_published, "site": row.site}
            for row in conn.execute(stmt)}


def add_context(conn: Connection, rows: list[dict]) -> list[dict]:
    """Give each statement row its ``context``: the sentence(s) around its content in its
    article (rows need ``article_id``, ``content_start``, ``content_end``)."""
    ids = {r["article_id"] for r in rows if r.get("content_start") is not None}
    texts: dict[int, str] = {}
    for part in (sorted(ids)[i:i + 500] for i in range(0, len(ids), 500)):
        texts.update({row.id: row.text for row in conn.execute(
            select(articles.c.id, articles.c.text).where(articles.c.id.in_(part)))})
    for r in rows:
        text = texts.get(r["article_id"])
        r["context"] = context_of(text, r["content_start"], r["content_end"]) if text is not None else None
    return rows


def statement(conn: Connection, statement_id: int) -> dict | None:
    """One statement with everything the corpus holds of it: its article, speaker, spans,
    time, channel and the statements it denies or that deny it (corpus ids)."""
    row = conn.execute(
        select(statements, speakers.c.name.label("speaker"), articles.c.title, articles.c.site,
               articles.c.first_published.label("published"), doc_id_column(conn).label("doc_id"))
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
        .where(statements.c.id == statement_id)).first()
    if row is None:
        return None
    data = {"statement_id": row.id, **{k: v for k, v in row._mapping.items() if k != "id"}}
    data["denies"] = list(conn.execute(select(disputes.c.claim_id).where(disputes.c.denial_id == statement_id)
                                       .order_by(disputes.c.claim_id)).scalars())
    data["denied_by"] = list(conn.execute(select(disputes.c.denial_id).where(disputes.c.claim_id == statement_id)
                                          .order_by(disputes.c.denial_id)).scalars())
    return add_context(conn, [data])[0]


def _identity_of():
    """The identity a speaker belongs to (itself before the corpus was first linked)."""
    return func.coalesce(speakers.c.identity_id, speakers.c.id)


def _in_identities(ids):
    """Speakers that belong to these identities, as a condition the indexes answer
    (``_identity_of() IN ids`` would read every speaker of the corpus)."""
    ids = list(ids)
    return or_(speakers.c.identity_id.in_(ids), and_(speakers.c.identity_id.is_(None), speakers.c.id.in_(ids)))


def _identity_counts(include_not_news: bool = False):
    """Statements by identity and type (of news-like pages, unless ``include_not_news``)."""
    ident = _identity_of().label("identity")
    stmt = (select(ident, statements.c.type, func.count().label("n"))
            .select_from(statements.join(speakers, speakers.c.id == statements.c.speaker_id)
                         .join(articles, articles.c.id == statements.c.article_id)))
    if not include_not_news:
        stmt = stmt.where(news_pages())
    return stmt.group_by(ident, statements.c.type).subquery()


def _identity_rows(name: str | None, descriptions: bool, include_not_news: bool = False):
    counted = _identity_counts(include_not_news)
    total = func.sum(counted.c.n).label("statements")
    head = speakers.alias("head")
    shown = func.coalesce(identities.c.name, head.c.name)
    stmt = (select(counted.c.identity.label("id"), shown.label("name"),
                   func.coalesce(identities.c.kind, head.c.kind).label("kind"), identities.c.person_id, total)
            .select_from(counted.join(head, head.c.id == counted.c.identity)
                         .outerjoin(identities, identities.c.id == counted.c.identity))
            .group_by(counted.c.identity, shown, identities.c.kind, head.c.kind, identities.c.person_id))
    if not descriptions:
        stmt = stmt.where(or_(identities.c.named.is_(None), identities.c.named.is_(True)))
    if name:
        pattern = f"%{name.lower()}%"
        members = (select(_identity_of()).select_from(speakers.outerjoin(
            speaker_aliases, speaker_aliases.c.speaker_id == speakers.c.id))
            .where(or_(func.lower(speakers.c.name).like(pattern), func.lower(speaker_aliases.c.alias).like(pattern))))
        stmt = stmt.where(or_(func.lower(shown).like(pattern), counted.c.identity.in_(members)))
    return stmt, counted, total


def count_speakers(conn: Connection, *, name: str | None = None, descriptions: bool = False,
                   include_not_news: bool = False) -> int:
    """How many speakers (identities across the corpus) have statements, named like ``name``."""
    stmt, _, _ = _identity_rows(name, descriptions, include_not_news)
    return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar()


def _identity_aliases(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """Each identity's names as listings show them: names only, no pronouns or descriptions."""
    from ..names import clean_name

    found: dict[int, set[str]] = {}
    for row in conn.execute(select(_identity_of().label("identity"), speakers.c.kind, speaker_aliases.c.alias)
                            .join(speaker_aliases, speaker_aliases.c.speaker_id == speakers.c.id)
                            .where(_in_identities(ids))):
        shown = clean_name(row.alias, row.kind if row.kind != "anonymous" else "organization")
        if shown:  # "Mr. Obama said, not even" is "Mr. Obama"; "the president" is no name
            found.setdefault(row.identity, set()).add(shown)
    return {k: names_only(v) for k, v in found.items()}


def identity_evidence(conn: Connection, identity_id: int) -> list[dict]:
    """Why each article speaker is part of an identity: the rule, its evidence, a confidence."""
    return [dict(r._mapping) for r in conn.execute(
        select(speaker_joins.c.speaker_id, speakers.c.name, speakers.c.kind, speakers.c.key, speaker_joins.c.rule,
               speaker_joins.c.evidence, speaker_joins.c.confidence)
        .join(speakers, speakers.c.id == speaker_joins.c.speaker_id)
        .where(speaker_joins.c.identity_id == identity_id).order_by(speaker_joins.c.speaker_id))]


def article_ids(conn: Connection, *, not_made_by: str | None = None) -> list[int]:
    """Ids of the stored stories in order; with ``not_made_by``, those another extractor made
    (or none recorded), which ``reanalyze --where-stale`` analyses again."""
    query = select(articles.c.id).order_by(articles.c.id)
    if not_made_by is not None:
        query = query.where((articles.c.extractor != not_made_by) | articles.c.extractor.is_(None))
    return list(conn.execute(query).scalars())


def count_stored(conn: Connection) -> int:
    """How many stories the corpus stores, of every kind (``count_articles`` filters)."""
    return conn.execute(select(func.count()).select_from(articles)).scalar() or 0


def stored_article(conn: Connection, article_id: int):
    """The stored row of one story (text, metadata, record), or None."""
    return conn.execute(select(articles).where(articles.c.id == article_id)).first()


def articles_by_fingerprint(conn: Connection, fingerprints: list[str]) -> list[dict]:
    """The id, title, site, url, first publication and length of the stories with these fingerprints."""
    rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.site, articles.c.url,
                               articles.c.first_published, articles.c.length)
                        .where(articles.c.fingerprint.in_(fingerprints))).all()
    return [dict(r._mapping) for r in rows]


def find_article(conn: Connection, ref: str) -> int | None:
    """An article by id, or by the source (path, path:line, doc id, URL) of any of its inputs."""
    if ref.isdigit() and conn.execute(select(articles.c.id).where(articles.c.id == int(ref))).scalar():
        return int(ref)
    found = conn.execute(select(documents.c.article_id).where(documents.c.source == ref)).scalar()
    if found is None:
        found = conn.execute(select(appearances.c.article_id).where(appearances.c.url == ref)).scalar()
    return found


def article(conn: Connection, article_id: int) -> dict | None:
    """An article with its appearances and its statements (speakers as corpus ids)."""
    row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        return None
    data = {k: v for k, v in row._mapping.items() if k not in ("minhash", "record", "fingerprint")}
    data["record"] = json.loads(row.record)
    data["authors"] = split_authors(data.get("author"))
    data["appearances"] = [dict(r._mapping) for r in conn.execute(
        select(appearances.c.title, appearances.c.published, appearances.c.site, appearances.c.url,
               appearances.c.exact, appearances.c.similarity, documents.c.source)
        .join(documents, documents.c.id == appearances.c.document_id)
        .where(appearances.c.article_id == article_id).order_by(appearances.c.published, appearances.c.id))]
    data["statements"] = [dict(r._mapping) for r in conn.execute(
        select(statements.c.id, statements.c.local_id, speakers.c.name.label("speaker"), statements.c.speaker_id,
               statements.c.type, statements.c.kind, statements.c.content, statements.c.when_date)
        .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
        .where(statements.c.article_id == article_id).order_by(statements.c.content_start))]
    return data


def dispute_table(conn: Connection, *, limit: int = 100, offset: int = 0) -> list[dict]:
    """Claims beside the statements that deny them, with speakers and dates."""
    claim, denial = aliased(statements), aliased(statements)
    claimer, denier = aliased(speakers), aliased(speakers)
    claim_article, denial_article = aliased(articles), aliased(articles)
    stmt = (select(claim.c.id.label("claim_id"), claimer.c.name.label("claim_speaker"), claim.c.type.label("claim_type"),
                   claim.c.content.label("claim"),
                   func.coalesce(func.substr(claim.c.when_date, 1, 10), claim_article.c.first_published).label("claim_date"),
                   denial.c.id.label("denial_id"), denier.c.name.label("denial_speaker"),
                   denial.c.content.label("denial"),
                   func.coalesce(func.substr(denial.c.when_date, 1, 10),
                                 denial_article.c.first_published).label("denial_date"),
                   claim.c.article_id, disputes.c.scope, disputes.c.score, disputes.c.evidence)
            .select_from(disputes.join(claim, claim.c.id == disputes.c.claim_id)
                         .join(denial, denial.c.id == disputes.c.denial_id)
                         .join(claim_article, claim_article.c.id == claim.c.article_id)
                         .join(denial_article, denial_article.c.id == denial.c.article_id)
                         .outerjoin(claimer, claimer.c.id == claim.c.speaker_id)
                         .outerjoin(denier, denier.c.id == denial.c.speaker_id))
            .order_by(claim.c.article_id, claim.c.id, denial.c.id).limit(limit).offset(offset))
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    for row in rows:
        row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else None
    return rows


#: The columns of each export, in order, and the list columns among them (JSON arrays in JSONL
#: and Parquet, ``;``-joined in CSV). The README documents them column by column.
EXPORT_COLUMNS: dict[str, list[str]] = {
    "statements": ["id", "article_id", "local_id", "doc_id", "kind", "type", "confidence", "speaker", "speaker_id",
                   "speaker_text", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "content",
                   "content_start", "content_end", "context", "when_text", "when_date", "channel", "denies", "denied_by",
                   "quotation_id", "identity_id", "title", "source", "first_published"],
    "speakers": ["id", "name", "kind", "key", "identity_id", "identity", "person_id", "statements", "by_type",
                 "aliases", "articles"],
    "articles": ["id", "doc_id", "title", "site", "url", "author", "authors", "published", "first_published", "language",
                 "kind", "length", "appearances", "statements", "extractor", "text"],
    "quotes": ["quotation_id", "speaker_id", "speaker", "quotation", "statement_id", "article_id", "doc_id",
               "published", "site", "text", "relation", "changes"],
    "disputes": ["claim_id", "claim_article_id", "claim_doc_id", "claim_speaker", "claim_speaker_id", "claim",
                 "claim_published", "claim_site", "denial_id", "denial_article_id", "denial_doc_id", "denial_speaker",
                 "denial_speaker_id", "denial", "denial_published", "denial_site", "scope", "score", "evidence"],
}
LIST_COLUMNS = {"denies": "int", "denied_by": "int", "aliases": "str"}


def export_rows(conn: Connection, table: str, batch: int = 1000) -> Iterator[dict]:
    """Every row of ``statements``, ``speakers`` or ``articles``, in id order, in batches:
    each with what the corpus holds of it (a statement's links, a speaker's aliases and
    counts by type, an article's statement count)."""
    if table not in EXPORT_COLUMNS:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(EXPORT_COLUMNS)}")
    if table in ("quotes", "disputes"):
        from .record_queries import export_record_rows

        yield from export_record_rows(conn, table, batch)
        return
    last = 0
    while True:
        rows = _export_batch(conn, table, last, batch)
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def _export_batch(conn: Connection, table: str, after: int, size: int) -> list[dict]:
    """One batch of export rows, ids above ``after`` (keyset paging: no cursor stays open while
    the links of a batch are read, on SQLite and PostgreSQL alike)."""
    if table == "statements":
        stmt = (select(statements.c.id, statements.c.article_id, statements.c.local_id,
                       doc_id_column(conn).label("doc_id"), statements.c.kind, statements.c.type,
                       statements.c.confidence, speakers.c.name.label("speaker"), statements.c.speaker_id,
                       statements.c.speaker_text, statements.c.speaker_start, statements.c.speaker_end,
                       statements.c.cue, statements.c.cue_start, statements.c.cue_end, statements.c.content,
                       statements.c.content_start, statements.c.content_end, statements.c.when_text,
                       statements.c.when_date, statements.c.channel, articles.c.title,
                       articles.c.site.label("source"), articles.c.first_published,
                       _identity_of().label("identity_id"))
                .join(articles, articles.c.id == statements.c.article_id)
                .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
                .where(statements.c.id > after).order_by(statements.c.id).limit(size))
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        ids = [r["id"] for r in rows]
        denies: dict[int, list[int]] = {}
        denied_by: dict[int, list[int]] = {}
        if ids:
            links = select(disputes.c.claim_id, disputes.c.denial_id).where(
                or_(disputes.c.claim_id.in_(ids), disputes.c.denial_id.in_(ids))).order_by(
                disputes.c.claim_id, disputes.c.denial_id)
            for claim_id, denial_id in conn.execute(links):
                denies.setdefault(denial_id, []).append(claim_id)
                denied_by.setdefault(claim_id, []).append(denial_id)
        from .record_queries import statement_quotation

        quoted = statement_quotation(conn, ids)
        for r in rows:
            r["denies"], r["denied_by"] = denies.get(r["id"], []), denied_by.get(r["id"], [])
            r["quotation_id"] = quoted.get(r["id"])
        add_context(conn, rows)
    elif table == "speakers":
        stmt = (select(speakers.c.id, speakers.c.name, speakers.c.kind, speakers.c.key,
                       _identity_of().label("identity_id"), identities.c.name.label("identity"), identities.c.person_id)
                .outerjoin(identities, identities.c.id == speakers.c.identity_id)
                .where(speakers.c.id > after).order_by(speakers.c.id).limit(size))
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        ids = [r["id"] for r in rows]
        by_type: dict[int, dict[str, int]] = {}
        aliases: dict[int, list[str]] = {}
        in_articles: dict[int, int] = {}
        if ids:
            counted = (select(statements.c.speaker_id, statements.c.type, func.count().label("n"))
                       .where(statements.c.speaker_id.in_(ids)).group_by(statements.c.speaker_id, statements.c.type))
            for row in conn.execute(counted):
                by_type.setdefault(row.speaker_id, {})[row.type] = int(row.n)
            for row in conn.execute(select(speaker_aliases).where(speaker_aliases.c.speaker_id.in_(ids))):
                aliases.setdefault(row.speaker_id, []).append(row.alias)
            spread = (select(statements.c.speaker_id, func.count(func.distinct(statements.c.article_id)))
                      .where(statements.c.speaker_id.in_(ids)).group_by(statements.c.speaker_id))
            in_articles = {k: int(v) for k, v in conn.execute(spread)}
        for r in rows:
            types = by_type.get(r["id"], {})
            r["statements"] = sum(types.values())
            r["by_type"] = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
            r["aliases"] = sorted(aliases.get(r["id"], []))
            r["articles"] = in_articles.get(r["id"], 0)
    else:
        n_appearances = select(func.count()).where(appearances.c.article_id == articles.c.id).scalar_subquery()
        n_statements = select(func.count()).where(statements.c.article_id == articles.c.id).scalar_subquery()
        stmt = (select(articles.c.id, doc_id_column(conn).label("doc_id"), articles.c.title, articles.c.site,
                       articles.c.url, articles.c.author, articles.c.published, articles.c.first_published,
                       articles.c.language, articles.c.kind, articles.c.length, n_appearances.label("appearances"),
                       n_statements.label("statements"), articles.c.extractor, articles.c.text)
                .where(articles.c.id > after).order_by(articles.c.id).limit(size))
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        for r in rows:
            r["authors"] = split_authors(r["author"])
    return [{c: r.get(c) for c in EXPORT_COLUMNS[table]} for r in rows]


def corpus_counts(conn: Connection) -> dict[str, int]:
    """Totals for a corpus overview: ``statements`` as search lists them (news-like pages),
    ``not_news_statements`` those of not-news pages, kept in their records."""
    on_pages = select(func.count()).select_from(statements.join(articles, articles.c.id == statements.c.article_id))
    return {
        "articles": conn.execute(select(func.count()).select_from(articles)).scalar(),
        "appearances": conn.execute(select(func.count()).select_from(appearances)).scalar(),
        "statements": conn.execute(on_pages.where(news_pages())).scalar(),
        "not_news_statements": conn.execute(on_pages.where(~news_pages())).scalar(),
        "speakers": conn.execute(select(func.count(func.distinct(statements.c.speaker_id)))).scalar(),
        "failed_inputs": conn.execute(select(func.count()).select_from(documents)
                                      .where(and_(documents.c.outcome == "failed"))).scalar(),
    }


def identity_of(conn: Connection, speaker_id: int) -> int | None:
    """The id of the identity that the speaker ``speaker_id`` is in (its own id when it heads
    one, or before any relink); None when there is no such speaker."""
    return conn.execute(select(_identity_of()).where(speakers.c.id == speaker_id)).scalar()


def speaker(conn: Connection, speaker_id: int) -> dict | None:
    """A speaker across the corpus (an identity, or the identity an article speaker is in)
    with its names, counts by type and the evidence of every join."""
    identity_id = identity_of(conn, speaker_id)
    if identity_id is None:
        return None
    head = conn.execute(select(speakers.c.name, speakers.c.kind).where(speakers.c.id == identity_id)).first()
    ident = conn.execute(select(identities).where(identities.c.id == identity_id)).first()
    data = {"id": identity_id, "name": ident.name if ident else head.name, "kind": ident.kind if ident else head.kind,
            "person_id": ident.person_id if ident else None}
    data["aliases"] = _identity_aliases(conn, [identity_id]).get(identity_id, [])
    members = select(speakers.c.id).where(_in_identities([identity_id]))
    data["by_type"] = dict(conn.execute(select(statements.c.type, func.count()).where(
        statements.c.speaker_id.in_(members)).group_by(statements.c.type).order_by(func.count().desc())).all())
    data["statements"] = sum(data["by_type"].values())
    data["joins"] = identity_evidence(conn, identity_id)
    return data


@dataclass
class ArticleFilter:
    """Which articles a listing selects."""

    query: str = ""  # words in the title or text
    source: str | None = None
    since: str | None = None
    until: str | None = None


def _article_select(*columns, f: ArticleFilter):
    stmt = select(*columns).select_from(articles)
    for term in _TERM.findall(f.query or ""):
        pattern = f"%{term.lower()}%"
        stmt = stmt.where(or_(func.lower(articles.c.title).like(pattern), func.lower(articles.c.text).like(pattern)))
    if f.source:
        pattern = f"%{f.source.lower()}%"
        seen_at = select(appearances.c.article_id).where(or_(func.lower(appearances.c.site).like(pattern),
                                                             func.lower(appearances.c.url).like(pattern)))
        stmt = stmt.where(articles.c.id.in_(seen_at))
    if f.since:
        stmt = stmt.where(articles.c.first_published >= f.since)
    if f.until:
        stmt = stmt.where(articles.c.first_published <= f.until)
    return stmt


def find_articles(conn: Connection, f: ArticleFilter, *, limit: int = 20, offset: int = 0) -> list[dict]:
    """Articles, newest first, with how many statements and appearances each has."""
    n_statements = select(func.count()).where(statements.c.article_id == articles.c.id).scalar_subquery()
    n_appearances = select(func.count()).where(appearances.c.article_id == articles.c.id).scalar_subquery()
    stmt = _article_select(articles.c.id, articles.c.title, articles.c.site.label("source"), articles.c.url,
                           articles.c.first_published, articles.c.length, n_statements.label("statements"),
                           n_appearances.label("appearances"), f=f)
    stmt = stmt.order_by(articles.c.first_published.is_(None), articles.c.first_published.desc(), articles.c.id.desc())
    return [dict(row._mapping) for row in conn.execute(stmt.limit(limit).offset(offset))]


def count_articles(conn: Connection, f: ArticleFilter) -> int:
    """How many articles ``f`` selects."""
    return conn.execute(_article_select(func.count(), f=f)).scalar()


def article_facets(conn: Connection, f: ArticleFilter, name: str, limit: int = 10) -> list[dict]:
    """Counts of articles by ``source`` or ``day``."""
    value = {"source": articles.c.site, "day": articles.c.first_published}[name]
    n = func.count().label("count")
    stmt = (_article_select(value.label("value"), n, f=f).where(value.is_not(None))
            .group_by(value).order_by(n.desc(), value).limit(limit))
    return [dict(row._mapping) for row in conn.execute(stmt)]


def count_disputes(conn: Connection) -> int:
    """How many claim/denial links the corpus holds."""
    return conn.execute(select(func.count()).select_from(disputes)).scalar()

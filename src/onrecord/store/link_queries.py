"""The reads and writes of the linkers across articles: speakers with their forms and
dates, printings of quotations, claims and denials, and the indexes an incremental link
reads (``link_keys``, ``link_said``, ``link_words``).

Every function takes a caller's connection (the linkers run in one transaction) and,
where it reads a part of the corpus, the ids of that part (``None``: all of it).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Row

from .schema import (articles, disputes, identities, layout_text_column, link_keys, link_pending, link_said,
                     link_words, mentions, news_pages, people,
                     quotation_members, quotations, speaker_aliases, speaker_joins, speaker_overrides, speakers,
                     statements)

#: Ids bound in one ``IN (...)``: below SQLite's and PostgreSQL's limits on parameters.
CHUNK = 900
#: An advisory lock id for PostgreSQL: one relink at a time.
_LOCK = 0x6F6E7265


def lock_links(conn: Connection) -> None:
    """Hold the corpus's link lock until the transaction ends (PostgreSQL; SQLite has one writer)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})


def link_totals(conn: Connection) -> dict[str, int]:
    """What the links hold: speakers, identities, joins, quotations, disputes across articles."""
    def count(table, *where) -> int:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0

    return {"speakers": count(speakers), "identities": count(identities), "joins": count(speaker_joins),
            "quotations": count(quotations), "corpus_disputes": count(disputes, disputes.c.scope == "corpus")}


def has_unlinked_speakers(conn: Connection) -> bool:
    """Whether some stored speaker has no identity (a corpus stored before linking)."""
    return conn.execute(select(speakers.c.id).where(speakers.c.identity_id.is_(None)).limit(1)).first() is not None


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``size``, sorted, so that queries bind few parameters."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _where_in(query, column, ids: Collection[int] | None) -> Iterator:
    """``query`` once (all rows) or once per chunk of ``ids``."""
    if ids is None:
        yield query
        return
    for part in chunks(ids):
        yield query.where(column.in_(part))


def pending(conn: Connection) -> set[int]:
    """The stories stored (or dated earlier) since the last link."""
    return set(conn.execute(select(link_pending.c.article_id)).scalars())


def clear_pending(conn: Connection, article_ids: Collection[int] | None = None) -> None:
    """Forget that these stories (all: None) wait for linking."""
    if article_ids is None:
        conn.execute(delete(link_pending))
        return
    for part in chunks(article_ids):
        conn.execute(delete(link_pending).where(link_pending.c.article_id.in_(part)))


# -- speakers and identities ---------------------------------------------------------------------

def speaker_rows(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """Speakers (id, key, name, kind), all or those with ``ids``, by id."""
    rows: list[Row] = []
    for q in _where_in(select(speakers.c.id, speakers.c.key, speakers.c.name, speakers.c.kind), speakers.c.id, ids):
        rows.extend(conn.execute(q))
    return sorted(rows, key=lambda r: r.id)


def alias_rows(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """(speaker_id, alias) of the speakers."""
    rows: list[Row] = []
    base = select(speaker_aliases.c.speaker_id, speaker_aliases.c.alias).order_by(speaker_aliases.c.speaker_id,
                                                                                  speaker_aliases.c.alias)
    for q in _where_in(base, speaker_aliases.c.speaker_id, ids):
        rows.extend(conn.execute(q))
    return rows


def speaker_quotes(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """(speaker_id, article_id, kind, content) of the speakers' direct and mixed statements
    on news pages: the quotations printed under each speaker's name."""
    base = (select(statements.c.speaker_id, statements.c.article_id, statements.c.kind, statements.c.content)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(statements.c.kind.in_(("direct", "mixed")), news_pages())
            .order_by(statements.c.id))
    rows: list[Row] = []
    for q in _where_in(base, statements.c.speaker_id, ids):
        rows.extend(conn.execute(q))
    return rows


def mention_counts(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """Per speaker, article and mention text: how many mentions, and the article's first date."""
    base = (select(mentions.c.speaker_id, mentions.c.article_id, mentions.c.text, func.count().label("n"),
                   articles.c.first_published)
            .join(articles, articles.c.id == mentions.c.article_id)
            .group_by(mentions.c.speaker_id, mentions.c.article_id, mentions.c.text, articles.c.first_published))
    rows: list[Row] = []
    for q in _where_in(base, mentions.c.speaker_id, ids):
        rows.extend(conn.execute(q))
    return sorted(rows, key=lambda r: (r.speaker_id, r.article_id, r.text))


def people_rows(conn: Connection) -> list[Row]:
    """The people a user pinned."""
    return list(conn.execute(select(people)))


def override_rows(conn: Connection) -> list[Row]:
    """The user's merges and splits, in the order they were made."""
    return list(conn.execute(select(speaker_overrides).order_by(speaker_overrides.c.id)))


def article_text(conn: Connection, article_id: int) -> str:
    """One article's text."""
    return conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar() or ""


def speakers_of_articles(conn: Connection, article_ids: Collection[int]) -> set[int]:
    """The speakers mentioned in, or speaking in, the given articles."""
    found: set[int] = set()
    for part in chunks(article_ids):
        found.update(conn.execute(select(mentions.c.speaker_id).where(mentions.c.article_id.in_(part))).scalars())
        found.update(conn.execute(select(statements.c.speaker_id).where(
            statements.c.article_id.in_(part), statements.c.speaker_id.is_not(None))).scalars())
    return found


def speakers_without_keys(conn: Connection) -> list[Row]:
    """Speakers (id, key, name, kind) whose joining keys are not stored yet (new ones)."""
    keyed = select(link_keys.c.speaker_id)
    return list(conn.execute(select(speakers.c.id, speakers.c.key, speakers.c.name, speakers.c.kind)
                             .where(speakers.c.id.not_in(keyed))))


def replace_keys(conn: Connection, rows: Sequence[dict]) -> None:
    """Replace every speaker's joining keys."""
    conn.execute(delete(link_keys))
    write_keys(conn, rows)


def write_keys(conn: Connection, rows: Sequence[dict]) -> None:
    """Store joining keys: ``{"speaker_id", "key"}`` rows."""
    if rows:
        conn.execute(insert(link_keys), list(rows))


def keys_of(conn: Connection, speaker_ids: Collection[int]) -> list[Row]:
    """(speaker_id, key) of the given speakers."""
    rows: list[Row] = []
    for q in _where_in(select(link_keys.c.speaker_id, link_keys.c.key), link_keys.c.speaker_id, speaker_ids):
        rows.extend(conn.execute(q))
    return rows


def speakers_with_keys(conn: Connection, keys: Collection[str]) -> set[int]:
    """The speakers holding any of ``keys``."""
    found: set[int] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), CHUNK):
        found.update(conn.execute(select(link_keys.c.speaker_id)
                                  .where(link_keys.c.key.in_(ordered[start:start + CHUNK]))).scalars())
    return found


def identity_members(conn: Connection, speaker_ids: Collection[int]) -> dict[int, int | None]:
    """Each given speaker's identity id now."""
    out: dict[int, int | None] = {}
    for q in _where_in(select(speakers.c.id, speakers.c.identity_id), speakers.c.id, speaker_ids):
        out.update({r.id: r.identity_id for r in conn.execute(q)})
    return out


def identity_rows(conn: Connection, ids: Collection[int] | None = None) -> list[Row]:
    """Identities (id, name, kind, named, person_id)."""
    rows: list[Row] = []
    for q in _where_in(select(identities), identities.c.id, ids):
        rows.extend(conn.execute(q))
    return rows


def replace_identities(conn: Connection, identity_rows_: Sequence[dict], join_rows: Sequence[dict],
                       speaker_rows_: Sequence[dict], *, old_ids: Collection[int] | None = None,
                       speaker_ids: Collection[int] | None = None) -> None:
    """Put identities, joins and each speaker's identity and surname in place: of the whole
    corpus (no ids given), or of ``speaker_ids`` and the identities ``old_ids`` they had."""
    if old_ids is None or speaker_ids is None:
        conn.execute(delete(speaker_joins))
        conn.execute(delete(identities))
    else:
        for part in chunks(speaker_ids):
            conn.execute(delete(speaker_joins).where(speaker_joins.c.speaker_id.in_(part)))
        for part in chunks(old_ids):
            conn.execute(delete(identities).where(identities.c.id.in_(part)))
    if identity_rows_:
        conn.execute(insert(identities), list(identity_rows_))
    if join_rows:
        conn.execute(insert(speaker_joins), list(join_rows))
    if speaker_rows_:
        conn.execute(update(speakers).where(speakers.c.id == bindparam("sid")).values(
            identity_id=bindparam("identity"), surname=bindparam("surname")), list(speaker_rows_))


def identity_words(conn: Connection, identity_ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    """(identity id, a name or alias of it) for every name its speakers go by."""
    rows: list[tuple[int, str]] = []
    base = (select(speakers.c.identity_id, speaker_aliases.c.alias)
            .join(speaker_aliases, speaker_aliases.c.speaker_id == speakers.c.id))
    for q in _where_in(base, speakers.c.identity_id, identity_ids):
        rows.extend((r.identity_id, r.alias) for r in conn.execute(q))
    for q in _where_in(select(identities.c.id, identities.c.name), identities.c.id, identity_ids):
        rows.extend((r.id, r.name) for r in conn.execute(q))
    return rows


# -- quotations ----------------------------------------------------------------------------------

def quoted_rows(conn: Connection, identity_ids: Collection[int] | None = None) -> list[Row]:
    """Direct and mixed statements of identified speakers, with their article's date, site,
    dateline and byline (where a wire agency is credited)."""
    base = (select(statements.c.id, statements.c.article_id, statements.c.kind, statements.c.content,
                   speakers.c.identity_id, articles.c.first_published, articles.c.site,
                   layout_text_column(conn, "dateline").label("dateline"),
                   layout_text_column(conn, "byline").label("byline"))
            .join(speakers, speakers.c.id == statements.c.speaker_id)
            .join(articles, articles.c.id == statements.c.article_id)
            .where(statements.c.kind.in_(("direct", "mixed")), speakers.c.identity_id.is_not(None), news_pages()))
    rows: list[Row] = []
    for q in _where_in(base, speakers.c.identity_id, identity_ids):
        rows.extend(conn.execute(q))
    return sorted(rows, key=lambda r: r.id)


def replace_quotations(conn: Connection, quotation_rows: Sequence[dict], member_rows: Sequence[dict],
                       identity_ids: Collection[int] | None = None) -> None:
    """Put quotations in place: all of them, or those of ``identity_ids``."""
    if identity_ids is None:
        conn.execute(delete(quotation_members))
        conn.execute(delete(quotations))
    else:
        for part in chunks(identity_ids):
            ids = select(quotations.c.id).where(quotations.c.identity_id.in_(part))
            conn.execute(delete(quotation_members).where(quotation_members.c.quotation_id.in_(ids)))
            conn.execute(delete(quotations).where(quotations.c.identity_id.in_(part)))
    if quotation_rows:
        conn.execute(insert(quotations), list(quotation_rows))
    if member_rows:
        conn.execute(insert(quotation_members), list(member_rows))


# -- claims and denials --------------------------------------------------------------------------

def said_rows(conn: Connection, kinds: Collection[str], ids: Collection[int] | None = None,
              article_ids: Collection[int] | None = None) -> list[Row]:
    """Statements of the given types (all, those with ``ids``, or those of ``article_ids``)
    with their speaker's identity and name and their article's first date."""
    base = (select(statements.c.id, statements.c.article_id, statements.c.type, statements.c.content,
                   statements.c.cue_start, statements.c.content_start, statements.c.speaker_id,
                   speakers.c.identity_id, identities.c.name.label("speaker"), articles.c.first_published)
            .join(articles, articles.c.id == statements.c.article_id)
            .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
            .outerjoin(identities, identities.c.id == speakers.c.identity_id)
            .where(statements.c.type.in_(tuple(kinds)), news_pages()))
    rows: list[Row] = []
    if article_ids is not None:
        for part in chunks(article_ids):
            rows.extend(conn.execute(base.where(statements.c.article_id.in_(part))))
    else:
        for q in _where_in(base, statements.c.id, ids):
            rows.extend(conn.execute(q))
    return sorted(rows, key=lambda r: r.id)


def statements_of_speakers(conn: Connection, speaker_ids: Collection[int], kinds: Collection[str]) -> set[int]:
    """Ids of the given speakers' statements of the given types."""
    found: set[int] = set()
    for part in chunks(speaker_ids):
        found.update(conn.execute(select(statements.c.id).where(
            statements.c.speaker_id.in_(part), statements.c.type.in_(tuple(kinds)))).scalars())
    return found


def article_disputes(conn: Connection) -> list[Row]:
    """(claim_id, denial_id) of the links each article's own record holds."""
    return list(conn.execute(select(disputes.c.claim_id, disputes.c.denial_id).where(disputes.c.scope != "corpus")))


def first_printings(conn: Connection, statement_ids: Collection[int]) -> dict[int, int]:
    """For each of ``statement_ids`` that prints a quotation and is not its first printing:
    the first printing's statement id."""
    found: dict[int, int] = {}
    for part in chunks(statement_ids):
        rows = conn.execute(select(quotation_members.c.statement_id, quotations.c.first_statement_id)
                            .join(quotations, quotations.c.id == quotation_members.c.quotation_id)
                            .where(quotation_members.c.statement_id.in_(part),
                                   quotation_members.c.relation != "first"))
        found.update({r.statement_id: r.first_statement_id for r in rows})
    return found


def denials_restating(conn: Connection, identity_ids: Collection[int]) -> set[int]:
    """The denials whose own story links them to a claim of one of ``identity_ids``."""
    found: set[int] = set()
    for part in chunks(identity_ids):
        found.update(conn.execute(
            select(disputes.c.denial_id).join(statements, statements.c.id == disputes.c.claim_id)
            .join(speakers, speakers.c.id == statements.c.speaker_id)
            .where(disputes.c.scope != "corpus", speakers.c.identity_id.in_(part))).scalars())
    return found


def corpus_disputes(conn: Connection) -> list[Row]:
    """The stored links across articles (claim_id, denial_id, score, evidence JSON)."""
    return list(conn.execute(select(disputes.c.claim_id, disputes.c.denial_id, disputes.c.score,
                                    disputes.c.evidence).where(disputes.c.scope == "corpus")))


def replace_corpus_disputes(conn: Connection, rows: Sequence[dict]) -> None:
    """Put the links across articles in place (the article-scope links stay)."""
    conn.execute(delete(disputes).where(disputes.c.scope == "corpus"))
    if rows:
        conn.execute(insert(disputes), [{**r, "scope": "corpus", "evidence": json.dumps(r["evidence"])}
                                        for r in rows])


def preamble(conn: Connection, article_id: int, start: int, end: int) -> str:
    """The article's characters ``start``..``end`` (a denial's words between cue and content)."""
    return conn.execute(select(func.substr(articles.c.text, start + 1, end - start))
                        .where(articles.c.id == article_id)).scalar() or ""


def write_said(conn: Connection, said: Sequence[dict], words: Sequence[dict],
               statement_ids: Collection[int] | None = None) -> None:
    """Replace the dispute index (all of it, or the rows of ``statement_ids``)."""
    if statement_ids is None:
        conn.execute(delete(link_words))
        conn.execute(delete(link_said))
    else:
        for part in chunks(statement_ids):
            conn.execute(delete(link_words).where(link_words.c.statement_id.in_(part)))
            conn.execute(delete(link_said).where(link_said.c.statement_id.in_(part)))
    if said:
        conn.execute(insert(link_said), list(said))
    if words:
        conn.execute(insert(link_words), list(words))


def said_in_window(conn: Connection, lo: int | None, hi: int | None) -> int:
    """How many indexed claims and denials were printed from day ``lo`` to ``hi`` (all: None)."""
    q = select(func.count()).select_from(link_said).where(link_said.c.words > 0)
    if lo is not None and hi is not None:
        q = q.where(link_said.c.day.between(lo, hi))
    return conn.execute(q).scalar() or 0


def word_counts(conn: Connection, words: Collection[str], lo: int | None, hi: int | None) -> dict[str, int]:
    """How many indexed claims and denials printed from day ``lo`` to ``hi`` hold each word."""
    q = select(link_words.c.word, func.count()).where(link_words.c.word.in_(sorted(words)))
    if lo is not None and hi is not None:
        q = q.where(link_words.c.day.between(lo, hi))
    return dict(conn.execute(q.group_by(link_words.c.word)).all())


def sharing(conn: Connection, words: Collection[str], claim: bool, at_least: int,
            lo: int | None = None, hi: int | None = None) -> set[int]:
    """Claims (or denials) sharing ``at_least`` of ``words``, printed from ``lo`` to ``hi``
    or undated (any day: None)."""
    q = select(link_words.c.statement_id).where(link_words.c.word.in_(sorted(words)), link_words.c.claim == claim)
    if lo is not None and hi is not None:
        q = q.where(or_(link_words.c.day.is_(None), link_words.c.day.between(lo, hi)))
    q = q.group_by(link_words.c.statement_id).having(func.count() >= at_least)
    return set(conn.execute(q).scalars())


def unindexed(conn: Connection, kinds: Collection[str]) -> set[int]:
    """Statements of the given types not in the dispute index yet."""
    return set(conn.execute(select(statements.c.id).where(
        statements.c.type.in_(tuple(kinds)), statements.c.id.not_in(select(link_said.c.statement_id)))).scalars())


def statements_of_articles(conn: Connection, article_ids: Collection[int]) -> set[int]:
    """Ids of the given articles' statements."""
    found: set[int] = set()
    for part in chunks(article_ids):
        found.update(conn.execute(select(statements.c.id).where(statements.c.article_id.in_(part))).scalars())
    return found


def denials_dated(conn: Connection, lo: int, hi: int) -> set[int]:
    """Indexed denials printed from day ``lo`` to ``hi``."""
    return set(conn.execute(select(link_said.c.statement_id).where(
        link_said.c.claim.is_(False), link_said.c.day.between(lo, hi))).scalars())


def undated_denials(conn: Connection) -> set[int]:
    """Indexed denials without a day."""
    return set(conn.execute(select(link_said.c.statement_id).where(
        link_said.c.claim.is_(False), link_said.c.day.is_(None))).scalars())

"""Reading the corpus for the index pages: every speaker and every article, sorted and
filtered, a speaker's statements by week, and the disputes a speaker is on either side of.

Built on ``queries`` (the same identities, the same statement dates, the same filters), so
that an index and the pages it links to count alike. Every list is bounded by a limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Date, case, cast, func, select

from . import queries, record_queries
from .schema import appearances, articles, speaker_joins, statements

_WORD = re.compile(r"\w+", re.UNICODE)

#: How a speaker index may be sorted: most statements first, or by name.
SPEAKER_SORTS = ("statements", "name")
#: How an article index may be sorted.
ARTICLE_SORTS = ("newest", "oldest", "title")
#: Words of an untitled story's text that make its label.
LABEL_WORDS = 8
#: Characters of an article's text read to make a label (enough for ``LABEL_WORDS`` words).
OPENING_CHARS = 160


def article_label(title: str | None, opening: str | None = None, source: str | None = None,
                  published: str | None = None) -> str:
    """What a listing calls an article: its title; an untitled story by its first words
    (``"Mayor attacks government over harbour PORTHAVEN, June 1…"``), or else by outlet and
    date, so that no story is only a number."""
    if title and title.strip():
        return title.strip()
    words = (opening or "").split()
    if words:
        return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")
    where = " · ".join(p for p in (source, published) if p)
    return f"Untitled story ({where})" if where else "Untitled story"


def _opening():
    return func.substr(articles.c.text, 1, OPENING_CHARS)


def article_openings(conn: Connection, ids: set[int]) -> dict[int, str]:
    """The first characters of the text of these articles (to label the untitled ones)."""
    if not ids:
        return {}
    return dict(conn.execute(select(articles.c.id, _opening()).where(articles.c.id.in_(ids))).all())


def label_statement_rows(conn: Connection, rows: list[dict]) -> list[dict]:
    """Give each statement row an ``article_label`` (its article's title, or the first words of
    an untitled one), reading the text only of the untitled articles."""
    untitled = {r["article_id"] for r in rows if not (r.get("title") or "").strip()}
    openings = article_openings(conn, untitled)
    for r in rows:
        r["article_label"] = article_label(r.get("title"), openings.get(r["article_id"]), r.get("source"),
                                           r.get("date"))
    return rows


# --- speakers ---------------------------------------------------------------------------

def _speaker_select(name: str | None, kind: str | None, descriptions: bool, include_not_news: bool = False):
    """Identities with statements, named like ``name``, of ``kind`` (as ``queries.speaker_table``)."""
    stmt, counted, _ = queries._identity_rows(name, descriptions, include_not_news)
    listed = stmt.subquery("listed")
    chosen = select(listed)
    if kind:
        chosen = chosen.where(listed.c.kind == kind)
    return chosen, listed, counted


def speaker_index(conn: Connection, *, name: str | None = None, kind: str | None = None, sort: str = "statements",
                  descriptions: bool = False, limit: int = 50, offset: int = 0,
                  include_not_news: bool = False) -> list[dict]:
    """A page of speakers across the corpus, by most statements or by name, each with its
    counts by type, its names (no pronouns) and how many article speakers were joined in it
    (statements of not-news pages counted only with ``include_not_news``)."""
    if sort not in SPEAKER_SORTS:
        raise ValueError(f"sort: one of {', '.join(SPEAKER_SORTS)}")
    stmt, listed, counted = _speaker_select(name, kind, descriptions, include_not_news)
    if sort == "name":
        stmt = stmt.order_by(func.lower(listed.c.name), listed.c.id)
    else:
        stmt = stmt.order_by(listed.c.statements.desc(), func.lower(listed.c.name), listed.c.id)
    rows = [dict(r._mapping) for r in conn.execute(stmt.limit(limit).offset(offset))]
    ids = [r["id"] for r in rows]
    by_type: dict[int, dict[str, int]] = {}
    if ids:
        for r in conn.execute(select(counted).where(counted.c.identity.in_(ids))):
            by_type.setdefault(r.identity, {})[r.type] = int(r.n)
        joined = dict(conn.execute(select(speaker_joins.c.identity_id, func.count()).where(
            speaker_joins.c.identity_id.in_(ids)).group_by(speaker_joins.c.identity_id)).all())
    else:
        joined = {}
    aliases = queries._identity_aliases(conn, ids)
    for r in rows:
        r["statements"] = int(r["statements"])
        r["by_type"] = dict(sorted(by_type.get(r["id"], {}).items(), key=lambda kv: (-kv[1], kv[0])))
        r["aliases"] = aliases.get(r["id"], [])
        r["joined"] = int(joined.get(r["id"], 0))
    return rows


def kinds_total(kinds: list[dict], kind: str | None = None) -> int:
    """How many speakers ``speaker_index`` pages through, from every kind's count of
    ``speaker_kinds`` (a page that shows the kinds needs no second count over the corpus)."""
    return sum(k["count"] for k in kinds if kind is None or k["value"] == kind)


def speaker_kinds(conn: Connection, *, name: str | None = None, descriptions: bool = False,
                  limit: int | None = 20, include_not_news: bool = False) -> list[dict]:
    """How many speakers of each kind (person, organization ...) match ``name``: the choices
    of the kind filter, with their counts (every kind with ``limit=None``)."""
    stmt, _, _ = queries._identity_rows(name, descriptions, include_not_news)
    listed = stmt.subquery()
    n = func.count().label("count")
    return [dict(r._mapping) for r in conn.execute(
        select(listed.c.kind.label("value"), n).group_by(listed.c.kind).order_by(n.desc(), listed.c.kind)
        .limit(limit))]


# --- articles ---------------------------------------------------------------------------

@dataclass
class ArticleIndexFilter:
    """Which articles the index lists: an outlet (part of a site or URL where the article
    appeared), a date range of first publication, words of the title."""

    source: str | None = None
    since: str | None = None
    until: str | None = None
    title: str = ""


def _article_index_select(*columns, f: ArticleIndexFilter):
    stmt = queries._article_select(*columns, f=queries.ArticleFilter(source=f.source, since=f.since, until=f.until))
    for word in _WORD.findall(f.title or ""):
        stmt = stmt.where(func.lower(articles.c.title).like(f"%{word.lower()}%"))
    return stmt


def article_index(conn: Connection, f: ArticleIndexFilter, *, sort: str = "newest", limit: int = 20,
                  offset: int = 0) -> list[dict]:
    """A page of articles (newest first, oldest first or by title), each with a label, its
    outlet, its first publication and how many statements and appearances it has."""
    if sort not in ARTICLE_SORTS:
        raise ValueError(f"sort: one of {', '.join(ARTICLE_SORTS)}")
    n_statements = select(func.count()).where(statements.c.article_id == articles.c.id).scalar_subquery()
    n_appearances = select(func.count()).where(appearances.c.article_id == articles.c.id).scalar_subquery()
    stmt = _article_index_select(articles.c.id, articles.c.title, articles.c.site.label("source"), articles.c.url,
                                 articles.c.first_published, articles.c.length, n_statements.label("statements"),
                                 n_appearances.label("appearances"), _opening().label("opening"), f=f)
    undated = articles.c.first_published.is_(None)
    if sort == "oldest":
        stmt = stmt.order_by(undated, articles.c.first_published, articles.c.id)
    elif sort == "title":
        stmt = stmt.order_by(articles.c.title.is_(None), func.lower(articles.c.title), articles.c.id)
    else:
        stmt = stmt.order_by(undated, articles.c.first_published.desc(), articles.c.id.desc())
    rows = [dict(r._mapping) for r in conn.execute(stmt.limit(limit).offset(offset))]
    for r in rows:
        opening = r.pop("opening")
        r["label"] = article_label(r["title"], opening, r["source"], r["first_published"])
    return rows


def count_article_index(conn: Connection, f: ArticleIndexFilter) -> int:
    """How many articles ``article_index`` pages through."""
    return conn.execute(_article_index_select(func.count(), f=f)).scalar()


def article_outlets(conn: Connection, f: ArticleIndexFilter, limit: int = 20) -> list[dict]:
    """The outlets of the selected articles (where each was first stored), most articles first."""
    n = func.count().label("count")
    stmt = (_article_index_select(articles.c.site.label("value"), n, f=f).where(articles.c.site.is_not(None))
            .group_by(articles.c.site).order_by(n.desc(), articles.c.site).limit(limit))
    return [dict(r._mapping) for r in conn.execute(stmt)]


# --- one speaker --------------------------------------------------------------------------

def _week_of(day, dialect: str):
    """The Monday of the ISO week of ``day`` (an ISO date string), as ``YYYY-MM-DD``."""
    if dialect == "postgresql":
        return func.to_char(func.date_trunc("week", cast(day, Date)), "YYYY-MM-DD")
    return func.date(day, "-6 days", "weekday 1")


def _full_day(day):
    """``day`` when it is a whole ISO date (``YYYY-MM-DD``), else NULL (a month, a year)."""
    return case((func.length(day) == 10, day), else_=None)


def statements_by_week(conn: Connection, f: queries.StatementFilter, limit: int = 1000) -> dict:
    """How many of the statements ``f`` selects were made each week (weeks as their Monday,
    oldest first, at most ``limit`` weeks with statements), and how many have no date to the
    day: none, or only a month or a year (``last August`` resolves to ``2016-08``), which
    no week holds."""
    day = _full_day(func.substr(queries._date_of(), 1, 10))
    week = _week_of(day, conn.dialect.name).label("week")
    n = func.count().label("count")
    grouped = (queries._statement_select(week, n, f=f, dialect=conn.dialect.name)
               .group_by(week).order_by(week.is_not(None), week).limit(limit + 1))  # NULL (undated) first
    weeks, undated = [], 0
    for r in conn.execute(grouped):
        if r.week is None:
            undated = int(r.count)
        elif len(weeks) < limit:
            weeks.append({"week": r.week, "count": int(r.count)})
    return {"weeks": weeks, "undated": int(undated)}


def speaker_disputes(conn: Connection, identity_id: int, *, limit: int = 50) -> list[dict]:
    """The claim/denial pairs this speaker (every article speaker of the identity) is on
    either side of: ``role`` is ``denies`` when this speaker made the denial (the other side
    is the claim), ``denied`` when someone denies what this speaker said."""
    pairs = record_queries.dispute_rows(conn, f=record_queries.DisputeFilter(identity_id=identity_id), limit=limit)
    untitled = {d[side]["article_id"] for d in pairs for side in ("claim", "denial") if not d[side]["title"]}
    openings = article_openings(conn, untitled)
    for d in pairs:
        for side in ("claim", "denial"):
            s = d[side]
            s["article_label"] = article_label(s["title"], openings.get(s["article_id"]), s["site"], s["published"])
        d["role"] = "denies" if d["denial"]["speaker_id"] == identity_id else "denied"
    return pairs

"""``Corpus``: the one library door to a stored corpus, as sqlite-utils' ``Database`` is.

The command line, the pages and the API ask a ``Corpus`` for articles, statements, speakers,
quotations, disputes and counts, so one concept has one row shape on every surface, and every
listing says how many rows it stopped short of (``Listing.total``): a listing that
ends early can say so and how to see more.

The store's queries stay in ``store/``; this module decides which query answers which
question and what a row looks like, and opens no SQL of its own. The filters those questions
take (``StatementFilter`` ...) and what a slow one raises (``QueryTimeout``) are named here
too, so that the pages and the API need nothing of the store's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from ..lexicon import Lexicon
from ..store import factcheck_queries, index_queries, queries, record_queries, search_queries, watch_queries
from ..store.db import QueryTimeout as QueryTimeout, deadline as deadline
from ..store.db import database_url, describe, make_engine, upgrade
from ..store.index_queries import ArticleIndexFilter as ArticleIndexFilter
from ..store.queries import ArticleFilter as ArticleFilter, StatementFilter as StatementFilter
from ..store.record_queries import DisputeFilter as DisputeFilter

if TYPE_CHECKING:
    from ..record.factchecks import FactCheck
    from ..record.relink import RelinkSummary


@dataclass
class Listing:
    """One page of rows and how many rows the same question has in all."""

    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int = 0
    noun: str = "rows"

    @property
    def more(self) -> bool:
        """Whether rows past this page exist."""
        return self.offset + len(self.rows) < self.total

    def stopped_early(self) -> str | None:
        """A line saying that the listing stopped short, and how to see the rest; None when complete."""
        if not self.more:
            return None
        first, last = self.offset + 1, self.offset + len(self.rows)
        return (f"showing {self.noun} {first}-{last} of {self.total}; "
                f"see more with --limit {min(self.total, 100_000)} or --offset {last}")


@dataclass
class Corpus:
    """A stored corpus, opened on a database URL (or a SQLite file); every interface's way in."""

    engine: Engine
    url: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, db: str | None = None, *, writer: bool = False) -> Corpus:
        """Open (creating or upgrading as needed) the corpus at ``db``, ``$ONRECORD_DB`` or onrecord.db."""
        url = database_url(db)
        engine = make_engine(url, writer=writer)
        upgrade(engine)
        return cls(engine, url)

    @property
    def name(self) -> str:
        """How the corpus is named to people: a file's path, or a URL without password."""
        return describe(self.url) if self.url else str(self.engine.url)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for one question (pages keep theirs for one request)."""
        with self.engine.connect() as conn:
            yield conn

    # -- overview -----------------------------------------------------------------------------

    def counts(self, conn: Connection | None = None) -> dict[str, int]:
        """Totals as every surface shows them: ``speakers`` counts what ``speakers()`` lists
        (identities with statements, named), ``article_speakers`` the speakers of single
        articles before they were joined across stories."""
        with self._conn(conn) as c:
            counts = queries.corpus_counts(c)
            counts["article_speakers"] = counts.pop("speakers")
            counts["speakers"] = queries.count_speakers(c)
            return counts

    # -- articles -----------------------------------------------------------------------------

    def article(self, article_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """One article with its appearances, its statements and its full record; None if none."""
        with self._conn(conn) as c:
            return queries.article(c, article_id)

    def find_article(self, ref: str, conn: Connection | None = None) -> int | None:
        """The id of the article an id, a path, path:line or URL of one of its inputs names."""
        with self._conn(conn) as c:
            return queries.find_article(c, ref)

    def find_articles(self, f: ArticleFilter, *, limit: int = 20, offset: int = 0,
                      conn: Connection | None = None) -> list[dict[str, Any]]:
        """A page of the articles ``f`` selects, newest first, with their numbers of statements and appearances."""
        with self._conn(conn) as c:
            return queries.find_articles(c, f, limit=limit, offset=offset)

    def count_articles(self, f: ArticleFilter, conn: Connection | None = None) -> int:
        """How many articles ``f`` selects."""
        with self._conn(conn) as c:
            return queries.count_articles(c, f)

    def article_facets(self, f: ArticleFilter, name: str, *, limit: int = 10,
                       conn: Connection | None = None) -> list[dict[str, Any]]:
        """How many of the articles ``f`` selects have each ``source`` or ``day``, the commonest first."""
        with self._conn(conn) as c:
            return queries.article_facets(c, f, name, limit=limit)

    def label_articles(self, rows: list[dict[str, Any]], conn: Connection | None = None) -> list[dict[str, Any]]:
        """Give each row of ``find_articles`` its ``label``: its title, an untitled story's first
        words, or else its outlet and date, so that no story is only a number."""
        with self._conn(conn) as c:
            openings = index_queries.article_openings(c, {a["id"] for a in rows if not (a["title"] or "").strip()})
        for a in rows:
            a["label"] = index_queries.article_label(a["title"], openings.get(a["id"]), a["source"],
                                                     a["first_published"])
        return rows

    def article_index(self, f: ArticleIndexFilter, *, sort: str = "newest", limit: int = 20, offset: int = 0,
                      conn: Connection | None = None) -> list[dict[str, Any]]:
        """A page of the article index (newest, oldest or by title), each article with its label and outlet."""
        with self._conn(conn) as c:
            return index_queries.article_index(c, f, sort=sort, limit=limit, offset=offset)

    def count_article_index(self, f: ArticleIndexFilter, conn: Connection | None = None) -> int:
        """How many articles the index pages through for ``f``."""
        with self._conn(conn) as c:
            return index_queries.count_article_index(c, f)

    def article_outlets(self, f: ArticleIndexFilter, *, limit: int = 20,
                        conn: Connection | None = None) -> list[dict[str, Any]]:
        """The outlets of the articles ``f`` selects, most articles first."""
        with self._conn(conn) as c:
            return index_queries.article_outlets(c, f, limit=limit)

    # -- statements and search ----------------------------------------------------------------

    def find_statements(self, f: StatementFilter, *, limit: int = 20, offset: int = 0, order: str = "rank",
                        conn: Connection | None = None) -> list[dict[str, Any]]:
        """A page of the statements ``f`` selects: best match first for words, else newest first
        (``order="time"``: oldest first, as a speaker's record reads)."""
        with self._conn(conn) as c:
            return queries.find_statements(c, f, limit=limit, offset=offset, order=order)

    def search(self, query: str = "", *, speaker: str | None = None, type: str | None = None,
               since: str | None = None, until: str | None = None, source: str | None = None,
               min_confidence: float | None = None, limit: int = 20, offset: int = 0,
               include_not_news: bool = False, conn: Connection | None = None) -> list[dict[str, Any]]:
        """Statements matching a full-text query and filters, best first (``onrecord search``)."""
        with self._conn(conn) as c:
            return queries.search(c, query, speaker=speaker, type=type, since=since, until=until, source=source,
                                  min_confidence=min_confidence, limit=limit, offset=offset,
                                  include_not_news=include_not_news)

    def statement(self, statement_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """One statement with its article, speaker, spans, context and links, and the
        fact-checkers' verdicts on the claim it makes (``factchecks``); None if none."""
        with self._conn(conn) as c:
            row = queries.statement(c, statement_id)
            if row is not None:
                row["factchecks"] = factcheck_queries.checks_of(c, [statement_id]).get(statement_id, [])
            return row

    def count_statements(self, f: StatementFilter, conn: Connection | None = None) -> int:
        """How many statements ``f`` selects."""
        with self._conn(conn) as c:
            return queries.count_statements(c, f)

    def statement_facets(self, f: StatementFilter, name: str, *, limit: int = 10,
                         conn: Connection | None = None) -> list[dict[str, Any]]:
        """The commonest values of one facet (speaker, type, kind, source, day) among the statements ``f`` selects."""
        with self._conn(conn) as c:
            return queries.facet_counts(c, f, name, limit=limit)

    def matched_spans(self, ids: Iterable[int], query: str,
                      conn: Connection | None = None) -> dict[int, list[tuple[int, int]]]:
        """Where the search's words occur in each statement's content: ``{statement_id: [(start, end), ...]}``."""
        with self._conn(conn) as c:
            return search_queries.matched_spans(c, ids, query)

    def statement_contexts(self, ids: Iterable[int], conn: Connection | None = None) -> dict[int, dict[str, Any]]:
        """The sentence(s) around each statement in its article, for a page of statements at once."""
        with self._conn(conn) as c:
            return search_queries.statement_contexts(c, ids)

    def add_context(self, rows: list[dict[str, Any]], conn: Connection | None = None) -> list[dict[str, Any]]:
        """Give each statement row its ``context``: the sentence(s) around its content in its article."""
        with self._conn(conn) as c:
            return queries.add_context(c, rows)

    def label_statements(self, rows: list[dict[str, Any]], conn: Connection | None = None) -> list[dict[str, Any]]:
        """Give each statement row its ``article_label``: its article's title, or an untitled one's first words."""
        with self._conn(conn) as c:
            return index_queries.label_statement_rows(c, rows)

    def statements_by_week(self, f: StatementFilter, conn: Connection | None = None) -> dict[str, Any]:
        """How many of the statements ``f`` selects were made each week, and how many have no day."""
        with self._conn(conn) as c:
            return index_queries.statements_by_week(c, f)

    def corpus_links(self, statement_ids: list[int], conn: Connection | None = None) -> dict[int, dict[str, Any]]:
        """What ties these statements to other stories: the quotation each prints, the dispute
        threads it is in, and the fact-checkers' verdicts on its claim (``factchecks``)."""
        with self._conn(conn) as c:
            links = record_queries.corpus_links(c, statement_ids)
            checks = factcheck_queries.checks_of(c, statement_ids)
        for statement_id, found in checks.items():
            links.setdefault(statement_id, {"quotation_id": None, "threads": []})["factchecks"] = found
        return links

    # -- speakers -----------------------------------------------------------------------------

    def speakers(self, *, name: str | None = None, kind: str | None = None, sort: str = "statements",
                 descriptions: bool = False, limit: int = 50, offset: int = 0, include_not_news: bool = False,
                 kinds: list[dict[str, Any]] | None = None, conn: Connection | None = None) -> Listing:
        """Speakers across the corpus (identities), most statements first or by name; their
        statements on not-news pages count only with ``include_not_news``. ``kinds``: what
        ``speaker_kinds`` answered for the same name, descriptions and ``include_not_news``
        (a page that shows them), so that the total needs no second count."""
        with self._conn(conn) as c:
            rows = index_queries.speaker_index(c, name=name, kind=kind, sort=sort, descriptions=descriptions,
                                               limit=limit, offset=offset, include_not_news=include_not_news)
            if kinds is None:
                kinds = index_queries.speaker_kinds(c, name=name, descriptions=descriptions, limit=None,
                                                    include_not_news=include_not_news)
            total = index_queries.kinds_total(kinds, kind)
        return Listing(rows, total, limit, offset, noun="speakers")

    def speaker_kinds(self, *, name: str | None = None, descriptions: bool = False, include_not_news: bool = False,
                      conn: Connection | None = None) -> list[dict[str, Any]]:
        """How many speakers of each kind (person, organization ...) are named like ``name``, every kind."""
        with self._conn(conn) as c:
            return index_queries.speaker_kinds(c, name=name, descriptions=descriptions, limit=None,
                                               include_not_news=include_not_news)

    def speaker(self, speaker_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """One speaker across the corpus with its names and the evidence of every join."""
        with self._conn(conn) as c:
            return queries.speaker(c, speaker_id)

    def identity_of(self, speaker_id: int, conn: Connection | None = None) -> int | None:
        """The id of the identity the speaker ``speaker_id`` is in (its own when it heads one); None if no such speaker."""
        with self._conn(conn) as c:
            return queries.identity_of(c, speaker_id)

    def speaker_disputes(self, identity_id: int, *, limit: int = 50,
                         conn: Connection | None = None) -> list[dict[str, Any]]:
        """The claim/denial pairs this speaker (identity) is on either side of, with its ``role`` in each."""
        with self._conn(conn) as c:
            return index_queries.speaker_disputes(c, identity_id, limit=limit)

    # -- quotations ---------------------------------------------------------------------------

    def quotations(self, *, speaker: str | None = None, altered: bool = False, limit: int = 100,
                   offset: int = 0, conn: Connection | None = None) -> Listing:
        """Quotations printed by several stories, most printed first, each with every appearance."""
        with self._conn(conn) as c:
            rows = record_queries.quotation_list(c, speaker=speaker, altered=altered, limit=limit, offset=offset)
            total = record_queries.count_quotations(c, speaker=speaker, altered=altered)
        return Listing(rows, total, limit, offset, noun="quotations")

    def quotation(self, quotation_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """One quotation with its first appearance and every later one; None if there is none."""
        with self._conn(conn) as c:
            found = record_queries.quotation_list(c, quotation_id=quotation_id, limit=1)
        return found[0] if found else None

    # -- disputes -----------------------------------------------------------------------------

    def disputes(self, *, scope: str | None = None, limit: int = 100, offset: int = 0,
                 include_not_news: bool = False, conn: Connection | None = None) -> Listing:
        """Claim/denial pairs, within stories (``article``), across them (``corpus``) or both
        (those on not-news pages only with ``include_not_news``)."""
        f = record_queries.DisputeFilter(scope=scope, include_not_news=include_not_news)
        with self._conn(conn) as c:
            rows = record_queries.dispute_rows(c, limit=limit, offset=offset, f=f)
            total = record_queries.count_dispute_pairs(c, f=f)
        return Listing(rows, total, limit, offset, noun="disputes")

    def dispute_table(self, *, limit: int = 100, offset: int = 0,
                      conn: Connection | None = None) -> list[dict[str, Any]]:
        """A page of claims beside the statements that deny them, with speakers and dates (the API's rows)."""
        with self._conn(conn) as c:
            return queries.dispute_table(c, limit=limit, offset=offset)

    def count_disputes(self, conn: Connection | None = None) -> int:
        """How many claim/denial links the corpus holds."""
        with self._conn(conn) as c:
            return queries.count_disputes(c)

    def dispute_threads(self, f: DisputeFilter, *, limit: int = 20, offset: int = 0,
                        conn: Connection | None = None) -> list[dict[str, Any]]:
        """A page of claims, each with every denial of it that ``f`` selects: one thread a claim."""
        with self._conn(conn) as c:
            return record_queries.dispute_threads(c, f, limit=limit, offset=offset)

    def count_dispute_threads(self, f: DisputeFilter, conn: Connection | None = None) -> int:
        """How many claims have at least one denial that ``f`` selects."""
        with self._conn(conn) as c:
            return record_queries.count_dispute_threads(c, f)

    def dispute_thread(self, statement_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """The thread of one claim, asked by the claim's id or by one of its denials'; None for neither."""
        with self._conn(conn) as c:
            threads = record_queries.dispute_threads(c, DisputeFilter(claim_id=statement_id), limit=1)
            if not threads:
                denied = record_queries.dispute_rows(c, f=DisputeFilter(statement_id=statement_id), limit=1)
                if not denied:
                    return None
                threads = record_queries.dispute_threads(
                    c, DisputeFilter(claim_id=denied[0]["claim"]["statement_id"]), limit=1)
        return threads[0]

    # -- the links across articles ------------------------------------------------------------

    def relink(self, lexicon: Lexicon | None = None) -> RelinkSummary:
        """Run the linkers (identities, quotations, disputes across articles) over the whole
        corpus, with ``lexicon``'s words (the shipped ones by default)."""
        from ..record.relink import relink

        return relink(self.engine, lexicon=lexicon)

    def stale_links(self, lexicon: Lexicon | None = None) -> str | None:
        """Why the links across articles are out of date (other linkers or words made them,
        than ``lexicon``'s), or None."""
        from ..record.relink import stale_links

        return stale_links(self.engine, lexicon=lexicon)

    # -- meaning ------------------------------------------------------------------------------

    def embed_statements(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Make the sentence-model vector of every statement that has none of the model in
        force (resumable: each batch is committed); how many were made."""
        from .meaning import embed_missing

        return embed_missing(self.engine, progress=progress)

    def similar(self, statement_id: int, *, limit: int = 10, near: float | None = None,
                include_not_news: bool = False, store: bool = True) -> dict[str, Any] | None:
        """The statements of other stories closest in meaning to one, with their evidence
        (``corpus.meaning.similar_statements``); None when the statement is not stored."""
        from ..record.similar import NEAR
        from .meaning import similar_statements

        return similar_statements(self.engine, self.url, statement_id, limit=limit,
                                  near=NEAR if near is None else near, include_not_news=include_not_news,
                                  store=store)

    # -- the watch's alerts -------------------------------------------------------------------

    def alerts(self, *, rule: str | None = None, limit: int = 50, offset: int = 0,
               conn: Connection | None = None) -> Listing:
        """The alerts ``onrecord watch`` made (of one rule), newest first, each with the alert
        as its sinks got it (``payload``: the rule, why, the statement and its article)."""
        with self._conn(conn) as c:
            rows = watch_queries.alert_rows(c, rule=rule, limit=limit, offset=offset)
            total = watch_queries.count_alerts(c, rule=rule)
        return Listing(rows, total, limit, offset, noun="alerts")

    # -- fact-checks --------------------------------------------------------------------------

    def import_factchecks(self, reviews: list[FactCheck], source: str) -> tuple[int, int, int]:
        """Store fact-checkers' reviews (those held already are skipped) and match them with
        the statements that make their claims: (new reviews, held before, statements matched)."""
        from ..record.factcheck_links import match_reviews

        with self.engine.begin() as c:
            new_ids, held = factcheck_queries.add_reviews(c, [r.row() for r in reviews], source)
            matched = match_reviews(c, new_ids) if new_ids else 0
        return len(new_ids), held, matched

    def factchecks(self, *, limit: int = 50, offset: int = 0, conn: Connection | None = None) -> Listing:
        """The imported reviews, newest review first, each with how many statements make its claim."""
        with self._conn(conn) as c:
            rows = factcheck_queries.review_listing(c, limit, offset)
            total = factcheck_queries.count_reviews(c)
        return Listing(rows, total, limit, offset, noun="fact-checks")

    # -- downloads ----------------------------------------------------------------------------

    @staticmethod
    def ranked(f: StatementFilter) -> bool:
        """Whether the statements ``f`` selects come best match first, each with its ``rank`` (words to match)."""
        return bool(f.query and queries._TERM.search(f.query))

    # -- helpers ------------------------------------------------------------------------------

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        """The caller's connection (a page's), or one of our own for this question."""
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

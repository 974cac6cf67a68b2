"""``Corpus``: the one library door to a stored corpus, as sqlite-utils' ``Database`` is.

The command line, the pages and the API ask a ``Corpus`` for speakers, quotations,
disputes and counts, so one concept has one row shape on every surface, and every
listing says how many rows it stopped short of (``Listing.total``): a listing that
ends early can say so and how to see more.

The store's queries stay in ``store/``; this module decides which query answers which
question and what a row looks like, and opens no SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from ..lexicon import Lexicon
from ..store import index_queries, queries, record_queries
from ..store.db import database_url, describe, make_engine, upgrade

if TYPE_CHECKING:
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

    # -- the record across articles --------------------------------------------------------------

    def speakers(self, *, name: str | None = None, kind: str | None = None, sort: str = "statements",
                 descriptions: bool = False, limit: int = 50, offset: int = 0, include_not_news: bool = False,
                 conn: Connection | None = None) -> Listing:
        """Speakers across the corpus (identities), most statements first or by name; their
        statements on not-news pages count only with ``include_not_news``."""
        with self._conn(conn) as c:
            rows = index_queries.speaker_index(c, name=name, kind=kind, sort=sort, descriptions=descriptions,
                                               limit=limit, offset=offset, include_not_news=include_not_news)
            kinds = index_queries.speaker_kinds(c, name=name, descriptions=descriptions, limit=None,
                                                include_not_news=include_not_news)
            total = index_queries.kinds_total(kinds, kind)
        return Listing(rows, total, limit, offset, noun="speakers")

    def speaker(self, speaker_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """One speaker across the corpus with its names and the evidence of every join."""
        with self._conn(conn) as c:
            return queries.speaker(c, speaker_id)

    def quotations(self, *, speaker: str | None = None, altered: bool = False, limit: int = 100,
                   offset: int = 0, conn: Connection | None = None) -> Listing:
        """Quotations printed by several stories, most printed first, each with every appearance."""
        with self._conn(conn) as c:
            rows = record_queries.quotation_list(c, speaker=speaker, altered=altered, limit=limit, offset=offset)
            total = record_queries.count_quotations(c, speaker=speaker, altered=altered)
        return Listing(rows, total, limit, offset, noun="quotations")

    def disputes(self, *, scope: str | None = None, limit: int = 100, offset: int = 0,
                 include_not_news: bool = False, conn: Connection | None = None) -> Listing:
        """Claim/denial pairs, within stories (``article``), across them (``corpus``) or both
        (those on not-news pages only with ``include_not_news``)."""
        f = record_queries.DisputeFilter(scope=scope, include_not_news=include_not_news)
        with self._conn(conn) as c:
            rows = record_queries.dispute_rows(c, limit=limit, offset=offset, f=f)
            total = record_queries.count_dispute_pairs(c, f=f)
        return Listing(rows, total, limit, offset, noun="disputes")

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

    # -- helpers ------------------------------------------------------------------------------

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        """The caller's connection (a page's), or one of our own for this question."""
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

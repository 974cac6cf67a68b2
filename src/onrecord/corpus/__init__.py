"""Many articles: the library door (``Corpus``), ingest and reanalysis.

``Corpus`` answers every question about a stored corpus; ``Ingestor`` and ``reanalyze``
(in ``corpus.ingest``) bring stories into it and are loaded on first use, since they load
the analysis (and spaCy), which reading a corpus never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .door import (ArticleFilter, ArticleIndexFilter, Corpus, DisputeFilter, Listing, QueryTimeout, StatementFilter,
                   deadline)

if TYPE_CHECKING:  # what ``__getattr__`` loads, as the type checker is to see it
    from .ingest import (Ingestor as Ingestor, Reanalysis as Reanalysis, Story as Story, Summary as Summary,
                         open_corpus as open_corpus, reanalyze as reanalyze, stale_stories as stale_stories)

_INGEST_NAMES = {"Ingestor", "Summary", "Story", "Reanalysis", "open_corpus", "reanalyze", "stale_stories"}

#: Besides ``Corpus`` and ``Listing``, what the pages and the API take from here: the filters
#: its questions take, the time limit of a page's queries and what a query past it raises.
__all__ = ["Corpus", "Listing", "ArticleFilter", "ArticleIndexFilter", "DisputeFilter", "QueryTimeout",
           "StatementFilter", "deadline", *sorted(_INGEST_NAMES)]


def __getattr__(name: str) -> object:
    """``Ingestor``, ``open_corpus``, ``reanalyze`` ... from ``corpus.ingest``, imported when first asked for."""
    if name in _INGEST_NAMES:
        from . import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module 'onrecord.corpus' has no attribute {name!r}")

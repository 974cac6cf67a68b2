"""Many articles: the library door (``Corpus``), ingest and reanalysis.

``Corpus`` answers every question about a stored corpus; ``Ingestor`` and ``reanalyze``
(in ``corpus.ingest``) bring stories into it and are loaded on first use, since they load
the analysis (and spaCy), which reading a corpus never needs.
"""

from __future__ import annotations

from .door import Corpus, Listing

_INGEST_NAMES = {"Ingestor", "Summary", "Story", "Reanalysis", "open_corpus", "reanalyze", "stale_stories"}

__all__ = ["Corpus", "Listing", *sorted(_INGEST_NAMES)]


def __getattr__(name: str):
    """``Ingestor``, ``open_corpus``, ``reanalyze`` ... from ``corpus.ingest``, imported when first asked for."""
    if name in _INGEST_NAMES:
        from . import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module 'onrecord.corpus' has no attribute {name!r}")

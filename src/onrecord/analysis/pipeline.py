"""``analyze``: one article's text in, its record out; many articles through one batch path.

The NLP model is loaded once per process (``onrecord.analysis.nlp.get_nlp``). Many articles are fed
to the parser together (``nlp.pipe`` batches their pieces), and each record is yielded as
soon as its last piece is parsed, so memory stays flat however many articles stream by.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from os import PathLike

from ..dates import parse_date
from ..lexicon import Lexicon, load_lexicon
from ..model import ArticleInput, ArticleRecord
from .engine import Extractor
from .nlp import get_nlp
from .prepare import parser_text, safe_text
from .repeats import find_repeats
from .segment import segments
from .settings import AnalysisSettings

#: Pieces handed to the parser per batch.
BATCH_SIZE = 32


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The shipped steps, words and settings, checked once per process."""
    return Extractor()


def make_extractor(lexicon: Lexicon | str | PathLike | None = None, settings: AnalysisSettings | None = None,
                   steps: Sequence[str] | None = None) -> Extractor:
    """An extractor for these words, settings and steps (the shipped ones by default).

    ``lexicon`` is a ``Lexicon`` or the path of a lexicon file (``onrecord.lexicon``).
    """
    if lexicon is None and settings is None and steps is None:
        return default_extractor()
    if isinstance(lexicon, (str, PathLike)):
        lexicon = load_lexicon(lexicon)
    return Extractor(steps, lexicon, settings)


def analyze(text: str, published: date | str | None = None, *, doc_id: str | None = None,
            title: str | None = None, lexicon: Lexicon | str | PathLike | None = None,
            settings: AnalysisSettings | None = None, steps: Sequence[str] | None = None) -> ArticleRecord:
    """Extract who said what, to whom and when from one English news article.

    ``published`` (a date or ``YYYY-MM-DD``) anchors time expressions such as *on Thursday*.
    Offsets in the record are Python ``str`` indices into ``text`` exactly as given.
    ``lexicon`` (a ``Lexicon`` or a lexicon file's path) extends the words onrecord knows,
    ``settings`` changes its windows and thresholds, ``steps`` its list of steps.
    """
    extractor = make_extractor(lexicon, settings, steps)
    return next(analyze_many([ArticleInput(text, published, doc_id, title)], extractor=extractor))


def analyze_many(items: Iterable[ArticleInput | str], batch_size: int = BATCH_SIZE, *,
                 extractor: Extractor | None = None) -> Iterator[ArticleRecord]:
    """Records for many articles, in order, parsed through the model's batch path."""
    for _, result in analyze_stream(items, batch_size, extractor=extractor):
        if isinstance(result, Exception):
            raise result
        yield result


def analyze_stream(items: Iterable[ArticleInput | str], batch_size: int = BATCH_SIZE, *,
                   extractor: Extractor | None = None) -> Iterator[tuple[ArticleInput, ArticleRecord | Exception]]:
    """Each article with its record, or with the exception that stopped its analysis.

    One article that fails does not stop the others: the caller decides what to report.
    """
    extractor = extractor or default_extractor()
    items = iter(items)
    first = next(items, None)
    if first is None:
        return  # nothing to analyse: the model is not even loaded
    nlp = get_nlp()
    pending: dict[int, _Pending] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for n, item in enumerate(itertools.chain([first], items)):
            article = _Pending.start(item, extractor)
            pending[n] = article
            if article.error is not None:
                yield "", (n, -1)  # reported in order, like an empty article
                continue
            if not article.spans:
                yield "", (n, -1)  # nothing to parse: still yields its (empty) record in order
            for k, (a, b) in enumerate(article.spans):
                yield article.parse[a:b], (n, k)

    next_out = 0
    for doc, (n, k) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        article = pending[n]
        article.received += 1
        if k >= 0:
            article.docs.append((doc, article.spans[k][0]))
        while next_out in pending and pending[next_out].complete:
            done = pending.pop(next_out)
            yield done.item, done.result()
            next_out += 1


@dataclass
class _Pending:
    """An article whose pieces are being parsed."""

    item: ArticleInput
    extractor: Extractor
    text: str  # the text the steps read: the item's, made encodable (same length)
    parse: str  # the text the parser reads (same length again)
    published: date | None
    repeats: list
    spans: list[tuple[int, int]]
    docs: list
    received: int = 0
    error: Exception | None = None

    @classmethod
    def start(cls, item: ArticleInput | str, extractor: Extractor) -> "_Pending":
        if isinstance(item, str):
            item = ArticleInput(item)
        try:
            return cls._prepare(item, extractor)
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the stream
            return cls(item, extractor, "", "", None, [], [], [], error=exc)

    @classmethod
    def _prepare(cls, item: ArticleInput, extractor: Extractor) -> "_Pending":
        """Repeats, pieces and the texts to read, for an article that can be analysed."""
        text = safe_text(item.text)
        repeats = find_repeats(text)
        spans = segments(text, [(d.start, d.end) for d in repeats])
        return cls(item, extractor, text, parser_text(text), parse_date(item.published), repeats, spans, [])

    @property
    def complete(self) -> bool:
        return self.received >= max(1, len(self.spans))  # an empty article sends one placeholder

    def result(self) -> ArticleRecord | Exception:
        """The record, or the exception extraction raised (a bug, reported per article)."""
        if self.error is not None:
            return self.error
        try:
            record = self.extractor.extract(self.text, self.docs, self.repeats, self.published)
        except Exception as exc:  # noqa: BLE001 - reported to the caller with its article
            return exc
        record.doc_id = safe_text(self.item.doc_id) if self.item.doc_id else self.item.doc_id
        record.title = safe_text(self.item.title) if self.item.title else self.item.title
        return record

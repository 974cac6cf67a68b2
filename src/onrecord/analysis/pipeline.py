"""``analyze``: one article's text in, its record out; many articles through one batch path.

The NLP model is loaded once per process (``onrecord.analysis.nlp.get_nlp``). Many articles are fed
to the parser together (``nlp.pipe`` batches their pieces), and each record is yielded as
soon as its last piece is parsed, so memory stays flat however many articles stream by.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from os import PathLike
from typing import TYPE_CHECKING, TypeAlias

from ..dates import parse_date
from ..layout import split_authors
from ..lexicon import Lexicon, load_lexicon
from ..model import ArticleInput, ArticleRecord
from .engine import DEFAULT_ENGINE, Extractor
from .limits import DEFAULT_LIMITS, AnalysisLimitError, AnalysisLimits
from .nlp import get_nlp
from .prepare import parser_text, safe_text
from .repeats import find_repeats
from .segment import segments
from .settings import AnalysisSettings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..model import Duplicate
    from .context import ArticleContext

    #: A piece back from the parser, with its key (article, piece): its doc, the exception
    #: the parser raised on it, or None when it was no longer wanted.
    Parsed: TypeAlias = tuple[Doc | Exception | None, tuple[int, int]]

#: Pieces handed to the parser per batch.
BATCH_SIZE = 32
#: Characters handed to the parser per batch, at most (one piece may be longer): the
#: parser's working memory grows with the tokens of a batch, some 3 MB a thousand, so a few
#: long articles (or one planted one) cannot take gigabytes at once.
BATCH_CHARS = 5_000


@lru_cache(maxsize=4)
def engine_extractor(engine: str) -> Extractor:
    """The shipped steps of an engine with the shipped words and settings, once per process."""
    return Extractor(engine=engine)


def default_extractor() -> Extractor:
    """The default engine's extractor."""
    return engine_extractor(DEFAULT_ENGINE)


def make_extractor(lexicon: Lexicon | str | PathLike[str] | None = None, settings: AnalysisSettings | None = None,
                   steps: Sequence[str] | None = None, engine: str | None = None) -> Extractor:
    """An extractor for these words, settings, steps or engine (the shipped ones by default).

    ``lexicon`` is a ``Lexicon`` or the path of a lexicon file (``onrecord.lexicon``);
    ``engine`` is ``fast`` (the rules) or ``accurate`` (rules and the learned tagger).
    """
    if lexicon is None and settings is None and steps is None:
        return engine_extractor(engine or DEFAULT_ENGINE)
    if isinstance(lexicon, (str, PathLike)):
        lexicon = load_lexicon(lexicon)
    return Extractor(steps, lexicon, settings, engine=engine)


def analyze(text: str, published: date | str | None = None, *, doc_id: str | None = None,
            title: str | None = None, author: str | None = None,
            lexicon: Lexicon | str | PathLike[str] | None = None,
            settings: AnalysisSettings | None = None, steps: Sequence[str] | None = None,
            engine: str | None = None) -> ArticleRecord:
    """Extract who said what, to whom and when from one English news article.

    ``published`` (a date or ``YYYY-MM-DD``) anchors time expressions such as *on Thursday*;
    ``author`` (the byline) is who *I* is outside quotations.
    Offsets in the record are Python ``str`` indices into ``text`` exactly as given.
    ``lexicon`` (a ``Lexicon`` or a lexicon file's path) extends the words onrecord knows,
    ``settings`` changes its windows and thresholds, ``steps`` its list of steps, ``engine``
    chooses ``fast`` (rules) or ``accurate`` (rules and the learned tagger).
    """
    extractor = make_extractor(lexicon, settings, steps, engine)
    return next(analyze_many([ArticleInput(text, published, doc_id, title, author=author)], extractor=extractor))


def analyze_many(items: Iterable[ArticleInput | str], batch_size: int = BATCH_SIZE, *,
                 extractor: Extractor | None = None) -> Iterator[ArticleRecord]:
    """Records for many articles, in order, parsed through the model's batch path."""
    for _, result in analyze_stream(items, batch_size, extractor=extractor):
        if isinstance(result, Exception):
            raise result
        yield result


def analyze_stream(items: Iterable[ArticleInput | str], batch_size: int = BATCH_SIZE, *,
                   extractor: Extractor | None = None, limits: AnalysisLimits | None = None,
                   ) -> Iterator[tuple[ArticleInput, ArticleRecord | Exception]]:
    """Each article with its record, or with the exception that stopped its analysis.

    One article that fails does not stop the others: the caller decides what to report.
    An article past one of ``limits`` (time, statements) fails with ``AnalysisLimitError``.
    """
    extractor = extractor or default_extractor()
    limits = limits or DEFAULT_LIMITS
    items = iter(items)
    first = next(items, None)
    if first is None:
        return  # nothing to analyse: the model is not even loaded
    nlp = get_nlp()
    pending: dict[int, _Pending] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for n, item in enumerate(itertools.chain([first], items)):
            article = _Pending.start(item, extractor, limits)
            pending[n] = article
            article.expected = max(1, len(article.spans))
            sent = 0
            for k, (a, b) in enumerate(article.spans):
                if article.error is not None or article.check_time():
                    article.expected = max(1, sent)  # cut short: the rest is not parsed
                    break
                sent += 1
                yield article.parse[a:b], (n, k)
            if sent == 0:
                yield "", (n, -1)  # nothing to parse: still yields its (empty) record in order

    def wanted(key: tuple[int, int]) -> bool:  # a piece of an article past its time is not parsed
        return not pending[key[0]].check_time()

    next_out = 0
    for doc, (n, k) in _parse(nlp, pieces(), batch_size, wanted=wanted):
        article = pending[n]
        article.received += 1
        if isinstance(doc, Exception):
            article.error = article.error or doc
        elif doc is not None and k >= 0:
            article.docs.append((doc, article.spans[k][0]))
        while next_out in pending and pending[next_out].complete:
            done = pending.pop(next_out)
            yield done.item, done.result()
            next_out += 1
    while next_out in pending:  # an article cut short after its last piece came back
        done = pending.pop(next_out)
        yield done.item, done.result()
        next_out += 1


def _parse(nlp: Language, pieces: Iterable[tuple[str, tuple[int, int]]], batch_size: int,
           batch_chars: int | None = None, wanted: Callable[[tuple[int, int]], bool] | None = None,
           ) -> Iterator[Parsed]:
    """(doc, key) for each (text, key), in order, parsed in batches of at most ``batch_size``
    pieces and ``batch_chars`` characters (``BATCH_CHARS`` by default). A piece whose key
    ``wanted`` refuses when its batch is about to be parsed comes back as (None, key)."""
    batch_chars = batch_chars or BATCH_CHARS
    batch: list[tuple[str, tuple[int, int]]] = []
    chars = 0
    for piece in pieces:
        if batch and (len(batch) >= batch_size or chars + len(piece[0]) > batch_chars):
            yield from _parse_wanted(nlp, batch, wanted)
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece[0])
    if batch:
        yield from _parse_wanted(nlp, batch, wanted)


def _parse_wanted(nlp: Language, batch: list[tuple[str, tuple[int, int]]],
                  wanted: Callable[[tuple[int, int]], bool] | None) -> list[Parsed]:
    """The batch's docs in order; the pieces no longer wanted (their article ran past its
    time while the batch filled) are not parsed."""
    if wanted is None:
        return _parse_batch(nlp, batch)
    keep = [piece for piece in batch if wanted(piece[1])]
    parsed = iter(_parse_batch(nlp, keep) if keep else [])
    kept = {id(piece) for piece in keep}
    return [next(parsed) if id(piece) in kept else (None, piece[1]) for piece in batch]


def _parse_batch(nlp: Language, batch: list[tuple[str, tuple[int, int]]]) -> list[Parsed]:
    """The docs of one batch; should the parser fail on it, each piece is parsed alone and
    the one that fails comes back as its exception, so its article fails, not the batch."""
    try:
        return list(nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
    except Exception:  # noqa: BLE001 - which piece it was is found out below
        return [_parse_one(nlp, text, key) for text, key in batch]


def _parse_one(nlp: Language, text: str, key: tuple[int, int]) -> Parsed:
    try:
        return nlp(text), key
    except Exception as exc:  # noqa: BLE001 - reported with its article
        return exc, key


@dataclass
class _Pending:
    """An article whose pieces are being parsed."""

    item: ArticleInput
    extractor: Extractor
    text: str  # the text the steps read: the item's, made encodable (same length)
    parse: str  # the text the parser reads (same length again)
    published: date | None
    repeats: list[Duplicate]
    spans: list[tuple[int, int]]
    docs: list[tuple[Doc, int]]  # (parsed piece, its offset in the text)
    limits: AnalysisLimits = DEFAULT_LIMITS
    started: float = 0.0
    received: int = 0
    expected: int | None = None  # pieces sent to the parser, once all are sent
    error: Exception | None = None

    @classmethod
    def start(cls, item: ArticleInput | str, extractor: Extractor, limits: AnalysisLimits = DEFAULT_LIMITS,
              ) -> "_Pending":
        if isinstance(item, str):
            item = ArticleInput(item)
        started = time.monotonic()
        try:
            return cls._prepare(item, extractor, limits, started)
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the stream
            return cls(item, extractor, "", "", None, [], [], [], limits, started, error=exc)

    @classmethod
    def _prepare(cls, item: ArticleInput, extractor: Extractor, limits: AnalysisLimits,
                 started: float) -> "_Pending":
        """Repeats, pieces and the texts to read, for an article that can be analysed."""
        text = safe_text(item.text)
        repeats = find_repeats(text)
        spans = segments(text, [(d.start, d.end) for d in repeats])
        return cls(item, extractor, text, parser_text(text), parse_date(item.published), repeats, spans, [],
                   limits, started)

    def check_time(self) -> bool:
        """Whether the article has run past its time (and is now marked failed)."""
        if self.error is None and time.monotonic() - self.started > self.limits.max_seconds:
            self.error = AnalysisLimitError(f"analysis ran past its limit of {self.limits.max_seconds:g} s")
        return self.error is not None

    def guard(self, ctx: ArticleContext) -> None:
        """After each step: stop the article once it is past its time, or once its statement
        drafts are past the statement limit (the steps after would only add to them)."""
        drafts = ctx.products.get("drafts")
        if drafts is not None:
            self._check_statements(len(drafts))
        self.check_time()  # sets ``error`` once past the time (and leaves one already set)
        if self.error is not None:
            raise self.error

    def _check_statements(self, count: int) -> None:
        if self.error is None and count > self.limits.max_statements:
            self.error = AnalysisLimitError(f"{count:,} statements is over the limit of "
                                            f"{self.limits.max_statements:,} an article")

    @property
    def complete(self) -> bool:
        return self.expected is not None and self.received >= self.expected

    def result(self) -> ArticleRecord | Exception:
        """The record, or the exception extraction raised (a bug, reported per article)."""
        self.check_time()  # sets ``error`` once past the time (and leaves one already set)
        if self.error is not None:
            return self.error
        try:
            record = self.extractor.extract(self.text, self.docs, self.repeats, self.published,
                                            title=self.item.title, guard=self.guard, author=self.item.author,
                                            page_kind=self.item.kind, layout=self.item.layout)
        except AnalysisLimitError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - reported to the caller with its article
            return exc
        self._check_statements(len(record.statements))
        if self.error is not None:
            return self.error
        record.doc_id = safe_text(self.item.doc_id) if self.item.doc_id else self.item.doc_id
        record.title = safe_text(self.item.title) if self.item.title else self.item.title
        record.author = safe_text(self.item.author) if self.item.author else None
        record.authors = split_authors(record.author, self.extractor.lexicon)
        record.place = safe_text(self.item.place) if self.item.place else None
        record.origin = dict(self.item.origin)
        record.kind, record.kind_evidence = self.item.kind, list(self.item.kind_evidence)
        return record

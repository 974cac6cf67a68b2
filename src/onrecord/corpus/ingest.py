"""Ingesting a corpus: inputs read, duplicates collapsed, new stories analysed and stored.

Inputs stream through: each is read, fingerprinted and checked against the stored stories
(exact fingerprint, then MinHash LSH) and against the stories still being analysed; only a
new story goes to the parser, and it is stored, with every appearance and every input
document's outcome, one transaction per document. A rerun skips inputs it already holds
(same source, same bytes), so it is cheap and, after a crash, finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from ..dates import parse_date
from ..layout import give
from ..lexicon import using
from ..ingest import InputError, Loaded, read_path
from ..ingest.readers import MAX_CHARS
from ..ingest.sources import expand
from ..neardup import DEFAULT_THRESHOLD, Banding, banding, fingerprint, signature, similarity
from ..analysis.engine import Extractor
from ..analysis.limits import DEFAULT_LIMITS, AnalysisLimitError, AnalysisLimits
from ..analysis.pipeline import analyze_stream, default_extractor
from ..model import ArticleInput, ArticleRecord
from ..store import queries, writer
from ..store.db import database_url, make_engine, upgrade


@dataclass
class Summary:
    """What an ingest run did with its inputs."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: inputs already held whose story's record an older extractor made
    stale: list[str] = field(default_factory=list)
    #: what linking the corpus across its articles made, when new stories called for it
    linked: object | None = None
    #: the new stories by the kind of page they came from
    kinds: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """One line for people: the counts (and the kinds of page, when not all were news)."""
        line = (f"read {self.read}, new {self.new}, duplicate {self.duplicate}, "
                f"unchanged {self.unchanged}, failed {self.failed}")
        if set(self.kinds) - {"news"}:
            line += "; new by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items()))
        return line


@dataclass
class Story:
    """A new story on its way through analysis, and the copies found of it meanwhile."""

    loaded: Loaded
    fingerprint: str
    signature: np.ndarray
    copies: list[tuple[Loaded, bool, float]] = field(default_factory=list)


def open_corpus(db: str | None = None, writer: bool = False) -> Engine:
    """The corpus database (created or upgraded as needed); ``writer`` for ingesting."""
    engine = make_engine(database_url(db), writer=writer)
    upgrade(engine)
    return engine


class Ingestor:
    """Ingests inputs into one corpus database."""

    def __init__(self, engine: Engine, threshold: float = DEFAULT_THRESHOLD,
                 progress: Callable[[Summary], None] | None = None, extractor: Extractor | None = None,
                 limits: AnalysisLimits | None = None, given: dict[str, str | None] | None = None,
                 on_file: Callable[[str], None] | None = None):
        self.engine = engine
        #: told the path of every input file once it has been read through (progress by bytes)
        self.on_file = on_file or (lambda path: None)
        #: what the user said of every input (``published``, ``site``, ``title``): it fills what an
        #: input lacks and beats what was guessed from its text (``onrecord.layout.give``)
        self.given = {k: v for k, v in (given or {}).items() if v is not None}
        self.extractor = extractor or default_extractor()
        self.limits = limits or DEFAULT_LIMITS
        self.banding: Banding = banding(threshold)
        self.progress = progress or (lambda summary: None)
        self.summary = Summary()
        self._pending: dict[int, Story] = {}  # id(ArticleInput) -> story being analysed

    def ingest(self, paths: Iterable[str], *, encoding: str | None = None, max_chars: int = MAX_CHARS,
               follow_symlinks: bool = False) -> Summary:
        """Ingest every article of ``paths`` (files, directories, globs, ``-``)."""
        return self.ingest_loaded(self.read(paths, encoding, max_chars, follow_symlinks))

    def ingest_loaded(self, inputs: Iterable[Loaded | InputError]) -> Summary:
        """Ingest articles already read (the web API hands them over this way). The
        extractor's lexicon is in force throughout, so the headline and byline read from a
        page's text and the links across stories use the words its analysis uses."""
        with using(self.extractor.lexicon):
            for item, result in analyze_stream(self._new_stories(inputs), extractor=self.extractor,
                                               limits=self.limits):
                self.finish(self._pending[id(item)], result)
            self.link_across()
        return self.summary

    def link_across(self) -> None:
        """Link the stories stored (or dated earlier) since the last link into the corpus:
        identities, quotations, disputes. Incremental where the corpus's links are current;
        a corpus whose stories stored before linking have none is linked whole."""
        from ..record.relink import link_new, needs_relink, relink

        lexicon = self.extractor.lexicon  # the user's words link as they analysed
        linked = link_new(self.engine, lexicon)
        if linked is not None:
            self.summary.linked = linked
        elif needs_relink(self.engine):
            self.summary.linked = relink(self.engine, lexicon=lexicon)

    def stories(self, inputs: Iterable[Loaded | InputError]) -> Iterator[Story]:
        """The new stories among ``inputs``, for analysis elsewhere (``onrecord.batch``);
        every other input is settled on the way. Hand each result back to ``finish``."""
        for article in self._new_stories(inputs):
            yield self._pending[id(article)]

    def finish(self, story: Story, result: ArticleRecord | Exception) -> None:
        """Store an analysed story (with its copies), or record why its analysis failed."""
        self._pending.pop(id(story.loaded.article), None)
        if isinstance(result, Exception):
            reason = str(result) if isinstance(result, AnalysisLimitError) else \
                f"analysis failed: {type(result).__name__}: {result}"
            self._fail(story.loaded.source, story.loaded.sha256, reason)
            for copy, _, _ in story.copies:
                self._fail(copy.source, copy.sha256, "its original could not be analysed")
        else:
            try:
                self._store(story, result)
            except DataError as exc:  # the database refused this story's data: the next ones go on
                reason = f"could not be stored ({_first_line(exc.orig or exc)})"
                self._fail(story.loaded.source, story.loaded.sha256, reason)
                for copy, _, _ in story.copies:
                    self._fail(copy.source, copy.sha256, "its original could not be stored")
        self.progress(self.summary)

    def _store(self, story: Story, record: ArticleRecord) -> None:
        """Store a new story with its copies, unless another writer stored it meanwhile.

        The story's LSH buckets are held while it is checked once more and written, so
        that two processes storing copies of one story at once keep one.
        """
        with self.engine.begin() as conn:
            writer.lock_story(conn, self.banding.buckets(story.signature))
            original = self._stored_original(conn, story.fingerprint, story.signature)
            if original is None:
                article_id = writer.insert_article(conn, story.loaded.article, record, story.fingerprint,
                                                   story.signature, self.banding)
                if article_id is None:  # the same text was stored a moment ago
                    stored = writer.find_exact(conn, story.fingerprint)
                    assert stored is not None  # the row whose fingerprint the insert ran into
                    original = (stored, True, 1.0)
            if original is None:
                assert article_id is not None  # no original: insert_article stored the story
                self._appear(conn, story.loaded, article_id, "new", True, 1.0)
                kind = record.kind or "news"
                self.summary.kinds[kind] = self.summary.kinds.get(kind, 0) + 1
            else:
                article_id, exact, score = original
                self._appear(conn, story.loaded, article_id, "duplicate", exact, score)
            for copy, exact, score in story.copies:
                self._appear(conn, copy, article_id, "duplicate", exact, score)

    def _stored_original(self, conn: Connection, fp: str, sig: np.ndarray) -> tuple[int, bool, float] | None:
        """The stored story this text copies, exactly or nearly, if any."""
        article_id = writer.find_exact(conn, fp)
        if article_id is not None:
            return article_id, True, 1.0
        near = writer.find_near(conn, self.banding, sig)
        return (near[0], False, near[1]) if near is not None else None

    # -- reading and sorting inputs ---------------------------------------------------------
    def read(self, paths: Iterable[str], encoding: str | None = None, max_chars: int = MAX_CHARS,
             follow_symlinks: bool = False) -> Iterator[Loaded | InputError]:
        """Every input of the named paths, or why it could not be read."""
        for path, problem in expand(list(paths), follow_symlinks):
            if problem:
                yield InputError(path, problem)
                continue
            yield from read_path(path, encoding=encoding, max_chars=max_chars)
            self.on_file(path)
            self.progress(self.summary)

    def _new_stories(self, inputs: Iterable[Loaded | InputError]) -> Iterator[ArticleInput]:
        """The articles that need analysing; duplicates and known inputs are settled here."""
        for loaded in inputs:
            self.summary.read += 1
            if isinstance(loaded, InputError):
                self._fail(loaded.source, loaded.sha256, loaded.message)
                continue
            if self.given:
                give(loaded.article, **self.given)
            self._check_date(loaded)
            if loaded.note:
                self.summary.notes.append((loaded.source, loaded.note))
            try:
                settled = self._settled(loaded)
            except DataError as exc:
                self._fail(loaded.source, loaded.sha256, f"could not be checked ({_first_line(exc.orig or exc)})")
                continue
            if settled:
                self.progress(self.summary)
                continue
            yield loaded.article

    def _check_date(self, loaded: Loaded) -> None:
        published = loaded.article.published
        if published:
            try:
                parsed = parse_date(published)
                assert parsed is not None  # parse_date gives None for None only
                loaded.article.published = parsed.isoformat()
            except ValueError:
                self.summary.notes.append((loaded.source, f"unrecognised date {published!r}; times left unresolved"))
                loaded.article.published = None

    def _settled(self, loaded: Loaded) -> bool:
        """Handle an input without analysis if possible: known already, or a copy of a story."""
        text = loaded.article.text
        fp, sig = fingerprint(text), signature(text)
        with self.engine.begin() as conn:
            if writer.document_done(conn, loaded.source, loaded.sha256):
                self.summary.unchanged += 1
                article_id, made_by = writer.document_article(conn, loaded.source, loaded.sha256)
                if article_id is not None and made_by != self.extractor.info.id:
                    self.summary.stale.append(loaded.source)
                return True
            original = self._stored_original(conn, fp, sig)
            if original is not None:
                article_id, exact, score = original
                self._appear(conn, loaded, article_id, "duplicate", exact, score)
                return True
        pending = self._pending_original(fp, sig)
        if pending is not None:
            story, exact, score = pending
            story.copies.append((loaded, exact, score))
            return True
        self._pending[id(loaded.article)] = Story(loaded, fp, sig)
        return False

    def _pending_original(self, fp: str, sig: np.ndarray) -> tuple[Story, bool, float] | None:
        """A story still being analysed that this text copies (exactly or nearly)."""
        best = None
        for story in self._pending.values():
            if story.fingerprint == fp:
                return story, True, 1.0
            score = similarity(sig, story.signature)
            if score >= self.banding.threshold and (best is None or score > best[2]):
                best = (story, False, score)
        return best

    # -- recording outcomes -----------------------------------------------------------------
    def _appear(self, conn: Connection, loaded: Loaded, article_id: int, outcome: str, exact: bool,
                score: float) -> None:
        """Record an input as the new story or a copy of one, and where it appeared."""
        reason = None if outcome == "new" else f"{'copy' if exact else 'near copy'} of article {article_id}"
        if loaded.note:  # what was changed on the way in stays with the input's record
            reason = f"{reason}; {loaded.note}" if reason else loaded.note
        document_id = writer.record_document(conn, loaded.source, loaded.sha256, outcome, article_id, reason)
        if document_id is None:  # another process recorded this very input meanwhile
            self.summary.unchanged += 1
            return
        writer.insert_appearance(conn, article_id, document_id, loaded.article, exact, score)
        if outcome == "new":
            self.summary.new += 1
        else:
            self.summary.duplicate += 1

    def _fail(self, source: str, sha256: str, reason: str) -> None:
        try:
            with self.engine.begin() as conn:
                writer.record_document(conn, source, sha256, "failed", reason=reason)
        except DataError as exc:  # reported all the same; a rerun tries it again
            reason = f"{reason} (and the failure could not be recorded: {_first_line(exc.orig or exc)})"
        self.summary.failed += 1
        self.summary.failures.append((source, reason))
        self.progress(self.summary)


def _first_line(exc: BaseException) -> str:
    """A database error in one line (drivers add the statement and its parameters)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass
class Reanalysis:
    """What a reanalysis did with the stored stories."""

    checked: int = 0
    reanalysed: int = 0
    current: int = 0  # made by this extractor already: left as they are
    failed: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)

    def line(self) -> str:
        """One line for people: the counts."""
        return (f"checked {self.checked}, reanalysed {self.reanalysed}, current {self.current}, "
                f"failed {self.failed}")


def stale_stories(engine: Engine, extractor: Extractor, where_stale: bool = True) -> list[int]:
    """Ids of the stored stories to reanalyse: those another extractor made, or all."""
    with engine.connect() as conn:
        return queries.article_ids(conn, not_made_by=extractor.info.id if where_stale else None)


def reanalyze(engine: Engine, extractor: Extractor | None = None, where_stale: bool = False,
              progress: Callable[[Reanalysis, int], None] | None = None) -> Reanalysis:
    """Run the analysis again on stored stories and put the new records in place.

    Article ids, appearances, documents and speakers' ids stay; each story's statements,
    mentions and links are replaced in one transaction, so a run stopped mid-way (even by
    ``kill -9``) leaves every story either old or new, and running again finishes the job.
    With ``where_stale`` only stories made by another extractor (another version, other
    steps, words or settings) are analysed.
    """
    from ..model import ArticleInput, ArticleRecord

    extractor = extractor or default_extractor()
    summary = Reanalysis()
    with engine.connect() as conn:
        summary.checked = queries.count_stored(conn)
    todo = stale_stories(engine, extractor, where_stale)
    summary.current = summary.checked - len(todo)
    report = progress or (lambda s, total: None)

    def stories() -> Iterator[tuple[ArticleInput, int]]:
        for article_id in todo:
            with engine.connect() as conn:
                row = queries.stored_article(conn, article_id)
            if row is None:
                continue  # deleted meanwhile
            old = ArticleRecord.model_validate_json(row.record)
            yield ArticleInput(row.text, row.published, doc_id=old.doc_id, title=old.title, url=row.url,
                               site=row.site, author=row.author, language=row.language, origin=dict(old.origin),
                               kind=old.kind, kind_evidence=list(old.kind_evidence)), article_id

    ids: dict[int, int] = {}

    def inputs() -> Iterator[ArticleInput]:
        for item, article_id in stories():
            ids[id(item)] = article_id
            yield item

    for item, result in analyze_stream(inputs(), extractor=extractor):
        article_id = ids.pop(id(item))
        if isinstance(result, Exception):
            summary.failed += 1
            summary.failures.append((article_id, f"analysis failed: {type(result).__name__}: {result}"))
        else:
            with engine.begin() as conn:
                writer.replace_analysis(conn, article_id, result)
            summary.reanalysed += 1
        report(summary, len(todo))
    if summary.reanalysed:  # new statements, new ids: their quotations and disputes are made again
        from ..record.relink import relink

        relink(engine, lexicon=extractor.lexicon)
    return summary

"""The analysis as data: the default list of steps, and the extractor that runs them.

``DEFAULT_STEPS`` is the order of the analysis. Each name is looked up in the registry
(``onrecord.analysis.registry``); an ``Extractor`` checks, before any article is read, that
every step exists and that every product a step needs is made by a step before it. To
change the analysis, give another list (``analyze(..., steps=[...])``): drop a step whose
product nobody needs, put a new version in place of an old one, or add a step of your own
registered with ``@step("myname.v1", needs=..., produces=...)``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date

from spacy.tokens import Doc

from .. import __version__
from ..lexicon import Lexicon, default_lexicon
from ..model import ArticleRecord, Duplicate, ExtractorInfo
from . import rules  # noqa: F401 - registers the rule steps
from .model import steps as _model_steps  # noqa: F401 - registers the model steps
from .context import PRODUCTS, ArticleContext
from .nlp import MAX_SEGMENT_CHARS
from .registry import REGISTRY, Step
from .settings import DEFAULT_SETTINGS, AnalysisSettings

#: The analysis, in order. Each step's docstring says what it does (``onrecord steps``).
DEFAULT_STEPS: tuple[str, ...] = (
    "layout.v1",               # headline, byline, dateline
    "quotes.v1",               # quotation marks paired per paragraph
    "candidates.v2",           # cues, speakers and contents read from the parse
    "assemble.snap.v1",        # contents take the quotations they reach into; colons their sequel
    "assemble.transcript.v2",  # turns of a transcript or Q&A; the interviewer's are questions
    "assemble.nearer.v1",      # a content goes to the nearer speaking cue
    "assemble.venue.v1",       # quoted programme titles are where, not what
    "assemble.quotes.v1",      # quotations without a cue: beside, continued, or nobody's
    "assemble.tidy.v1",        # edges trimmed, quotation marks balanced
    "assemble.nested.v1",      # a content never ends in a nested attribution
    "assemble.order.v1",       # text order, one statement per content
    "unsaid.v1",               # "will announce", "would press for": not said yet
    "layout.filter.v2",        # no statement or speaker in the headline, byline or dateline
    "speakers.v2",             # mentions resolved to the article's speakers (never the dateline)
    "self_reports.v2",         # "X said he understood ...": one statement
    "speakers.required.v1",    # no statement that nobody is said to have made
    "kinds.v1",                # direct, mixed, indirect
    "confidence.v1",           # how likely each is right
    "contents.v1",             # the parsed words of each content
    "types.v1",                # assertion, denial, appeal ...
    "disputes.v2",             # which claim each denial denies
    "when.v1",                 # when it was said
    "channels.v1",             # where it was said
    "times.v1",                # every time expression
    "places.v1",               # places named
    "record.v3",               # the record
)


#: The rules and the learned tagger: the tagger adds what the rules miss.
ACCURATE_STEPS: tuple[str, ...] = (
    *DEFAULT_STEPS[:DEFAULT_STEPS.index("assemble.order.v1") + 1],
    "model.tags.v1",           # the tagger's attributions
    "model.join.v4",           # the tagger's attributions and edges, the rules' speakers
    *(("confidence.v2" if name == "confidence.v1" else name)  # its confidence counted out of fold
      for name in DEFAULT_STEPS[DEFAULT_STEPS.index("assemble.order.v1") + 1:]),
)

#: The tagger alone, without the rules' candidates (to measure what each contributes).
MODEL_STEPS: tuple[str, ...] = (
    "layout.v1", "quotes.v1", "model.tags.v1", "model.only.v1", "layout.filter.v2",
    *DEFAULT_STEPS[DEFAULT_STEPS.index("speakers.v2"):],
)

#: The engines a user chooses from: ``fast`` is the rules alone, ``accurate`` rules and tagger.
ENGINES: dict[str, tuple[str, ...]] = {"fast": DEFAULT_STEPS, "accurate": ACCURATE_STEPS, "model": MODEL_STEPS}
DEFAULT_ENGINE = "fast"


class StepError(ValueError):
    """A list of steps that cannot run: a step unknown, or a product needed before it is made."""


def resolve_steps(step_ids: Sequence[str]) -> list[Step]:
    """The registered steps for ``step_ids``, checked to run in that order."""
    steps: list[Step] = []
    made: set[str] = set()
    for step_id in step_ids:
        found = REGISTRY.get(step_id)
        if found is None:
            raise StepError(f"unknown step {step_id!r}; registered: {', '.join(sorted(REGISTRY))}")
        missing = [name for name in found.needs if name not in made]
        if missing:
            raise StepError(f"step {step_id!r} needs {', '.join(missing)}, which no step before it produces")
        steps.append(found)
        made.update(found.produces)
    if "record" not in made:
        raise StepError("no step produces the record; end the list with 'record.v3'")
    return steps


class Extractor:
    """The steps, the words and the settings of an analysis, checked once and run per article."""

    def __init__(self, steps: Sequence[str] | None = None, lexicon: Lexicon | None = None,
                 settings: AnalysisSettings | None = None, engine: str | None = None):
        if engine is not None and engine not in ENGINES:
            raise StepError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
        if steps is None:
            engine = engine or DEFAULT_ENGINE
            steps = ENGINES[engine]
        else:
            engine = engine or next((name for name, listed in ENGINES.items() if tuple(steps) == listed), "custom")
        self.engine = engine
        self.steps = resolve_steps(steps)
        self.lexicon = lexicon or default_lexicon()  # explicit: an extractor is cached and shared
        self.settings = settings or DEFAULT_SETTINGS
        ids = [s.id for s in self.steps]
        model = _model_digest() if any(i.startswith("model.") for i in ids) else None
        # the parser's piece size changes a rare parse at a piece's edge: part of what made a record
        blob = "|".join([__version__, *ids, self.lexicon.digest, self.settings.digest, model or "",
                         f"pieces<={MAX_SEGMENT_CHARS}"])
        self.info = ExtractorInfo(id=hashlib.sha256(blob.encode()).hexdigest()[:16], version=__version__,
                                  engine=engine, steps=ids, lexicon=self.lexicon.digest,
                                  settings=self.settings.digest, model=model)

    def context(self, text: str, segments: list[tuple[Doc, int]], repeats: list[Duplicate],
                published: date | None, title: str | None = None, *, author: str | None = None,
                page_kind: str | None = None, layout: tuple[str, object] | None = None) -> ArticleContext:
        """A fresh context for one article under this extractor's words and settings."""
        return ArticleContext(text, segments, repeats, published, self.lexicon, self.settings, title=title,
                              author=author, page_kind=page_kind, found_layout=layout)

    def run_steps(self, ctx: ArticleContext, until: str | None = None,
                  guard: Callable[[ArticleContext], None] | None = None) -> ArticleContext:
        """Run the steps on the context in order (up to and including ``until``), storing
        what each returns under the names it declares. ``guard`` is called after every
        step (the pipeline's limits: it raises to stop an article that went past one)."""
        if until is not None and until not in (s.id for s in self.steps):
            raise StepError(f"no step {until!r} in this extractor's list")
        for step in self.steps:
            result = step.func(ctx)
            if len(step.produces) == 1:
                ctx.put(step.produces[0], result)
            else:
                for name, value in zip(step.produces, result, strict=True):
                    ctx.put(name, value)
            if guard is not None:
                guard(ctx)
            if step.id == until:
                break
        return ctx

    def run(self, ctx: ArticleContext, guard: Callable[[ArticleContext], None] | None = None) -> ArticleRecord:
        """Run every step on the context; the record, marked with what made it."""
        record: ArticleRecord = self.run_steps(ctx, guard=guard).record
        record.extractor = self.info
        return record

    def extract(self, text: str, segments: list[tuple[Doc, int]], repeats: list[Duplicate],
                published: date | None = None, title: str | None = None,
                guard: Callable[[ArticleContext], None] | None = None, *, author: str | None = None,
                page_kind: str | None = None, layout: tuple[str, object] | None = None) -> ArticleRecord:
        """The record of one article from its parsed segments (``author`` and ``page_kind``:
        what the input says of its byline and kind; the first person outside quotations is
        its author)."""
        return self.run(self.context(text, segments, repeats, published, title, author=author,
                                     page_kind=page_kind, layout=layout), guard)


def _model_digest() -> str:
    """A short hash of the tagger's weights file: another model makes other records."""
    from .model.tagger import model_digest

    return model_digest()


__all__ = ["DEFAULT_STEPS", "PRODUCTS", "Extractor", "StepError", "resolve_steps"]

"""The last step: the drafts and what the steps found about them, as the article's record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import ArticleRecord, Layout, Span, SpeakerRef, Statement, StatementType
from ..registry import step
from .candidate import Candidate

if TYPE_CHECKING:
    from ..context import ArticleContext


@step("record.v3", needs=("drafts", "resolver", "entities", "kinds", "confidences", "types", "links", "whens",
                          "channels", "times", "places"), produces="record")
def build_record(ctx: ArticleContext) -> ArticleRecord:
    """The ArticleRecord: statements in text order (``s1``, ``s2`` ...), what was refused and
    why, speakers, passages, places, times (v3: the refusals and the layout's furniture)."""
    speakers, speaker_ids = ctx.resolver.speakers([e for e in ctx.entities if e is not None])
    statements = [_statement(ctx, n, draft, speaker_ids) for n, draft in enumerate(ctx.drafts)]
    for n, targets in ctx.links.items():
        statements[n].denies = [statements[t].id for t in targets]
        for t in targets:
            statements[t].denied_by.append(statements[n].id)
    return ArticleRecord(
        length=len(ctx.text),
        published=ctx.published.isoformat() if ctx.published else None,
        statements=statements,
        refused=sorted(ctx.products.get("refused", []), key=lambda r: r.start),
        speakers=speakers,
        duplicates=ctx.repeats,
        places=ctx.places,
        times=ctx.times,
        layout=_layout(ctx),
    )


def _layout(ctx: ArticleContext) -> Layout | None:
    """The headline, byline and dateline the layout step found, when it ran and found any."""
    found = ctx.products.get("layout")
    if found is None or not found.spans:
        return None
    spans = {name: _span(ctx, *getattr(found, name)) for name in ("headline", "byline", "dateline")
             if getattr(found, name)}
    dated = found.date(ctx.published)
    return Layout(**spans, furniture=[_span(ctx, a, b) for a, b in found.furniture], place=found.place,
                  date=dated.isoformat() if dated else None)


#: How the parts of a split quote are joined in its content's text ("A … B").
SPLIT_JOIN = " … "


def _span(ctx: ArticleContext, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=ctx.text[start:end])


def _statement(ctx: ArticleContext, n: int, draft: Candidate, speaker_ids: dict[int, str]) -> Statement:
    """Statement ``n`` (0-based) from its draft and the products about it."""
    entity = ctx.entities[n]
    speaker = None
    if draft.speaker:
        speaker = SpeakerRef(start=draft.speaker[0], end=draft.speaker[1], text=ctx.span_text(draft.speaker),
                             name=entity.name if entity else None,
                             id=speaker_ids.get(id(entity)) if entity else None)
    start, end = draft.extent
    fragments = [_span(ctx, a, b) for a, b in draft.fragments] if len(draft.fragments) > 1 else []
    content = _span(ctx, start, end)
    if fragments:  # a split quote: the words said, never the attribution between its parts
        content.text = SPLIT_JOIN.join(f.text for f in fragments)
    statement = Statement(
        id=f"s{n + 1}", kind=ctx.kinds[n], type=StatementType(ctx.types[n]), content=content,
        fragments=fragments,
        speaker=speaker, cue=_span(ctx, *draft.cue) if draft.cue else None,
    )
    if ctx.whens[n] is not None:
        statement.when = ctx.whens[n]
    if ctx.channels[n] is not None:
        statement.channel = ctx.channels[n]
    statement.confidence = ctx.confidences[n]
    return statement

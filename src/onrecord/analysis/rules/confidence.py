"""Confidence: how likely each statement is right, in [0, 1].

A statement the tagger added carries the tagger's own probability (``model.join``). A
statement the rules made carries the share of right statements among those of its sort
(kind, and how its speaker was found) on annotated news (``data/confidence.toml``), so that
a reader can sort and filter by it, and ``search --min-confidence`` means what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..registry import step

if TYPE_CHECKING:
    from ..context import ArticleContext
    from .candidate import Candidate
    from .speakers import Entity


def origin(draft: Candidate) -> tuple[str, float | None]:
    """Who found a statement, and the tagger's probability where it read it: ``tagger`` (the
    tagger alone), ``joined`` (a rule's draft the tagger read too), or ``rules`` (a rule's
    draft the tagger did not read)."""
    if draft.confidence is not None:
        return "tagger", draft.confidence
    if draft.tagger_confidence is not None:
        return "joined", draft.tagger_confidence
    return "rules", None


def speaker_status(draft: Candidate, entity: Entity | None) -> str:
    """How a statement's speaker was found: named, pronoun, unresolved, or none."""
    if draft.speaker is None:
        return "none"
    if entity is None:
        return "unresolved"
    tok = draft.speaker_token
    return "pronoun" if tok is not None and tok.pos_ == "PRON" else "named"


@step("confidence.v1", needs=("drafts", "entities", "kinds"), produces="confidences")
def statement_confidences(ctx: ArticleContext) -> list[float]:
    """Each statement's confidence: the measured share right among statements of its sort.

    For a rule's statement the sort is its kind and how its speaker was found; for one the
    tagger added, the band of the tagger's own probability.
    """
    shares = ctx.lexicon.confidence  # data/confidence.toml, or a lexicon file's [confidence]
    out = []
    for draft, entity, kind in zip(ctx.drafts, ctx.entities, ctx.kinds):
        if draft.confidence is not None:
            out.append(_band(shares.bands, draft.confidence))
        else:
            out.append(shares.rules[kind][speaker_status(draft, entity)])
    return out


def _band(bands: Sequence[Sequence[float]], probability: float) -> float:
    """The share right of the highest band whose lower bound ``probability`` reaches."""
    share = bands[0][1]
    for lower, right in bands:
        if probability >= lower:
            share = right
    return share

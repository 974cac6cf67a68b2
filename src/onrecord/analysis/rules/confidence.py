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


#: Lower bounds of the tagger-probability bands of the accurate engine's table.
TAGGER_BANDS = (0.0, 0.7, 0.8, 0.9, 0.95, 0.98)


def band_of(probability: float) -> str:
    """The lower bound of the band ``probability`` falls in, as the table writes it ("0.9")."""
    return str(max(b for b in TAGGER_BANDS if probability >= b))


def cells(found_by: str, probability: float | None, kind: str, status: str, *,
          bands_below: bool = True) -> list[str]:
    """A statement's cells in the accurate engine's table, most specific first; the first the
    table holds (one with enough statements counted) gives the share right. A rule's draft
    alone: kind and speaker status, then status; one the tagger read: kind, whether the
    speaker was resolved, and the probability's band, then coarser, and last the bands below
    its own, nearest first (a band too thin to count, such as the tagger's rare additions
    above 0.98, takes the share of the band under it rather than an uncounted guess).
    ``bands_below=False`` gives only the cells a statement is counted in when fitting."""
    if found_by == "rules" or probability is None:
        return [f"rules|{kind}|{status}", f"rules|any|{status}"]
    band = band_of(probability)
    settled = "resolved" if status in ("named", "pronoun") else "unresolved"
    below = [str(b) for b in sorted(TAGGER_BANDS, reverse=True) if bands_below and b < float(band)]
    return [f"{found_by}|{kind}|{settled}|{band}", f"{found_by}|any|{settled}|{band}",
            f"{found_by}|any|any|{band}", *(f"{found_by}|any|any|{b}" for b in below)]


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


@step("confidence.v2", needs=("drafts", "entities", "kinds"), produces="confidences")
def calibrated_confidences(ctx: ArticleContext) -> list[float]:
    """The accurate engine's confidence: the share right among statements of the same cell
    (who found it, kind, speaker, the tagger's probability band), counted on the training
    split out of fold: half of it read by a tagger trained on the other half
    (``training/calibrate_confidence.py``; ``data/confidence.toml``'s ``[accurate]``). A
    statement whose cells the table lacks keeps ``confidence.v1``'s share."""
    table = ctx.lexicon.confidence.accurate
    out = []
    for draft, entity, kind, share in zip(ctx.drafts, ctx.entities, ctx.kinds, statement_confidences(ctx)):
        found_by, probability = origin(draft)
        names = cells(found_by, probability, kind, speaker_status(draft, entity))
        out.append(next((table[name] for name in names if name in table), share))
    return out

"""From tag probabilities to attributions: spans, their probability, and pairing.

A span is a run of wordpieces tagged ``B-X I-X I-X ...``; its probability is the mean,
over its pieces, of the probability that the piece belongs to a span of that role
(``P(B-X) + P(I-X)``). A content that starts with an inside tag after a gap continues the
content before it (the second half of a quotation split around its speaker). Each content
takes the nearest cue in its sentence, and the source nearest that cue, as news puts the
speaker beside the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .tagger import TAGS, TagProbabilities

ROLE_TAGS = {"SOURCE": (1, 2), "CUE": (3, 4), "CONTENT": (5, 6)}
#: An inside-content span after a gap continues the previous content only this close (chars).
MAX_CONTINUATION_GAP = 600
#: A cue (or, failing that, a source) pairs with a content only this close (chars), in its sentence.
MAX_PAIR_DISTANCE = 300
#: A source pairs with a cue only in the cue's sentence and this close (chars).
MAX_SOURCE_CUE_DISTANCE = 150
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+|\n")


@dataclass
class TaggedSpan:
    """A span the tagger found: characters and the probability of its role."""

    start: int
    end: int
    prob: float

    @property
    def extent(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class ModelAttribution:
    """Content fragments the tagger found, with the cue and source paired with them."""

    fragments: list[TaggedSpan]
    cue: TaggedSpan | None = None
    source: TaggedSpan | None = None

    @property
    def content(self) -> tuple[int, int]:
        return self.fragments[0].start, self.fragments[-1].end

    @property
    def confidence(self) -> float:
        """How sure the tagger is of the content: its fragments' mean probability, by length."""
        weights = [max(1, f.end - f.start) for f in self.fragments]
        return float(sum(f.prob * w for f, w in zip(self.fragments, weights)) / sum(weights))


@dataclass
class DecodedSpans:
    contents: list[list[TaggedSpan]] = field(default_factory=list)
    sources: list[TaggedSpan] = field(default_factory=list)
    cues: list[TaggedSpan] = field(default_factory=list)


def decode(text: str, tagged: TagProbabilities) -> list[ModelAttribution]:
    """Attributions from the tag probabilities of an article."""
    return pair(text, spans(tagged))


def spans(tagged: TagProbabilities) -> DecodedSpans:
    """Read the BIO spans off the argmax tags; an inside content after a gap continues."""
    out = DecodedSpans()
    tags = tagged.tags
    i, n = 0, len(tags)
    while i < n:
        name = TAGS[int(tags[i])]
        if name == "O":
            i += 1
            continue
        prefix, role = name.split("-", 1)
        begin, inside = ROLE_TAGS[role]
        j = i + 1
        while j < n and int(tags[j]) == inside:
            j += 1
        prob = float(np.mean(tagged.probs[i:j, begin] + tagged.probs[i:j, inside]))
        span = TaggedSpan(int(tagged.offsets[i][0]), int(tagged.offsets[j - 1][1]), prob)
        _store(out, role, span, continues=prefix == "I" and role == "CONTENT")
        i = j
    return out


def _store(out: DecodedSpans, role: str, span: TaggedSpan, continues: bool) -> None:
    if role == "SOURCE":
        out.sources.append(span)
    elif role == "CUE":
        out.cues.append(span)
    elif continues and out.contents and span.start - out.contents[-1][-1].end <= MAX_CONTINUATION_GAP:
        out.contents[-1].append(span)
    else:
        out.contents.append([span])


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(b[0] - a[1], a[0] - b[1], 0)


def _breaks(text: str, a: tuple[int, int], b: tuple[int, int]) -> int:
    lo, hi = min(a[1], b[1]), max(a[0], b[0])
    return len(_SENTENCE_BREAK.findall(text, lo, hi)) if hi > lo else 0


def _nearest(text: str, candidates: list[TaggedSpan], content: tuple[int, int]) -> TaggedSpan | None:
    near = [c for c in candidates
            if _distance(c.extent, content) <= MAX_PAIR_DISTANCE and _breaks(text, c.extent, content) == 0]
    return min(near, key=lambda c: _distance(c.extent, content)) if near else None


def pair(text: str, found: DecodedSpans) -> list[ModelAttribution]:
    """Give each content its nearest cue, then the source nearest that cue."""
    out = []
    for frags in found.contents:
        att = ModelAttribution(frags)
        att.cue = _nearest(text, found.cues, att.content)
        if att.cue is not None:
            cue = att.cue.extent
            near = [s for s in found.sources if _distance(s.extent, cue) <= MAX_SOURCE_CUE_DISTANCE
                    and _breaks(text, s.extent, cue) == 0]
            att.source = min(near, key=lambda s: _distance(s.extent, cue)) if near else None
        if att.source is None:
            att.source = _nearest(text, found.sources, att.content)
        out.append(att)
    return out

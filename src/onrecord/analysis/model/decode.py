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
import numpy.typing as npt

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


#: How tags are read off the probabilities: ``argmax`` (each piece on its own) or
#: ``viterbi`` (the likeliest sequence that obeys the tag grammar; see ``best_tags``).
DECODING = "argmax"
#: Log-probabilities of one tag following another, counted on the training split, and how
#: much they weigh against the tagger's own (``viterbi`` only; None: the grammar alone).
TRANSITIONS: npt.NDArray[np.float64] | None = None
TRANSITION_WEIGHT = 0.5


def decode(text: str, tagged: TagProbabilities) -> list[ModelAttribution]:
    """Attributions from the tag probabilities of an article."""
    tags = best_tags(text, tagged, TRANSITIONS, TRANSITION_WEIGHT) if DECODING == "viterbi" else tagged.tags
    return pair(text, spans(tagged, tags))


def _allowed_transitions() -> npt.NDArray[np.bool_]:
    """Which tag may follow which: an inside source or cue continues its own role only; an
    inside content may also follow anything (the second half of a split quotation)."""
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for begin, inside in (ROLE_TAGS["SOURCE"], ROLE_TAGS["CUE"]):
        allowed[:, inside] = False
        allowed[begin, inside] = allowed[inside, inside] = True
    return allowed


def _within_word() -> npt.NDArray[np.bool_]:
    """Which tag may follow which inside one word: the word keeps its role (a word is never
    half quoted), so only outside after outside and inside after the same role."""
    allowed = np.zeros((len(TAGS), len(TAGS)), dtype=bool)
    allowed[0, 0] = True
    for begin, inside in ROLE_TAGS.values():
        allowed[begin, inside] = allowed[inside, inside] = True
    return allowed


ALLOWED = _allowed_transitions()
WITHIN_WORD = _within_word()


def joins_word(text: str, prev_end: int, start: int) -> bool:
    """Whether a piece continues the word of the piece before it (letters or digits touching)."""
    return (prev_end == start and 0 < start < len(text)
            and text[start - 1].isalnum() and text[start].isalnum())


def best_tags(text: str, tagged: TagProbabilities, transitions: npt.NDArray[np.float64] | None = None,
              weight: float = 0.5) -> npt.NDArray[np.intp]:
    """The likeliest tag sequence under the tag grammar (Viterbi on log-probabilities): no
    inside source or cue without its beginning, no word split between roles. Argmax reads
    each piece alone, so one doubtful piece can cut a quotation in two or start a source
    mid-name; the grammar lets the pieces around it decide. (``offsets`` are in ``text``.)"""
    n = len(tagged.probs)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    emit = np.log(np.clip(tagged.probs.astype(np.float64), 1e-12, None))
    forbid_between = np.where(ALLOWED, 0.0, -np.inf)
    if transitions is not None:
        forbid_between = forbid_between + weight * transitions
    forbid_within = np.where(ALLOWED & WITHIN_WORD, 0.0, -np.inf)
    score = emit[0].copy()
    score[[ROLE_TAGS["SOURCE"][1], ROLE_TAGS["CUE"][1]]] = -np.inf
    back = np.zeros((n, len(TAGS)), dtype=np.intp)
    offsets = tagged.offsets
    for i in range(1, n):
        joined = joins_word(text, int(offsets[i - 1][1]), int(offsets[i][0]))
        total = score[:, None] + (forbid_within if joined else forbid_between)
        back[i] = total.argmax(axis=0)
        score = total[back[i], np.arange(len(TAGS))] + emit[i]
    tags = np.zeros(n, dtype=np.intp)
    tags[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        tags[i - 1] = back[i, tags[i]]
    return tags


def spans(tagged: TagProbabilities, tags: npt.NDArray[np.intp] | None = None) -> DecodedSpans:
    """Read the BIO spans off the tags (argmax unless given); an inside content after a gap
    continues the content before it."""
    out = DecodedSpans()
    tags = tagged.tags if tags is None else tags
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

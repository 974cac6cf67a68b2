"""A statement in the making, as the sentence reader finds it and the quotation pass
completes it. Offsets are characters into the whole article."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from spacy.tokens import Token

QUOTE_MARKS = set("“”„«»\"‘’'`")
OPENING_MARKS = set("“\"«„‘'`")


def is_quote_mark(text: str) -> bool:
    """Whether a token is made of quotation marks only (“, '', ``)."""
    return bool(text) and all(ch in QUOTE_MARKS for ch in text)


class Frame(StrEnum):
    """How a candidate carries its content: the construction it was read from."""

    CLAUSE = "clause"  # said (that) ..., “...,” she said
    OBJECT = "object"  # denied the claims, called for talks
    INFINITIVE = "infinitive"  # urged Putin to spare ...
    PREP = "prep"  # accused X of Y: read by content_range, stored as OBJECT
    NAMING = "naming"  # called the remarks “a wake-up call”
    ACCORDING = "according"  # according to X, ...
    COLON = "colon"  # X told reporters: “...”
    NOUN = "noun"  # Putin's claim that ...
    BARE = "bare"  # a cue with nothing to say yet: a quotation beside it may become its content
    QUOTE = "quote"  # a quotation nobody is named for
    CONTINUED = "continued"  # a quotation that continues the last speaker in the next paragraph
    TRANSCRIPT = "transcript"  # WALLACE: Let's start ...
    SIGNED = "signed"  # “...” ― Name
    MODEL = "model"  # found by the learned tagger, where no rule found it


@dataclass
class Candidate:
    """A statement in the making: offsets are characters into the whole article."""

    cue: tuple[int, int] | None
    lemma: str
    type: str  # a StatementType value
    frame: Frame
    speaker: tuple[int, int] | None
    speaker_token: Token | None
    fragments: list[tuple[int, int]] = field(default_factory=list)
    sentence: tuple[int, int] = (0, 0)
    cue_token: Token | None = None
    colon_at: int | None = None
    # where the content ran before a nested statement's attribution was cut off its end
    # ("crimes that he said | amounted to ..."): that statement is still inside this one
    reach: int | None = None
    # how sure whoever made it is that this is an attribution (the tagger's probability)
    confidence: float | None = None
    # a rule's draft the tagger read too: the tagger's probability for that attribution
    tagger_confidence: float | None = None

    @property
    def content(self) -> tuple[int, int] | None:
        """The envelope of the content fragments."""
        if not self.fragments:
            return None
        return self.fragments[0][0], self.fragments[-1][1]

    @property
    def extent(self) -> tuple[int, int]:
        """The envelope of the content fragments of a candidate that has some (every draft has)."""
        return self.fragments[0][0], self.fragments[-1][1]

    def covers(self, pos: int) -> bool:
        """Whether character ``pos`` lies in the content or the speaker mention.

        Times and channels there belong to what was said, not to the saying.
        """
        return any(a <= pos < b for a, b in self.fragments) or bool(self.speaker and self.speaker[0] <= pos < self.speaker[1])

    @property
    def attribution_end(self) -> int:
        """Where the last of content, cue and speaker ends."""
        ends = [e for _, e in self.fragments] + [s[1] for s in (self.cue, self.speaker) if s]
        return max(ends)

    @property
    def scope(self) -> tuple[int, int] | None:
        """The stretch whose statements are nested in this one: its content and its reach."""
        if not self.fragments:
            return None
        start, end = self.extent
        return start, max(end, self.reach or end)

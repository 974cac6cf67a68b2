"""A statement in the making, as the sentence reader finds it and the quotation pass
completes it. Offsets are characters into the whole article."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

QUOTE_MARKS = set("“”„«»\"‘’'`")
OPENING_MARKS = set("“\"«„‘'`")


def is_quote_mark(text: str) -> bool:
    """Whether a token is made of quotation marks only (“, '', ``)."""
    return bool(text) and all(ch in QUOTE_MARKS for ch in text)


@dataclass
class Candidate:
    """A statement in the making: offsets are characters into the whole article."""

    cue: tuple[int, int] | None
    lemma: str
    type: str
    frame: str  # clause | object | infinitive | according | colon | quote
    speaker: tuple[int, int] | None
    speaker_token: Token | None
    fragments: list[tuple[int, int]] = field(default_factory=list)
    sentence: tuple[int, int] = (0, 0)
    cue_token: Token | None = None
    colon_at: int | None = None
    # where the content ran before a nested statement's attribution was cut off its end
    # ("crimes that he said | amounted to ..."): that statement is still inside this one
    reach: int | None = None

    @property
    def content(self) -> tuple[int, int] | None:
        """The envelope of the content fragments."""
        if not self.fragments:
            return None
        return self.fragments[0][0], self.fragments[-1][1]

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
        start, end = self.content
        return start, max(end, self.reach or end)

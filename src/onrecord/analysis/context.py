"""One article as every step of the analysis sees it: ``ArticleContext``.

Like spaCy's ``Doc``, one object travels through the steps: it holds what was given (the
text, its parsed segments, its repeated passages, the publication date), what rules the run
(the lexicon, the settings), the lookups every step needs (token at an offset, tokens in a
range, whether a character is quoted, paragraph bounds), and the products of the steps so
far (quotes, candidates, drafts, speakers ...). Steps read products from it and return
their own; the engine (``onrecord.analysis.engine``) stores what each returns under the
names the step declares, so who wrote what is never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from typing import Any

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..lexicon import Lexicon
from ..model import Duplicate
from .settings import AnalysisSettings


class Paragraphs:
    """Paragraph (line) lookups by character offset."""

    def __init__(self, text: str):
        self.text = text
        self.breaks = [m.start() for m in re.finditer(r"\n", text)]

    def index(self, pos: int) -> int:
        """The number of the paragraph (line) holding ``pos``."""
        return bisect_right(self.breaks, pos - 1) if pos else 0

    def bounds(self, pos: int) -> tuple[int, int]:
        """Start and end of the line holding ``pos``."""
        i = self.index(pos)
        start = self.breaks[i - 1] + 1 if i > 0 else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return start, end


#: What steps may produce, and what each product is (the engine refuses other names).
PRODUCTS: dict[str, str] = {
    "quotes": "QuoteIndex of the article's quotations, repeated passages left out",
    "candidates": "Candidates read from the parse, then settled by the assemble steps",
    "turns": "the labelled turns of a transcript or Q&A, and who asks (Turns)",
    "venues": "quoted titles that name where something was said, by quotation group",
    "layout": "the headline, byline and dateline of the article (onrecord.layout.Layout)",
    "drafts": "statement drafts with their content settled, in text order",
    "tagged": "the attributions the learned tagger found (ModelAttribution)",
    "resolver": "the article's speaker table (SpeakerResolver)",
    "entities": "the resolved speaker of each draft (or None)",
    "kinds": "direct / mixed / indirect of each draft",
    "confidences": "how likely each draft is right, in [0, 1]",
    "contents": "the parsed tokens of each draft's content",
    "types": "the statement type of each draft",
    "links": "denial index -> indexes of the claims it denies",
    "whens": "the time phrase of each draft's cue (TimeRef or None)",
    "channels": "the channel phrase of each draft's cue (Span or None)",
    "times": "every time expression of the article (TimeRef)",
    "places": "places named in the article (Place)",
    "refused": "what read like a statement and was refused, with the reason (Refusal)",
    "record": "the ArticleRecord",
}


class ArticleContext:
    """An article's text, parse, lexicon, settings and the products of the steps run so far.

    Token offsets come from ``Doc.to_array`` so that no Token object is made for tokens that
    are never looked at (making them costs more than the extraction itself).
    """

    def __init__(self, text: str, segments: list[tuple[Doc, int]], repeats: list[Duplicate],
                 published: date | None, lexicon: Lexicon, settings: AnalysisSettings,
                 title: str | None = None, author: str | None = None, page_kind: str | None = None,
                 found_layout: tuple[str, object] | None = None):
        self.text = text
        self.title = title  # the title given with the text, if any (its first line may repeat it)
        self.author = author  # the byline's author(s), if known: who "I" is outside quotations
        self.page_kind = page_kind  # news, opinion, interview, press-release, not-news (None: unknown)
        self.found_layout = found_layout  # (words' digest, Layout) its reader found, if any
        self.segments = segments  # (doc, offset) in text order, as the parser returned them
        self.repeats = repeats
        self.published = published
        self.lexicon = lexicon
        self.settings = settings
        self.paragraphs = Paragraphs(text)
        self.products: dict[str, Any] = {}
        ordered = sorted(segments, key=lambda seg: seg[1])
        self._ordered = ordered
        self._offsets = {id(doc): offset for doc, offset in segments}
        self._starts = [offset for _, offset in ordered]
        self._token_starts = [doc.to_array(IDX).astype(np.int64) + offset for doc, offset in ordered]
        self._repeat_starts = [d.start for d in repeats]

    # -- products -----------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        """A product of an earlier step (``ctx.drafts``); a clear error when none made it."""
        if name.startswith("_") or name not in PRODUCTS:
            raise AttributeError(name)
        try:
            return self.__dict__["products"][name]
        except KeyError:
            raise AttributeError(f"no step before this one produced {name!r} ({PRODUCTS[name]})") from None

    def put(self, name: str, value: Any) -> None:
        """Store a step's product under its declared name."""
        if name not in PRODUCTS:
            raise KeyError(f"{name!r} is not a product of the analysis; known: {', '.join(PRODUCTS)}")
        self.products[name] = value

    # -- lookups ------------------------------------------------------------------------------
    def in_quote(self, pos: int) -> bool:
        """Whether character ``pos`` lies inside quotation marks (needs the quotes step)."""
        return self.quotes.containing(pos) is not None

    def repeated(self, pos: int) -> bool:
        """Whether character ``pos`` lies in a passage repeating earlier text."""
        k = bisect_right(self._repeat_starts, pos) - 1
        return k >= 0 and pos < self.repeats[k].end

    def offset_of(self, tok: Token) -> int:
        """Character offset of a token in the whole article."""
        return tok.idx + self._offsets[id(tok.doc)]

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The (non-space) tokens that start inside ``[start, end)``."""
        found: list[Token] = []
        first = max(0, bisect_right(self._starts, start) - 1)
        last = bisect_right(self._starts, end)
        for (doc, _), starts in zip(self._ordered[first:last], self._token_starts[first:last]):
            i, j = np.searchsorted(starts, [start, end])
            for k in range(int(i), int(j)):  # single tokens: a Span costs more to build
                tok = doc[k]
                if not tok.is_space:
                    found.append(tok)
        return found

    def token_at(self, pos: int) -> Token | None:
        """The token that starts at or before ``pos``."""
        k = bisect_right(self._starts, pos) - 1
        if k < 0:
            return None
        i = int(np.searchsorted(self._token_starts[k], pos, side="right")) - 1
        return self._ordered[k][0][i] if i >= 0 else None

    def span_text(self, span: tuple[int, int]) -> str:
        """The characters of ``(start, end)``."""
        return self.text[span[0]:span[1]]

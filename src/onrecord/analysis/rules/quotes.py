"""Quotation marks: where quoted text starts and ends.

News is typed with every style of mark: curly “ ” and straight " quotes, German „ “,
guillemets « », TeX/PTB-style `` '' and the two-apostrophe '' ... '' some newspapers use,
and single ‘ ’ quotes in British copy and headlines. Marks are often mistyped or unbalanced,
so pairing is done per paragraph with repairs by context, never by trusting one mark.

A quotation that runs over paragraphs repeats its opening mark at the start of each
paragraph and closes only in the last one (the news convention); such pieces share a
``group`` so that the extractor can treat them as one quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..registry import step

if TYPE_CHECKING:
    from ..context import ArticleContext

# opening mark -> the marks that may close it
DOUBLE_CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”", "“", '"'),
    "„": ("“", "”"),
    "«": ("»",),
    "»": ("«",),  # Danish/German reversed guillemets
    "”": ("”", "“"),  # a closing mark typed as the opener
    '"': ('"', "”"),
    "``": ("''", "”", '"'),
    "''": ("''",),
    "‘": ("’",),
}
OPENERS_AFTER = set(" \t\r\n\u00a0([{—–-/") | {""}
_MARK_RE = re.compile(r"``|''|[“”„«»\"‘’\n]")
_WORDCHAR = re.compile(r"\w")
_ALNUM = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Quote:
    """One quoted stretch within one paragraph."""

    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph end if never closed)
    inner_start: int
    inner_end: int
    closed: bool
    group: int  # shared by the paragraphs of one multi-paragraph quotation
    words: int  # rough word count of the quoted text: tells scare quotes from speech


def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _may_open(text: str, pos: int, mark: str) -> bool:
    """Whether a mark at ``pos`` can open a quotation here, judged by its neighbours."""
    before, after = _char(text, pos - 1), _char(text, pos + len(mark))
    if mark == "«":  # French typography puts a space inside guillemets
        return True
    if mark in ("“", "„", "``"):
        return not after.isspace() or after == ""
    if mark == "”":  # a closing mark typed where an opening one belongs
        return before in OPENERS_AFTER and after != "" and not after.isspace()
    if mark in ('"', "''", "»"):
        return after != "" and not after.isspace() and (before in OPENERS_AFTER or not before.isalnum())
    if mark == "‘":
        return before in OPENERS_AFTER or before in "\"“"
    return False


def _may_close(text: str, pos: int, mark: str, opener: str) -> bool:
    """Whether ``mark`` at ``pos`` closes a quotation opened by ``opener``."""
    if mark not in DOUBLE_CLOSERS.get(opener, ()):
        return False
    after = _char(text, pos + len(mark))
    if opener == "‘":  # ’ is mostly an apostrophe: it closes only before a non-letter
        return not _WORDCHAR.match(after or " ")
    if mark == "“" and opener == "“":  # “ typed for ”: only before space/punctuation
        return after == "" or after.isspace() or after in ".,;:!?)]}—–-"
    return True


def find_quotes(text: str) -> list[Quote]:
    """All quoted stretches of ``text``, in order, paired per paragraph."""
    quotes: list[Quote] = []
    opener: str | None = None
    open_at = 0
    group = 0
    continuing = False  # the previous paragraph ended inside a quotation

    def close(end: int, closer_len: int, closed: bool) -> None:
        inner_end = end - closer_len
        while inner_end > open_at and text[inner_end - 1].isspace():
            inner_end -= 1
        inner_start = open_at + len(opener or "")
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        words = len(text[inner_start:inner_end].split())
        quotes.append(Quote(open_at, end, inner_start, inner_end, closed, group, words))

    for match in _MARK_RE.finditer(text):
        mark, pos = match.group(), match.start()
        if mark == "\n":
            if opener is not None:
                continuing = opener != "‘" and _next_paragraph_opens(text, pos)
                if opener != "‘" or continuing:
                    close(pos, 0, False)
                opener = None
            continue
        if opener is None:
            if _may_open(text, pos, mark):
                if not continuing:
                    group += 1
                continuing = False
                opener, open_at = mark, pos
            continue
        if _may_close(text, pos, mark, opener):
            close(pos + len(mark), len(mark), True)
            opener = None
            continuing = False
        elif mark == "“" and opener == "“" and _may_open(text, pos, mark):
            # a second opener while open: the first was never closed; restart here
            close(pos, 0, False)
            group += 1
            open_at = pos
    if opener is not None and opener != "‘":
        close(len(text), 0, False)
    return [q for q in quotes if q.inner_end > q.inner_start]


def _next_paragraph_opens(text: str, newline_at: int) -> bool:
    """Whether the next non-empty paragraph starts with an opening quotation mark."""
    i = newline_at
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i < n and (text[i] in "“„«\"" or text.startswith(("``", "''"), i))


class QuoteIndex:
    """Fast lookups of which characters lie inside quotation marks."""

    def __init__(self, quotes: list[Quote]):
        self.quotes = quotes
        self._starts = [q.inner_start for q in quotes]
        self._outer_starts = [q.start for q in quotes]
        #: the paragraphs of each quotation, by group
        self.groups: dict[int, list[Quote]] = {}
        for q in quotes:
            self.groups.setdefault(q.group, []).append(q)

    def at(self, pos: int) -> Quote | None:
        """The quote whose extent, marks included, contains character ``pos``."""
        i = bisect_right(self._outer_starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def containing(self, pos: int) -> Quote | None:
        """The quote whose inner text contains character ``pos``, if any."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].inner_end:
            return self.quotes[i]
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotes whose inner text overlaps ``[start, end)``."""
        i = max(0, bisect_right(self._starts, start) - 1)
        found = []
        while i < len(self.quotes) and self.quotes[i].inner_start < end:
            q = self.quotes[i]
            if q.inner_end > start:
                found.append(q)
            i += 1
        return found

    def quoted_fraction(self, text: str, spans: list[tuple[int, int]]) -> float:
        """Share of the letters and digits in ``spans`` that lie inside quotation marks."""
        inside = total = 0
        for start, end in spans:
            for q in self.overlapping(start, end):
                a, b = max(start, q.inner_start), min(end, q.inner_end)
                inside += len(_ALNUM.findall(text, a, b))
            total += len(_ALNUM.findall(text, start, end))
        return inside / total if total else 0.0


@step("quotes.v1", produces="quotes")
def article_quotes(ctx: ArticleContext) -> QuoteIndex:
    """The article's quotations, those starting in a repeated passage left out."""
    return QuoteIndex([q for q in find_quotes(ctx.text) if not ctx.repeated(q.start)])


@step("kinds.v1", needs=("quotes", "drafts"), produces="kinds")
def statement_kinds(ctx: ArticleContext) -> list[str]:
    """Direct, mixed or indirect, from the share of a content's words inside quotation marks."""
    kinds = []
    for draft in ctx.drafts:
        share = ctx.quotes.quoted_fraction(ctx.text, draft.fragments)
        if share >= ctx.settings.direct_share:
            kinds.append("direct")
        else:
            kinds.append("mixed" if share > 0 else "indirect")
    return kinds

"""The sentence around a statement: what a reader needs to judge it without opening the
article (``context`` in exports, ``show --statement`` and the speaker pages).

Sentence ends are found by how English prose is punctuated (``.``, ``!``, ``?`` or ``…``,
then closing quotes or brackets, then a space before a capital or an opening quote; a line
break always ends one), not by a parser: the store and the pages must not load spaCy.
"""

from __future__ import annotations

import re

#: At most this many characters of context on each side of a statement.
CONTEXT_REACH = 400
_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Jr|Sr|Inc|Corp|Co|Ltd|"
                           r"No|U\.S|U\.K|Jan|Feb|Aug|Sept|Oct|Nov|Dec|vs))\.\s*$")


def sentence_around(text: str, start: int, end: int, reach: int = CONTEXT_REACH) -> tuple[int, int]:
    """The span of the sentence(s) holding ``text[start:end]``, at most ``reach`` characters
    beyond it on each side (cut at a word there), blanks trimmed."""
    low, high = max(0, start - reach), min(len(text), end + reach)
    left = low
    for m in _END.finditer(text, low, min(len(text), start + 2)):  # the lookahead sees the first words
        if m.end() <= start and not _ABBREVIATION.search(text[max(low, m.start() - 6):m.start() + 1]):
            left = m.end()
    right = high
    for m in _END.finditer(text, max(end - 1, 0), high):
        if m.start() >= end - 1 and not _ABBREVIATION.search(text[max(0, m.start() - 6):m.start() + 1]):
            right = m.start() + len(m.group().rstrip())
            break
    if left == low and low > 0:  # cut inside a word: start at the next one
        left = text.find(" ", low, start) + 1 or low
    if right == high and high < len(text):
        right = text.rfind(" ", end, high) if text.rfind(" ", end, high) > end else high
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def context_of(text: str, start: int, end: int) -> str:
    """The sentence(s) around ``text[start:end]``, as one line."""
    a, b = sentence_around(text, start, end)
    return " ".join(text[a:b].split())

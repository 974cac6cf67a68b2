"""Repeated passages inside one article.

Scraped copies often hold a story twice (a page's main text and its print view, an AMP copy
appended to the original), or repeat a paragraph. A later passage that repeats earlier text
of the same article, exactly or nearly, is reported as a duplicate and left out of analysis,
so its statements are not counted twice.

Units are paragraphs (long paragraphs are cut into sentences). Exact repeats are found by
hashing normalised units; near repeats (a changed word, typography) by the Jaccard
similarity of word 3-shingles, looked up through an inverted index so long texts stay fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Duplicate, Offsets

#: Units this long are cut into sentences so a repeat inside one huge paragraph is found.
MAX_UNIT_CHARS = 600
#: Shingle-set similarity above which two units are the same text, lightly edited.
NEAR_THRESHOLD = 0.8
#: Word-set similarity above which two short units are the same text with a word changed.
NEAR_WORD_THRESHOLD = 0.85
#: A repeat must hold this many words in all before it is reported.
MIN_REPEAT_WORDS = 12

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’']?\s+(?=[“\"‘'(\[A-Z0-9])")
_SHINGLE = 3


@dataclass
class Unit:
    """A paragraph or sentence with its normalised words."""

    start: int
    end: int
    words: tuple[str, ...]


def split_units(text: str) -> list[Unit]:
    """Paragraphs of ``text`` (sentences for long ones), with offsets."""
    units: list[Unit] = []
    for para in re.finditer(r"[^\n]+", text):
        start, end = para.span()
        pieces = [(start, end)]
        if end - start > MAX_UNIT_CHARS:
            pieces, last = [], start
            for cut in _SENTENCE_END.finditer(text, start, end):
                pieces.append((last, cut.start()))
                last = cut.end()
            pieces.append((last, end))
        for a, b in pieces:
            while b > a and text[b - 1].isspace():
                b -= 1
            while a < b and text[a].isspace():
                a += 1
            words = tuple(w.lower() for w in _WORD.findall(text, a, b))
            if words:
                units.append(Unit(a, b, words))
    return units


def _shingles(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    if len(words) < _SHINGLE:
        return {words}
    return {words[i : i + _SHINGLE] for i in range(len(words) - _SHINGLE + 1)}


def _match_units(units: list[Unit]) -> dict[int, tuple[int, bool]]:
    """For each unit repeating an earlier one: the earlier unit's index and exactness."""
    first_seen: dict[tuple[str, ...], int] = {}
    postings: dict[tuple[str, ...], list[int]] = {}
    shingle_sets: list[set[tuple[str, ...]]] = []
    matches: dict[int, tuple[int, bool]] = {}
    for j, unit in enumerate(units):
        shingles = _shingles(unit.words)
        shingle_sets.append(shingles)
        if unit.words in first_seen:
            matches[j] = (first_seen[unit.words], True)
        elif len(unit.words) >= 6:
            best = _best_near(j, units, shingles, shingle_sets, postings)
            if best is not None:
                matches[j] = (best, False)
        first_seen.setdefault(unit.words, j)
        for sh in shingles:
            postings.setdefault(sh, []).append(j)
    return matches


def _best_near(j: int, units: list[Unit], shingles: set[tuple[str, ...]], shingle_sets: list[set[tuple[str, ...]]],
               postings: dict[tuple[str, ...], list[int]]) -> int | None:
    """The earlier unit most similar to unit ``j``, if similar enough.

    Similar means most word 3-shingles shared, or, for a short unit where one changed word
    breaks three shingles, most words shared.
    """
    votes: dict[int, int] = {}
    for sh in shingles:
        for i in postings.get(sh, ())[-50:]:  # cap: very common shingles say little
            votes[i] = votes.get(i, 0) + 1
    best, best_score = None, 0.0
    words = set(units[j].words)
    for i, shared in votes.items():
        shingle_sim = shared / (len(shingles) + len(shingle_sets[i]) - shared)
        other = set(units[i].words)
        word_sim = len(words & other) / len(words | other)
        if shingle_sim >= NEAR_THRESHOLD or word_sim >= NEAR_WORD_THRESHOLD:
            score = max(shingle_sim, word_sim)
            if score > best_score:
                best, best_score = i, score
    return best


def find_repeats(text: str) -> list[Duplicate]:
    """Later passages of ``text`` that repeat earlier ones, as maximal runs of units."""
    units = split_units(text)
    matches = _match_units(units)
    repeats: list[Duplicate] = []
    j = 0
    while j < len(units):
        if j not in matches:
            j += 1
            continue
        first_copy, (first_orig, exact) = j, matches[j]
        orig, words = first_orig, len(units[j].words)
        while j + 1 < len(units) and j + 1 in matches and matches[j + 1][0] == orig + 1:
            j += 1
            orig += 1
            words += len(units[j].words)
            exact = exact and matches[j][1]
        if words >= MIN_REPEAT_WORDS and units[orig].end <= units[first_copy].start:
            repeats.append(
                Duplicate(
                    start=units[first_copy].start,
                    end=units[j].end,
                    same_as=Offsets(start=units[first_orig].start, end=units[orig].end),
                    exact=exact,
                )
            )
        j += 1
    return repeats

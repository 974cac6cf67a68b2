"""Cutting an article into the pieces the parser reads.

Repeated passages are left out (their statements are the original's), and long articles are
cut at paragraph boundaries so that the parser's memory stays bounded whatever the length.
A paragraph longer than the limit is cut at sentence ends, and only as a last resort at a
space.
"""

from __future__ import annotations

import re

from .nlp import MAX_SEGMENT_CHARS

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’']?\s+")


def _pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` into pieces no longer than ``limit``, preferring sentence ends."""
    pieces = []
    while end - start > limit:
        window_end = start + limit
        cut = None
        for match in _SENTENCE_END.finditer(text, start + limit // 2, window_end):
            cut = match.end()
        if cut is None:
            space = text.rfind(" ", start + limit // 2, window_end)
            cut = space + 1 if space > start else window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def segments(text: str, skip: list[tuple[int, int]], limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """Offsets of the pieces of ``text`` to parse, outside the ``skip`` ranges."""
    kept: list[tuple[int, int]] = []
    cursor = 0
    for a, b in sorted(skip) + [(len(text), len(text))]:
        if a > cursor:
            kept.append((cursor, a))
        cursor = max(cursor, b)
    out: list[tuple[int, int]] = []
    for start, end in kept:
        out.extend(_group_paragraphs(text, start, end, limit))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _group_paragraphs(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Whole paragraphs packed into pieces of at most ``limit`` characters."""
    out: list[tuple[int, int]] = []
    chunk_start = last_break = start
    for match in re.finditer(r"\n", text[start:end]):
        cut = start + match.end()
        if cut - chunk_start > limit:
            if last_break > chunk_start:
                out.append((chunk_start, last_break))
                chunk_start = last_break
            if cut - chunk_start > limit:
                out.extend(_pieces(text, chunk_start, cut, limit))
                chunk_start = cut
        last_break = cut
    if end - chunk_start > limit and last_break > chunk_start:
        out.append((chunk_start, last_break))
        chunk_start = last_break
    if end > chunk_start:
        out.extend(_pieces(text, chunk_start, end, limit))
    return out

"""An article's text as HTML with its statements highlighted, the way displaCy shows entities.

The text is cut at every boundary of a statement's content, a speaker mention, a cue and a
repeated passage; each piece is escaped and wrapped in one element that carries every
annotation covering it, so overlapping statements need no overlapping tags. The first piece
of each statement is focusable and holds a tooltip (speaker, type, kind, time) shown on
hover and on keyboard focus, without JavaScript. Nothing from the article reaches the page
unescaped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import ArticleRecord, Statement

PALETTE_SIZE = 8


@dataclass
class Highlight:
    """A piece of the text and what covers it."""

    start: int
    end: int
    statement: Statement | None  # the innermost statement covering it
    mention: str | None  # the article speaker id of the mention covering it
    cue: bool
    repeat: bool


def speaker_colours(record: ArticleRecord) -> dict[str | None, int]:
    """A palette index per article speaker, in order of first appearance."""
    return {speaker.id: n % PALETTE_SIZE for n, speaker in enumerate(record.speakers)}


class _Cover:
    """The intervals covering a point of a left-to-right sweep: the best of them by a key
    (a heap with lazy removal), in O(log n) a step, so that a page is linear in its size."""

    def __init__(self):
        self._heap: list[tuple] = []
        self._live: dict[int, int] = {}

    def add(self, key: tuple, n: int) -> None:
        self._live[n] = self._live.get(n, 0) + 1
        heapq.heappush(self._heap, (key, n))

    def remove(self, n: int) -> None:
        self._live[n] -= 1

    def best(self) -> int | None:
        """The index of the covering interval with the smallest key, or None."""
        while self._heap and self._live[self._heap[0][1]] <= 0:
            heapq.heappop(self._heap)
        return self._heap[0][1] if self._heap else None


def _boundaries(text: str, record: ArticleRecord) -> list[int]:
    points = {0, len(text)}
    for s in record.statements:
        for frag in s.fragments or [s.content]:
            points.update((frag.start, frag.end))
        for span in (s.speaker, s.cue):
            if span is not None:
                points.update((span.start, span.end))
    for dup in record.duplicates:
        points.update((dup.start, dup.end))
    return sorted(p for p in points if 0 <= p <= len(text))


def _events(text: str, record: ArticleRecord) -> dict[int, list[tuple[str, int, int]]]:
    """Where each interval starts (+1) and ends (-1), by kind and index, clamped to the text."""
    events: dict[int, list[tuple[str, int, int]]] = {}

    def interval(kind: str, n: int, start: int, end: int) -> None:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            events.setdefault(start, []).append((kind, n, 1))
            events.setdefault(end, []).append((kind, n, -1))

    for n, s in enumerate(record.statements):
        for frag in s.fragments or [s.content]:
            interval("statement", n, frag.start, frag.end)
        if s.speaker is not None:
            interval("mention", n, s.speaker.start, s.speaker.end)
        if s.cue is not None:
            interval("cue", n, s.cue.start, s.cue.end)
    for n, dup in enumerate(record.duplicates):
        interval("repeat", n, dup.start, dup.end)
    return events


def _pieces(text: str, record: ArticleRecord) -> list[Highlight]:
    """The text cut at every boundary, each piece with what covers it, in one sweep."""
    statements = record.statements
    events = _events(text, record)
    points = _boundaries(text, record)
    inner, mention = _Cover(), _Cover()
    counts = {"cue": 0, "repeat": 0}
    pieces = []
    for a, b in zip(points, points[1:]):
        for kind, n, step in sorted(events.get(a, []), key=lambda e: e[2]):  # ends before starts
            if kind == "statement":
                s = statements[n]
                inner.add((-s.content.start, s.content.end, n), n) if step > 0 else inner.remove(n)
            elif kind == "mention":
                mention.add((n,), n) if step > 0 else mention.remove(n)
            else:
                counts[kind] += step
        best, speaking = inner.best(), mention.best()
        pieces.append(Highlight(a, b, statements[best] if best is not None else None,
                                None if speaking is None else (statements[speaking].speaker.id or ""),
                                counts["cue"] > 0, counts["repeat"] > 0))
    return pieces


def tooltip(statement: Statement, speakers: dict[str, str]) -> str:
    """What hovering a statement tells: who, what kind of statement, when."""
    who = statement.speaker.name if statement.speaker and statement.speaker.name else (
        f"{statement.speaker.text} (unresolved)" if statement.speaker else "speaker unknown")
    parts = [who, statement.type, statement.kind]
    if statement.when:
        parts.append(statement.when.text + (f" = {statement.when.date}" if statement.when.date else ""))
    if statement.denies:
        parts.append("denies " + ", ".join(statement.denies))
    return " · ".join(parts)


def highlight(text: str, record: ArticleRecord) -> Markup:
    """The article text as safe HTML, statements highlighted and described."""
    colours = speaker_colours(record)
    names = {sp.id: sp.name for sp in record.speakers}
    first_piece: set[str] = set()
    out: list[str] = []
    for piece in _pieces(text, record):
        chunk = escape(text[piece.start:piece.end])
        classes, attrs, tip = [], [], ""
        if piece.statement is not None:
            inner = piece.statement
            sp_id = inner.speaker.id if inner.speaker else None
            classes += ["stmt", f"sp{colours.get(sp_id, 'x')}"]
            attrs.append(f'data-statement="{escape(inner.id)}"')
            if inner.id not in first_piece:
                first_piece.add(inner.id)
                attrs += [f'id="{escape(inner.id)}"', 'tabindex="0"', f'aria-describedby="tip-{escape(inner.id)}"']
                tip = (f'<span class="tip" role="tooltip" id="tip-{escape(inner.id)}">'
                       f"{escape(tooltip(inner, names))}</span>")
            else:
                attrs.append(f'title="{escape(tooltip(inner, names))}"')
        if piece.mention is not None:
            classes.append("mention")
            if piece.statement is None:
                classes.append(f"sp{colours.get(piece.mention, 'x')}")
        if piece.cue:
            classes.append("cue")
        if piece.repeat:
            classes.append("repeat")
        if classes:
            tag = "mark" if piece.statement is not None else "span"
            out.append(f'<{tag} class="{" ".join(classes)}" {" ".join(attrs)}>{chunk}{tip}</{tag}>')
        else:
            out.append(str(chunk))
    return Markup("".join(out))

"""An article's text as HTML with its statements highlighted, the way displaCy shows entities.

The text is cut at every boundary of a statement's content, a speaker mention, a cue and a
repeated passage; each piece is escaped and wrapped in one element that carries every
annotation covering it, so overlapping statements need no overlapping tags. The first piece
of each statement is focusable and holds a tooltip (speaker, type, kind, cue, time,
confidence, and links to the statements it denies or that deny it) shown on hover and on
keyboard focus, without JavaScript. A claim and its denials are also linked in the text
itself: a small link after each of them, real ``<a href="#s5">`` links that work without
script; ``static/article.js`` adds following a link by clicking the statement. Every piece
is painted in its speaker's colour (``palette.py``). Nothing from the article reaches the
page unescaped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import ArticleRecord, Statement
from .palette import colour_class

#: The class of a statement or mention whose speaker is unknown (grey, ``--spx``).
UNKNOWN_CLASS = "spx"
#: Closing punctuation a link after a statement steps over, so that it sits after the
#: quotation mark and the full stop rather than inside them.
_CLOSERS = frozenset('"\'”’»)]}.,;:!?…')


@dataclass
class Highlight:
    """A piece of the text and what covers it."""

    start: int
    end: int
    statement: Statement | None  # the innermost statement covering it
    mention: str | None  # the article speaker id of the mention covering it
    cue: bool
    repeat: bool


def speaker_colours(record: ArticleRecord) -> dict[str | None, str]:
    """The colour class of each article speaker, in order of first appearance, so that the
    text, the legend and the table paint a speaker alike."""
    return {speaker.id: colour_class(n) for n, speaker in enumerate(record.speakers)}


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


def _boundaries(text: str, record: ArticleRecord, extra: set[int]) -> list[int]:
    points = {0, len(text), *extra}
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


def _pieces(text: str, record: ArticleRecord, extra: set[int] | None = None) -> list[Highlight]:
    """The text cut at every boundary (and at the ``extra`` points), each piece with what
    covers it, in one sweep."""
    statements = record.statements
    events = _events(text, record)
    points = _boundaries(text, record, extra or set())
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



def speaker_label(statement: Statement) -> str:
    """Who says it: the resolved name, else the words of the mention, marked unresolved."""
    if statement.speaker is None:
        return "speaker unknown"
    return statement.speaker.name or f"{statement.speaker.text} (unresolved)"


def tooltip_lines(statement: Statement) -> list[str]:
    """What hovering a statement tells, line by line: who and what kind of statement, the cue
    that introduced it, when it was said, and how sure the extractor was. A line says so when
    a value is missing, so that an absent cue or time reads as absent, not forgotten."""
    when = "not stated"
    if statement.when:
        when = statement.when.text + (f" = {statement.when.date}" if statement.when.date else "")
    confidence = "not given" if statement.confidence is None else f"{statement.confidence:.2f}"
    return [" · ".join([speaker_label(statement), str(statement.type), str(statement.kind)]),
            f"cue: {statement.cue.text if statement.cue else 'none'}",
            f"time: {when}",
            f"confidence: {confidence}"]


def relations(statement: Statement) -> list[tuple[str, list[str]]]:
    """The statements this one denies and those that deny it, as (verb, ids)."""
    return [(verb, ids) for verb, ids in (("denies", statement.denies), ("denied by", statement.denied_by)) if ids]


def tooltip(statement: Statement) -> str:
    """The tooltip as one line of plain text: the ``title`` of a statement's later pieces."""
    lines = tooltip_lines(statement) + [f"{verb} {', '.join(ids)}" for verb, ids in relations(statement)]
    return " · ".join(lines)


def _statement_link(target: str, by_id: dict[str, Statement]) -> str:
    """A link to statement ``target`` of this article (its id and speaker), or its bare id
    when the article has no such statement to link to."""
    if target not in by_id:
        return str(escape(target))
    who = escape(speaker_label(by_id[target]))
    return f'<a class="to-stmt" href="#{escape(target)}" title="{who}">{escape(target)}</a>'


def _relation_html(statement: Statement, by_id: dict[str, Statement], *, with_speakers: bool) -> list[str]:
    """``denies s5`` / ``denied by s7, s8`` with each id a link, optionally each followed by
    who said it."""
    parts = []
    for verb, ids in relations(statement):
        links = [_statement_link(target, by_id) + (f" ({escape(speaker_label(by_id[target]))})"
                                                   if with_speakers and target in by_id else "")
                 for target in ids]
        parts.append(f"{verb} " + ", ".join(links))
    return parts


def tooltip_html(statement: Statement, by_id: dict[str, Statement]) -> str:
    """The tooltip of a statement's first piece: its lines, then its links to the statements
    it denies or that deny it (followed by keyboard, since the tooltip stays open while focus
    is inside it)."""
    rows = [str(escape(line)) for line in tooltip_lines(statement)]
    rows += _relation_html(statement, by_id, with_speakers=True)
    body = "".join(f'<span class="tip-row">{row}</span>' for row in rows)
    return f'<span class="tip" role="tooltip" id="tip-{escape(statement.id)}">{body}</span>'


def _linked_ids(statement: Statement, by_id: dict[str, Statement]) -> list[str]:
    """The statements of this article a click on ``statement`` leads to: what it denies, then
    what denies it."""
    return [target for target in (*statement.denies, *statement.denied_by) if target in by_id]


def _link_anchors(text: str, record: ArticleRecord, by_id: dict[str, Statement]) -> dict[int, list[Statement]]:
    """Where the in-text links of each claim and denial go: just after the statement, past a
    closing quotation mark or full stop (at most four characters, so that a run of dots
    cannot make a page quadratic)."""
    anchors: dict[int, list[Statement]] = {}
    for s in record.statements:
        if not _linked_ids(s, by_id):
            continue
        at = min(len(text), max(frag.end for frag in (s.fragments or [s.content])))
        for _ in range(4):
            if at < len(text) and text[at] in _CLOSERS:
                at += 1
        anchors.setdefault(max(0, at), []).append(s)
    return anchors


def _xrefs_html(statement: Statement, by_id: dict[str, Statement]) -> str:
    """The small link after a claim or a denial, in the text: ``denies s5``."""
    return (f'<span class="xrefs" data-from="{escape(statement.id)}">'
            + " · ".join(_relation_html(statement, by_id, with_speakers=False)) + "</span>")


def _piece_html(text: str, piece: Highlight, colours: dict[str | None, str], by_id: dict[str, Statement],
                first_piece: set[str]) -> str:
    """One piece of the text: escaped, in one element carrying every annotation over it."""
    chunk = escape(text[piece.start:piece.end])
    classes, attrs, tip = [], [], ""
    if piece.statement is not None:
        inner = piece.statement
        sp_id = inner.speaker.id if inner.speaker else None
        classes += ["stmt", colours.get(sp_id, UNKNOWN_CLASS)]
        attrs.append(f'data-statement="{escape(inner.id)}"')
        linked = _linked_ids(inner, by_id)
        if linked:
            attrs.append(f'data-links="{escape(" ".join(linked))}"')
        if inner.id not in first_piece:
            first_piece.add(inner.id)
            attrs += [f'id="{escape(inner.id)}"', 'tabindex="0"', f'aria-describedby="tip-{escape(inner.id)}"']
            tip = tooltip_html(inner, by_id)
        else:
            attrs.append(f'title="{escape(tooltip(inner))}"')
    if piece.mention is not None:
        classes.append("mention")
        if piece.statement is None:
            classes.append(colours.get(piece.mention, UNKNOWN_CLASS))
    if piece.cue:
        classes.append("cue")
    if piece.repeat:
        classes.append("repeat")
    if not classes:
        return str(chunk)
    tag = "mark" if piece.statement is not None else "span"
    return f'<{tag} class="{" ".join(classes)}" {" ".join(attrs)}>{chunk}{tip}</{tag}>'


def highlight(text: str, record: ArticleRecord) -> Markup:
    """The article text as safe HTML: statements highlighted in their speakers' colours and
    described, claims and denials linked to each other."""
    colours = speaker_colours(record)
    by_id = {s.id: s for s in record.statements}
    anchors = _link_anchors(text, record, by_id)
    first_piece: set[str] = set()
    out: list[str] = []
    for piece in _pieces(text, record, set(anchors)):
        out += [_xrefs_html(s, by_id) for s in anchors.pop(piece.start, [])]
        out.append(_piece_html(text, piece, colours, by_id, first_piece))
    out += [_xrefs_html(s, by_id) for at in sorted(anchors) for s in anchors[at]]
    return Markup("".join(out))


def mark_hits(text: str, hits: list | None = None) -> Markup:
    """``text`` as safe HTML with the stretches ``hits`` names (``[start, end]`` offsets, in
    order) wrapped in ``<mark class="hit">``: each piece escaped, then wrapped. A template
    global rather than a macro: it runs for every result of every search page."""
    if not hits:
        return escape(text)
    out, at = [], 0
    for start, end in hits:
        out += [escape(text[at:start]), Markup('<mark class="hit">'), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)

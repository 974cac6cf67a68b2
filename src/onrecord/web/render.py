"""An article's text as HTML with its statements highlighted, the way displaCy shows entities.

The text is cut at every boundary of a statement's content, a speaker mention, a cue and a
repeated passage; each piece is escaped and wrapped in one element that carries every
annotation covering it, so overlapping statements need no overlapping tags. The first piece
of each statement is focusable and holds a tooltip (speaker, type, kind, time) shown on
hover and on keyboard focus, without JavaScript. Nothing from the article reaches the page
unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import ArticleRecord, Statement

PALETTE_SIZE = 8


@dataclass
class Highlight:
    """A piece of the text and what covers it."""

    start: int
    end: int
    statements: list[Statement]
    mention: str | None  # the article speaker id of the mention covering it
    cue: bool
    repeat: bool


def speaker_colours(record: ArticleRecord) -> dict[str | None, int]:
    """A palette index per article speaker, in order of first appearance."""
    return {speaker.id: n % PALETTE_SIZE for n, speaker in enumerate(record.speakers)}


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


def _pieces(text: str, record: ArticleRecord) -> list[Highlight]:
    points = _boundaries(text, record)
    mentions = [(s.speaker.start, s.speaker.end, s.speaker.id) for s in record.statements if s.speaker]
    cues = [(s.cue.start, s.cue.end) for s in record.statements if s.cue]
    repeats = [(d.start, d.end) for d in record.duplicates]
    pieces = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        covering = [s for s in record.statements
                    if any(f.start <= a and b <= f.end for f in (s.fragments or [s.content]))]
        mention = next((sp_id or "" for x, y, sp_id in mentions if x <= a and b <= y), None)
        pieces.append(Highlight(a, b, covering, mention,
                                any(x <= a and b <= y for x, y in cues), any(x <= a and b <= y for x, y in repeats)))
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
        if piece.statements:
            inner = max(piece.statements, key=lambda s: (s.content.start, -s.content.end))
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
            if not piece.statements:
                classes.append(f"sp{colours.get(piece.mention, 'x')}")
        if piece.cue:
            classes.append("cue")
        if piece.repeat:
            classes.append("repeat")
        if classes:
            tag = "mark" if piece.statements else "span"
            out.append(f'<{tag} class="{" ".join(classes)}" {" ".join(attrs)}>{chunk}{tip}</{tag}>')
        else:
            out.append(str(chunk))
    return Markup("".join(out))

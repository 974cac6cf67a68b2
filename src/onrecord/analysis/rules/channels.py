"""Channels: where a statement was made (``on Truth Social``, ``on Russian television``).

A channel is a prepositional phrase hanging on the cue, or on a noun near it (``in remarks
broadcast on Russian television``), whose noun is a medium: a platform, a broadcast, a
publication or an occasion of speech. The innermost medium wins, since ``remarks`` are the
statement itself and ``Russian television`` is where they were heard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ...lexicon import MediaWords
from ...model import Span
from ..registry import step

if TYPE_CHECKING:
    from ..context import ArticleContext


@step("channels.v1", needs=("drafts",), produces="channels")
def statement_channels(ctx: ArticleContext) -> list[Span | None]:
    """Where each statement was made, where its cue says (``posted on Telegram``)."""
    found: list[Span | None] = []
    for draft in ctx.drafts:
        channel = None
        if draft.cue_token is not None:
            offset = ctx.offset_of(draft.cue_token) - draft.cue_token.idx
            channel = channel_of(draft.cue_token, draft.covers, offset, ctx.lexicon.media)
        found.append(Span(start=channel[0], end=channel[1], text=ctx.span_text(channel)) if channel else None)
    return found


def channel_of(cue: Token, excluded: Callable[[int], bool], offset: int,
               words: MediaWords) -> tuple[int, int] | None:
    """Character offsets of the channel phrase of a cue, or None."""
    best: tuple[int, Token] | None = None
    stack = [(child, 1) for child in cue.children if child.dep_ == "prep" and child.lower_ in words.prepositions]
    while stack:
        prep, depth = stack.pop()
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or excluded(pobj.idx + offset) or pobj.lower_ not in words.media and not _media_compound(pobj, words):
            continue
        if best is None or depth > best[0]:
            best = (depth, pobj)
        if depth < 3:
            for tok in pobj.subtree:
                if tok.dep_ == "prep" and tok.lower_ in words.prepositions and tok.i != prep.i:
                    stack.append((tok, depth + 1))
    if best is None:
        return None
    pobj = best[1]
    start = pobj.left_edge
    while start.i < pobj.i and start.dep_ in ("det", "poss"):
        start = start.doc[start.i + 1]
    return start.idx + offset, pobj.idx + len(pobj.text) + offset


def _media_compound(tok: Token, words: MediaWords) -> bool:
    return any(c.dep_ == "compound" and c.lower_ in words.media for c in tok.children)

"""Headline, byline and dateline: found once, kept out of every statement and speaker.

``layout.v1`` finds them (``onrecord.layout``: by shape, with the words of ``layout.toml``,
and the title given with the text); ``layout.filter.v2`` drops the drafts whose content
lies in them and takes them out of the speakers' mentions, so that a headline is never a
statement or a speaker, ``BRUSSELS`` of a dateline never speaks, and an alias never
carries a dateline (``MOSCOW - Russian President Vladimir Putin``). Offsets are untouched:
the record still points into the text as given, and ``record.layout`` shows the spans.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...layout import Layout, find_layout
from ..registry import step
from .candidate import Candidate
from .syntax import person_in_apposition

if TYPE_CHECKING:
    from ..context import ArticleContext


@step("layout.v1", produces="layout")
def layout(ctx: ArticleContext) -> Layout:
    """The headline, byline and dateline at the top of the article (those its reader found
    with the same words, when it did: found once)."""
    found = ctx.found_layout
    if found is not None and found[0] == ctx.lexicon.digest and isinstance(found[1], Layout):
        return found[1]
    return find_layout(ctx.text, ctx.lexicon, title=ctx.title)


@step("layout.filter.v2", needs=("layout", "drafts"), produces="drafts")
def keep_out_of_layout(ctx: ArticleContext) -> list[Candidate]:
    """No statement in the headline, byline or dateline, and no speaker mention either."""
    spans = ctx.layout.spans
    drafts: list[Candidate] = ctx.drafts
    if not spans:
        return drafts
    kept = []
    for draft in drafts:
        content = draft.content
        if content is not None and _inside(content, spans, ctx.text):
            continue  # the headline (or byline) as a statement
        if content is not None and ctx.layout.covering(content[0]):
            end = ctx.layout.covering(content[0])[1]
            fragments = [(max(a, _next_word(ctx.text, end)), b) for a, b in draft.fragments if b > end]
            draft = replace(draft, fragments=[f for f in fragments if f[1] > f[0]])
            if not draft.fragments:
                continue
        draft = _speaker_out_of_layout(ctx, draft)
        kept.append(draft)
    return kept


def _inside(span: tuple[int, int], spans: list[tuple[int, int]], text: str) -> bool:
    """Whether all of ``span``'s words lie in layout spans."""
    start, end = span
    for a, b in spans:
        if a <= start and end <= b + (len(text[b:end]) - len(text[b:end].lstrip())):
            return True
    return False


def _next_word(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _speaker_out_of_layout(ctx: ArticleContext, draft: Candidate) -> Candidate:
    """A speaker mention that starts in the layout begins after it; one wholly in it is none."""
    if draft.speaker is None:
        return draft
    start, end = draft.speaker
    covering = ctx.layout.covering(start)
    if covering is None:
        return draft
    new_start = _next_word(ctx.text, covering[1])
    if new_start >= end:
        return _apposition_after_layout(ctx, draft, new_start)
    token = draft.speaker_token
    if token is not None and ctx.offset_of(token) < new_start:
        token = ctx.token_at(end - 1)
    return replace(draft, speaker=(new_start, end), speaker_token=token)


def _apposition_after_layout(ctx: ArticleContext, draft: Candidate, layout_end: int) -> Candidate:
    """The speaker when the parser took the dateline's place for the subject.

    In ``PORTHAVEN, June 7 - Police Chief Ana Costa rejected ...`` the parser often makes
    ``PORTHAVEN`` the verb's subject and the person its apposition. The apposition that
    begins after the dateline is the one who speaks; without one there is no speaker."""
    token = draft.speaker_token
    appositions = [c for c in (token.children if token is not None else ()) if c.dep_ == "appos"]
    # a description and a name both beside the place (``KESSEL, March 4 - The head of the
    # port authority, Otto Lenz, said``): the name is who speaks
    appositions.sort(key=lambda c: c.ent_type_ != "PERSON")
    for child in appositions:
        if ctx.offset_of(child) < layout_end:
            continue
        first = next((t for t in child.subtree if ctx.offset_of(t) >= layout_end and not t.is_punct), None)
        if first is None:
            continue
        named = person_in_apposition(child) if child.pos_ == "NOUN" and not child.ent_type_ else None
        if named is not None:  # "The chief executive of Halden Foods, Mara Quist, said"
            first, child = named.left_edge, named
        start, end = ctx.offset_of(first), ctx.offset_of(child) + len(child.text)
        return replace(draft, speaker=(start, end), speaker_token=child)
    return replace(draft, speaker=None, speaker_token=None)

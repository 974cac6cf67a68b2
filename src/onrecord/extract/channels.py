"""Channels: where a statement was made (``on Truth Social``, ``on Russian television``).

A channel is a prepositional phrase hanging on the cue, or on a noun near it (``in remarks
broadcast on Russian television``), whose noun is a medium: a platform, a broadcast, a
publication or an occasion of speech. The innermost medium wins, since ``remarks`` are the
statement itself and ``Russian television`` is where they were heard.
"""

from __future__ import annotations

from spacy.tokens import Token

MEDIA = {
    "television", "tv", "radio", "twitter", "x", "facebook", "instagram", "telegram", "youtube",
    "tiktok", "truth", "social", "media", "platform", "website", "blog", "podcast", "newspaper",
    "interview", "statement", "briefing", "conference", "speech", "address", "tweet", "post",
    "video", "broadcast", "op-ed", "column", "letter", "email", "rally", "hearing", "debate",
    "program", "programme", "show", "channel", "network", "message", "memo", "sermon", "remarks",
    "comments", "appearance", "session", "testimony", "call",
}
#: Nouns that are the statement itself: a medium below them is more specific.
UTTERANCES = {"remarks", "comments", "statement", "message", "speech", "address", "interview"}
PREPOSITIONS = {"on", "in", "to", "during", "at", "via", "through", "over"}


def channel_of(cue: Token, excluded, offset: int) -> tuple[int, int] | None:
    """Character offsets of the channel phrase of a cue, or None."""
    best = None
    stack = [(child, 1) for child in cue.children if child.dep_ == "prep" and child.lower_ in PREPOSITIONS]
    while stack:
        prep, depth = stack.pop()
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or excluded(pobj.idx + offset) or pobj.lower_ not in MEDIA and not _media_compound(pobj):
            continue
        if best is None or depth > best[0]:
            best = (depth, pobj)
        if depth < 3:
            for tok in pobj.subtree:
                if tok.dep_ == "prep" and tok.lower_ in PREPOSITIONS and tok.i != prep.i:
                    stack.append((tok, depth + 1))
    if best is None:
        return None
    pobj = best[1]
    start = pobj.left_edge
    while start.i < pobj.i and start.dep_ in ("det", "poss"):
        start = start.doc[start.i + 1]
    return start.idx + offset, pobj.idx + len(pobj.text) + offset


def _media_compound(tok: Token) -> bool:
    return any(c.dep_ == "compound" and c.lower_ in MEDIA for c in tok.children)

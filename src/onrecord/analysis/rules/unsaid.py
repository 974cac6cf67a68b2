"""What is only going to be said, or might be: not a statement yet.

``The union would press for a pay rise``, ``the ombudsman would decide whether to open an
investigation``, ``The mayor will announce the budget on Friday``: a cue with a modal of
the future or of possibility reports a speech act that has not happened. When such a cue
sits inside another statement's content, that statement (``the union said it would
press ...``) already records what was said; alone, nothing has been said yet. The first
person is the exception: ``I would argue that ...`` is a hedged way of arguing now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import step
from .candidate import Candidate

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..context import ArticleContext

#: Modals that put a speech act in the future or in the possible.
MODALS = frozenset({"will", "would", "could", "might", "may", "shall", "should", "'ll", "’ll", "wo", "ca"})


@step("unsaid.v1", needs=("drafts",), produces="drafts")
def drop_unsaid(ctx: ArticleContext) -> list[Candidate]:
    """No statement from a cue that is only going to speak or might (``will announce``,
    ``would press for``), except in the first person (``I would argue``)."""
    kept: list[Candidate] = ctx.drafts
    return [d for d in kept if d.cue_token is None or not _unsaid(d.cue_token, ctx)]


def _unsaid(cue: Token, ctx: ArticleContext) -> bool:
    if cue.pos_ not in ("VERB", "AUX"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ in MODALS for c in cue.children):
        return False
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is None or subject.lower_ not in ctx.lexicon.pronouns.first_person

"""Statement types: what the speaker does with the words.

The cue gives a first type (``urged`` → appeal, ``denied`` → denial). A neutral cue
(``said``, ``posted``) says nothing about the act, so the content decides, as a reader
would:

* a performative verb with a first-person subject names the act itself: *“I have strongly
  requested to President Putin that ...”* is an appeal, *“We promise ...”* an offer;
* a conditional whose consequence is a benefit granted is an offer (*“If they lay down
  their arms, they will be guaranteed life”*), one whose consequence is harm is a threat;
* a content that asks (*whether ...*, a question mark) is a question;
* an imperative addressed to someone is an appeal;
* a statement made inside the content of the speaker's own accusation or denial
  (*accusing troops of crimes that he said amounted to “terrorism”*) shares its type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ...lexicon import Lexicon
from ...model import StatementType as T
from ..registry import step
from .candidate import Candidate, Frame

if TYPE_CHECKING:
    from ..context import ArticleContext

#: Types that say nothing about the act: the content may say more.
NEUTRAL = {T.ASSERTION, T.BELIEF}
#: Types of speech acts a performative (``I urge ...``) can name.
ACTS = {T.APPEAL, T.OFFER, T.DENIAL, T.ACCUSATION, T.THREAT, T.WARNING, T.AGREEMENT, T.QUESTION, T.CRITICISM}
#: Types that a neutral statement inside their content shares.
INHERITED = {T.ACCUSATION, T.DENIAL, T.CRITICISM}


@step("contents.v1", needs=("drafts",), produces="contents")
def content_tokens_of_drafts(ctx: ArticleContext) -> list[list[Token]]:
    """The parsed tokens of each draft's content fragments."""
    return [content_tokens(d, ctx.tokens_in) for d in ctx.drafts]


@step("types.v1", needs=("drafts", "entities", "contents"), produces="types")
def statement_types(ctx: ArticleContext) -> list[str]:
    """Each draft's type: from its cue, refined by its content, shared with an enclosing act."""
    types = [refine(d, toks, ctx.lexicon, ctx.text) for d, toks in zip(ctx.drafts, ctx.contents)]
    names = [e.name if e is not None else None for e in ctx.entities]
    inherit_nested(ctx.drafts, names, types, ctx.settings.nearby_drafts)
    return types


def content_tokens(cand: Candidate, tokens_in: Callable[[int, int], list[Token]]) -> list[Token]:
    """The parsed tokens of a draft's content fragments."""
    found: list[Token] = []
    for start, end in cand.fragments:
        found.extend(tokens_in(start, end))
    return found


def refine(cand: Candidate, tokens: list[Token], lexicon: Lexicon, text: str) -> str:
    """The type of a statement from its cue type and its content."""
    kind = cand.type
    if not tokens:
        return kind
    first = next((t for t in tokens if not t.is_punct), tokens[0])
    content_text = text[cand.extent[0]:cand.extent[1]].rstrip(" ”\"’'")
    words = lexicon.acts
    if cand.lemma in words.asking and first.lower_ in words.question_words:
        return T.QUESTION
    if kind not in NEUTRAL:
        return kind
    act = _performative(tokens, lexicon)
    if act:
        return act
    conditional = _conditional(tokens, lexicon)
    if conditional:
        return conditional
    if content_text.endswith("?"):
        return T.QUESTION
    if _imperative(first, words.not_imperative) and cand.frame in (Frame.CLAUSE, Frame.QUOTE, Frame.COLON, Frame.BARE):
        return T.APPEAL
    return kind


def _performative(tokens: list[Token], lexicon: Lexicon) -> str | None:
    """``I/we`` + a speech-act verb in the content: the act it names."""
    for tok in tokens:
        if tok.pos_ != "VERB":
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ not in lexicon.pronouns.first_person:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        act = lexicon.any_type(tok.lemma_.lower())
        if act in ACTS and act != T.QUESTION:
            return act
    return None


def _conditional(tokens: list[Token], lexicon: Lexicon) -> str | None:
    """``If A, (then) B``: an offer when B grants something, a threat when B harms."""
    words, pronouns = lexicon.acts, lexicon.pronouns
    for tok in tokens:
        if tok.lower_ == "if" and tok.dep_ == "mark":
            clause = tok.head
            main = clause.head if clause.dep_ == "advcl" else None
            if main is None or main is clause:
                continue
            lemma = main.lemma_.lower()
            if lemma in words.granted:
                return T.OFFER
            if lemma in words.harmed:
                # a threat: the speaker acts ("we will strike"), or whoever does A pays for it
                # ("if they cross, they will pay"); otherwise harm foretold ("if the bill
                # passes, thousands will lose coverage") is a warning
                subject = _subject_text(main)
                punished = (subject in pronouns.first_person or subject in pronouns.second_person
                            or subject == _subject_text(clause))
                return T.THREAT if subject and punished else T.WARNING
    return None


def _subject_text(verb: Token) -> str:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject.lower_ if subject is not None else ""


def _imperative(first: Token, not_imperative: frozenset[str]) -> bool:
    """A content that opens with a bare verb and has no subject: ``Stop the war``."""
    return (first.tag_ == "VB" and first.dep_ in ("ROOT", "ccomp", "conj")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in first.children)
            and first.lower_ not in not_imperative)


def inherit_nested(drafts: list[Candidate], names: list[str | None], types: list[str], nearby: int) -> None:
    """A statement inside the content of its own speaker's accusation or denial shares it.

    Changes ``types`` (the list this step is building) in place.
    """
    for i, inner in enumerate(drafts):
        if inner.cue is None or types[i] not in NEUTRAL:
            continue
        for j in range(max(0, i - nearby), min(len(drafts), i + nearby)):
            outer = drafts[j]
            if i == j or types[j] not in INHERITED or names[j] is None or names[j] != names[i]:
                continue
            scope = outer.scope  # a draft's: never None
            if scope is not None and scope[0] <= inner.cue[0] < scope[1]:
                types[i] = types[j]
                break

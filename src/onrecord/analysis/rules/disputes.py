"""Claims and denials: which statement a denial denies, within one article.

News states a denial in three ways, each linked here its own way:

* with an anaphoric object, ``Kyiv denied the claims`` / ``... something Kyiv denies``: the
  denial points back, to the claims of another speaker made in the same sentence, or else to
  the latest claim (an assertion or accusation, not an appeal or a question) before it; a
  noun that states its own claim (``denied reports that she planned to resign``) points
  nowhere back and is linked by its words, like a clause;
* with a clause, ``the ministry denied that its troops were surrounded``: the earlier claim
  of another speaker that shares the most content words with it;
* with the claim named as the denial's object, ``X rejected Y's accusation that ...`` /
  ``X dismissed the claim by Y that ...``: the claim is a statement of its own, nested in
  the denial's content, and the denial denies it;
* as a quotation that follows the speaker's denial, ``... denied the claims. “There is no
  threat of our units being encircled,” the General Staff posted``: a negated statement by
  the same speaker right after a denial carries the denial on.

A denial whose target cannot be found stays unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...lexicon import DisputeWords
from ...model import StatementType as T
from ..registry import step

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..context import ArticleContext
    from .candidate import Candidate

#: Types of statement a denial can deny (not an appeal, an offer or a question).
CLAIM_TYPES = {T.ASSERTION, T.ACCUSATION, T.CRITICISM, T.BELIEF, T.WARNING, T.THREAT}
#: Parts of speech whose words a claim and its denial may share.
CONTENT_POS = ("NOUN", "VERB", "PROPN", "ADJ")


@step("disputes.v2", needs=("drafts", "entities", "types", "contents"), produces=("types", "links"))
def link_disputes(ctx: ArticleContext) -> tuple[list[str], dict[int, list[int]]]:
    """Which claims each denial denies; a negated statement carrying a denial on becomes one."""
    types = list(ctx.types)
    if T.DENIAL not in types:
        return types, {}  # nothing to link: skip reading every content's words
    words = ctx.lexicon.disputes
    names = [e.name if e is not None else None for e in ctx.entities]
    claims = [_claimable(n, draft, toks, types[n], names[n], words)
              for n, (draft, toks) in enumerate(zip(ctx.drafts, ctx.contents))]
    for prev, cur in zip(claims, claims[1:]):
        if continues_denial(prev, cur):
            cur.type = types[cur.index] = T.DENIAL
    return types, link(claims, words, ctx.settings.dispute_lookback, ctx.settings.min_shared_words)


def _claimable(n: int, draft: Candidate, toks: list[Token], stype: str, speaker: str | None,
               words: DisputeWords) -> "Claimable":
    """What the linker needs to know of one statement draft."""
    content = {t.lemma_.lower() for t in toks
               if t.is_alpha and t.lower_ not in words.stopwords and t.pos_ in CONTENT_POS}
    first = next((t for t in toks if not t.is_punct and t.pos_ != "DET"), None)
    head = first.lower_ if first is not None and not _states_its_claim(first) else ""
    negated = any(t.lower_ in words.negations or t.dep_ == "neg" for t in toks)
    return Claimable(n, stype, speaker, draft.sentence, draft.extent[0], content, head, negated,
                     draft.extent[1])


def _states_its_claim(noun: Token) -> bool:
    """``reports that she planned to resign``: the noun's own clause says what is denied."""
    return any(c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
               for c in noun.children)


@dataclass
class Claimable:
    """What the linker needs to know of a statement."""

    index: int
    type: str
    speaker: str | None
    sentence: tuple[int, int]
    start: int
    words: set[str]
    head: str  # first content word (for anaphora); "" when that word states its own claim
    negated: bool
    end: int = -1  # where the content ends


def link(statements: list[Claimable], words: DisputeWords, lookback: int = 6,
         min_shared: int = 2) -> dict[int, list[int]]:
    """For each denial (by index), the indexes of the statements it denies."""
    links: dict[int, list[int]] = {}
    for d in statements:
        if d.type != T.DENIAL:
            continue
        earlier = [s for s in statements[: d.index] if s.type in CLAIM_TYPES and _other(s, d)]
        anaphoric = d.head in words.anaphoric
        targets = _nested(d, statements) or _by_words(d, earlier, min_shared, anaphoric) or \
            (_anaphoric(d, earlier, lookback) if anaphoric else [])
        if not targets:
            targets = _carried_on(d, statements, links)
        if targets:
            links[d.index] = targets
    return links


def _other(claim: Claimable, denial: Claimable) -> bool:
    return claim.speaker is None or denial.speaker is None or claim.speaker != denial.speaker


def _nested(d: Claimable, statements: list[Claimable]) -> list[int]:
    """Claims of another speaker that lie inside the denial's content: ``rejected Y's
    accusation that ...`` names what it denies as its object."""
    return [s.index for s in statements
            if s.index != d.index and s.type in CLAIM_TYPES and _other(s, d) and d.start <= s.start < d.end]


def _by_words(d: Claimable, earlier: list[Claimable], min_shared: int, anaphoric: bool) -> list[int]:
    best, best_shared = None, min_shared - 1
    for claim in earlier:
        shared = len(d.words & claim.words)
        if shared > best_shared:
            best, best_shared = claim, shared
    return [best.index] if best is not None and not anaphoric else []


def _anaphoric(d: Claimable, earlier: list[Claimable], lookback: int) -> list[int]:
    same_sentence = [s.index for s in earlier if s.sentence == d.sentence and s.start < d.start]
    if same_sentence:
        return same_sentence
    recent = earlier[-lookback:]
    return [recent[-1].index] if recent else []


def _carried_on(d: Claimable, statements: list[Claimable], links: dict[int, list[int]]) -> list[int]:
    """A negated statement right after its own speaker's linked denial denies the same."""
    if d.index == 0:
        return []
    before = statements[d.index - 1]
    if before.type == T.DENIAL and before.speaker == d.speaker and before.index in links:
        return links[before.index]
    return []


def continues_denial(prev: Claimable, cur: Claimable) -> bool:
    """Whether ``cur`` carries on ``prev``'s denial: same speaker, next, and negated."""
    return (
        prev.type == T.DENIAL and cur.type in (T.ASSERTION, T.BELIEF) and cur.negated
        and prev.speaker is not None and prev.speaker == cur.speaker
        and 0 <= cur.sentence[0] - prev.sentence[1] <= 2
    )

"""Claims and denials: which statement a denial denies, within one article.

News states a denial in three ways, each linked here its own way:

* with an anaphoric object, ``Kyiv denied the claims`` / ``... something Kyiv denies``: the
  denial points back, to the claims of another speaker made in the same sentence, or else to
  the latest claim (an assertion or accusation, not an appeal or a question) before it;
* with a clause, ``the ministry denied that its troops were surrounded``: the earlier claim
  of another speaker that shares the most content words with it;
* as a quotation that follows the speaker's denial, ``... denied the claims. “There is no
  threat of our units being encircled,” the General Staff posted``: a negated statement by
  the same speaker right after a denial carries the denial on.

A denial whose target cannot be found stays unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass

CLAIM_TYPES = {"assertion", "accusation", "criticism", "belief", "warning", "threat"}
ANAPHORIC = {
    "claim", "claims", "allegation", "allegations", "accusation", "accusations", "charge",
    "charges", "report", "reports", "suggestion", "suggestions", "assertion", "assertions",
    "story", "stories", "rumor", "rumors", "rumour", "rumours", "it", "this", "that",
    "something", "which", "them", "these", "those", "statement", "statements", "remark",
    "remarks", "comment", "comments", "idea", "notion", "account", "version", "characterization",
}
NEGATIONS = {"no", "not", "never", "n't", "nothing", "none", "nobody", "false", "untrue", "baseless", "lie", "lies"}
STOPWORDS = {
    "the", "a", "an", "of", "to", "in", "on", "and", "or", "that", "this", "is", "was", "were",
    "be", "been", "are", "had", "has", "have", "it", "its", "their", "they", "he", "she", "his",
    "her", "our", "we", "i", "by", "for", "with", "as", "at", "from", "would", "will", "could",
}
MIN_SHARED_WORDS = 2
#: How many statements back an anaphoric denial looks for its claim.
LOOKBACK = 6


@dataclass
class Claimable:
    """What the linker needs to know of a statement."""

    index: int
    type: str
    speaker: str | None
    sentence: tuple[int, int]
    start: int
    words: set[str]
    head: str  # first content word (for anaphora)
    negated: bool


def link(statements: list[Claimable]) -> dict[int, list[int]]:
    """For each denial (by index), the indexes of the statements it denies."""
    links: dict[int, list[int]] = {}
    for d in statements:
        if d.type != "denial":
            continue
        earlier = [s for s in statements[: d.index] if s.type in CLAIM_TYPES and _other(s, d)]
        targets = _by_words(d, earlier) or (_anaphoric(d, earlier) if d.head in ANAPHORIC else [])
        if not targets:
            targets = _carried_on(d, statements, links)
        if targets:
            links[d.index] = targets
    return links


def _other(claim: Claimable, denial: Claimable) -> bool:
    return claim.speaker is None or denial.speaker is None or claim.speaker != denial.speaker


def _by_words(d: Claimable, earlier: list[Claimable]) -> list[int]:
    best, best_shared = None, MIN_SHARED_WORDS - 1
    for claim in earlier:
        shared = len(d.words & claim.words)
        if shared > best_shared:
            best, best_shared = claim, shared
    return [best.index] if best is not None and d.head not in ANAPHORIC else []


def _anaphoric(d: Claimable, earlier: list[Claimable]) -> list[int]:
    same_sentence = [s.index for s in earlier if s.sentence == d.sentence and s.start < d.start]
    if same_sentence:
        return same_sentence
    recent = earlier[-LOOKBACK:]
    return [recent[-1].index] if recent else []


def _carried_on(d: Claimable, statements: list[Claimable], links: dict[int, list[int]]) -> list[int]:
    """A negated statement right after its own speaker's linked denial denies the same."""
    if d.index == 0:
        return []
    before = statements[d.index - 1]
    if before.type == "denial" and before.speaker == d.speaker and before.index in links:
        return links[before.index]
    return []


def continues_denial(prev: Claimable, cur: Claimable) -> bool:
    """Whether ``cur`` carries on ``prev``'s denial: same speaker, next, and negated."""
    return (
        prev.type == "denial" and cur.type in ("assertion", "belief") and cur.negated
        and prev.speaker is not None and prev.speaker == cur.speaker
        and 0 <= cur.sentence[0] - prev.sentence[1] <= 2
    )

"""A denial linked to a claim printed in an earlier story.

A denial its own article links already keeps that link (scope ``article``), and links to an
earlier printing of the claim only when it names whose claim it is. Any other denial looks
for its claim in the stories printed before it, within ``WINDOW_DAYS``, among
the claims (assertions, accusations, criticism, warnings ...) of other speakers, by:

* **who is denied**: the speaker the denial names (``rejected Ruiz's accusation that``,
  ``dismissed claims by the mayor``), or, when it names none, a claim about the denier
  (the ministry denies what was said of the ministry);
* **what is denied**: the content words both share, weighted by how rare each word is
  among the claims and denials printed in the window up to the denial (``troops`` and
  ``encircled`` say more than ``said`` and ``people``; ``WindowCounts``).

A link needs a claim with a speaker (a claimant), and both a named speaker and shared
words, or, without a name, most of the denial's words in the claim: a record that is wrong
with confidence is worse than one that is missing. Each link carries its score and evidence (the shared words, the speaker named).

A denial its own story links to the claim it restates (``disputed the port authority's
claim that the harbour would reopen by May``) is also linked to the claim's earlier
printing in another story: the quotation's first printing when the restatement prints a
quotation already grouped (``quotations``), else the claim whose words the restatement
mostly repeats (``RESTATED_MIN`` of its weighted words) and whose claimant is the one the
restatement names: the same speaker, the same name, or a name the claim's own story gives
the claimant (``The head of the Kessel port authority, Otto Lenz, said``).

A story that reports a denial restates the claim it denies (``rejected the mayor's
accusation that the police had abandoned the district``), and that restatement is a claim
of the story too. A later denial that best matches the restatement is sent on to the
earlier claim the restating denial was linked to, with both in its evidence
(``restated_in``, ``via_denial``): the claim is the one first printed, not another paper's
report of it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ..lexicon import in_force
from ..names import ascii_fold, spelling_key

WINDOW_DAYS = 30
CLAIM_TYPES = {"assertion", "accusation", "criticism", "belief", "warning", "threat"}
#: With the denied speaker named, this share of the denial's weighted words must be shared.
NAMED_MIN = 0.2
#: Without a name, this share (and at least ``MIN_SHARED`` words).
UNNAMED_MIN = 0.5
MIN_SHARED = 3
#: A restatement in the denial's story repeats at least this share of the claim's words.
RESTATED_MIN = 0.6

_WORD = re.compile(r"[A-Za-z][a-z’'-]+")
_CLAIM_NOUNS = r"(?:claims?|accusations?|allegations?|suggestions?|assertions?|charges?|reports?|statements?|" \
               r"remarks?|comments?|insinuations?|characteri[sz]ations?|contentions?|assessments?)"
_NAME = r"((?:[A-Z][\w’'-]+\.?\s){0,3}[A-Z][\w’'-]+)"
_OWNER = re.compile(_NAME + r"['’]s?\s+(?:\w+\s+){0,2}?" + _CLAIM_NOUNS + r"\b")
_ROLE_OWNER = re.compile(r"\bthe\s+([a-z]+)['’]s?\s+(?:\w+\s+){0,2}?" + _CLAIM_NOUNS + r"\b")
_BY = re.compile(_CLAIM_NOUNS + r"\s+(?:made\s+)?(?:by|from|of)\s+(?:the\s+)?" + _NAME)


@dataclass
class Said:
    """A stored statement, as the linker sees it."""

    id: int
    article_id: int
    identity_id: int | None
    speaker: str | None  # the identity's name
    type: str
    content: str
    published: str | None
    #: for a denial: the words around its cue and the start of its content, where the
    #: denied speaker is named
    preamble: str = ""
    #: the words of the speaker's names and aliases, lower case (``marco``, ``ruiz``, ``mayor``)
    speaker_words: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.words:
            self.words = content_words(self.content)


@dataclass
class Link:
    """A denial and the claim of another story it denies."""

    claim_id: int
    denial_id: int
    score: float
    evidence: dict


def stem(word: str) -> str:
    """A crude stem, so that ``encircled`` and ``encircle``, ``troops`` and ``troop`` meet."""
    w = word.lower().replace("’", "'")
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> set[str]:
    """The stems of a text's content words (no stop words, no negations)."""
    words = in_force().disputes
    skip = words.stopwords | words.negations
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in skip and len(w) > 2}


def named_target(preamble: str) -> str | None:
    """The speaker a denial names as the one it denies: ``Ruiz's accusation``, ``claims by
    the mayor`` -> ``Ruiz``, ``mayor``."""
    for pattern in (_OWNER, _BY):
        m = pattern.search(preamble)
        if m:
            return m.group(1)
    m = _ROLE_OWNER.search(preamble)  # "the mayor's accusation": a role the claimer holds
    if m and m.group(1) in in_force().names.titles:
        return m.group(1)
    return None


def _matches(target: str, claim: Said) -> bool:
    """Whether the named target is the claim's speaker (by any of its name words)."""
    have = {spelling_key(w) for w in claim.speaker_words | set((claim.speaker or "").lower().split())}
    last = target.split()[-1] if target.split() else ""
    return bool(last) and spelling_key(last) in have


def day_of(published: str | None) -> int | None:
    """A date's day number (ordinal), or None when undated or not a date."""
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def weight(n: int, df: int) -> float:
    """How much a word says: rarer words in the window's statements weigh more."""
    return math.log((1 + n) / (1 + df)) + 1


class WindowCounts:
    """How many statements were printed in a denial's window, and how many hold each word.

    A word's weight is its rarity among the claims and denials printed in the ``window_days``
    up to the denial's day (all of them for an undated denial): rare in that month's news,
    not in the archive at large, so that a link stays as it was made while later stories
    are added (an incremental link then redoes only the denials whose window changed).
    """

    def __init__(self, statements: list[Said], window_days: int = WINDOW_DAYS):
        self.window_days = window_days
        said = [s for s in statements if s.words]
        self.all_n = len(said)
        self.all_df = Counter(w for s in said for w in s.words)
        self.days: list[int] = []
        self.word_days: dict[str, list[int]] = defaultdict(list)
        for s in said:
            day = day_of(s.published)
            if day is None:
                continue
            self.days.append(day)
            for w in s.words:
                self.word_days[w].append(day)
        self.days.sort()
        for days in self.word_days.values():
            days.sort()

    def weights(self, d: Said) -> dict[str, float]:
        """The weight of each of the denial's words."""
        day = day_of(d.published)
        if day is None:
            return {w: weight(self.all_n, self.all_df[w]) for w in d.words}
        lo = day - self.window_days
        n = bisect_right(self.days, day) - bisect_left(self.days, lo)
        return {w: weight(n, bisect_right(days, day) - bisect_left(days, lo))
                for w in d.words for days in (self.word_days.get(w, []),)}


def link(statements: list[Said], linked_denials: set[int], window_days: int = WINDOW_DAYS,
         article_pairs: dict[int, set[int]] | None = None, first_printing: dict[int, Said] | None = None,
         names_in_story: Callable[[int, str], bool] | None = None) -> list[Link]:
    """Corpus links for every denial not linked within its own article (and, by name or by
    its restatement, for those that are). ``article_pairs``: each denial's claims within its
    own article, by id; ``first_printing``: a quotation's first printing, by the id of each
    other printing; ``names_in_story(article_id, name)``: whether a story names someone."""
    counts = WindowCounts(statements, window_days)
    by_id = {s.id: s for s in statements}
    index: dict[str, list[Said]] = defaultdict(list)
    for c in statements:
        if c.type in CLAIM_TYPES:
            for w in c.words:
                index[w].append(c)
    links = []
    for d in statements:
        if d.type != "denial" or not d.words:
            continue
        seen = {c.id: c for w in d.words for c in index.get(w, ())}
        restated = [by_id[c] for c in sorted((article_pairs or {}).get(d.id, ())) if c in by_id]
        best = denied_claim(d, list(seen.values()), counts.weights(d), window_days, d.id in linked_denials,
                            restated, first_printing or {}, names_in_story)
        if best is not None:
            links.append(best)
    return to_first_printing(links, article_pairs or {}, by_id)


def denied_claim(d: Said, candidates: list[Said], idf: dict[str, float], window_days: int, linked: bool,
                 restated: list[Said], first_printing: dict[int, Said],
                 names_in_story: Callable[[int, str], bool] | None) -> Link | None:
    """The claim of another story a denial denies: through the claim its own story restates,
    when it has one, else by the claimant it names and the words both share."""
    if linked:
        found = restated_claim(d, restated, candidates, idf, window_days, first_printing, names_in_story)
        if found is not None:
            return found
    # a denial its article links already (to the claim it names: "rejected the mayor's
    # accusation that ...") links to that claim's earlier printing only by name
    return best_claim(d, candidates, idf, window_days, named_only=linked)


def restated_claim(d: Said, restated: list[Said], candidates: Iterable[Said], idf: dict[str, float],
                   window_days: int, first_printing: dict[int, Said],
                   names_in_story: Callable[[int, str], bool] | None) -> Link | None:
    """The earlier printing of a claim the denial's own story restates: the first printing
    of the quotation the restatement prints, else the claim that shares most of the
    restatement's words and whose claimant the restatement names."""
    for r in restated:
        first = first_printing.get(r.id)
        if first is not None and _may_deny(d, first) and _in_window(d, first, window_days):
            return Link(first.id, d.id, 0.95, {"restates": r.id, "quotation_first_printed": first.id,
                                               "why": "the claim its story restates is a printing of a quotation "
                                                      "first printed in another story"})
    best: Link | None = None
    best_rank: tuple = ()
    for r in restated:
        total = sum(idf.get(w, 1.0) for w in r.words)
        for c in candidates:
            if c.identity_id is None or not _may_deny(d, c) or c.id == r.id or not _in_window(d, c, window_days):
                continue
            shared = r.words & c.words
            share = sum(idf.get(w, 1.0) for w in shared) / total if total else 0.0
            if share < RESTATED_MIN or len(shared) < MIN_SHARED:
                continue
            claimant = _claimant(r, c, names_in_story)
            if claimant is None:
                continue
            score = round(min(1.0, 0.65 * share + 0.3), 3)
            cday = day_of(c.published)
            rank = (-score, cday if cday is not None else math.inf, c.id)
            if best is None or rank < best_rank:
                best_rank = rank
                best = Link(c.id, d.id, score, {"restates": r.id, "shared_words": sorted(shared),
                                                "restatement_share": round(share, 3), "claimant": claimant})
    return best


def _claimant(r: Said, c: Said, names_in_story: Callable[[int, str], bool] | None) -> str | None:
    """How the claimant a restatement names is the claim's speaker, or None."""
    if r.identity_id is not None and r.identity_id == c.identity_id:
        return f"the same speaker ({c.speaker})"
    if r.speaker and _matches(r.speaker, c):
        return f"'{r.speaker}' names {c.speaker}"
    if r.speaker and names_in_story is not None and names_in_story(c.article_id, r.speaker):
        return f"the story of {c.speaker}'s claim also names '{r.speaker}'"
    return None


def _in_window(d: Said, c: Said, window_days: int) -> bool:
    """Whether a claim was printed before the denial, within the window (undated: yes)."""
    day, cday = day_of(d.published), day_of(c.published)
    return day is None or cday is None or 0 <= day - cday <= window_days


def to_first_printing(links: list[Link], article_pairs: dict[int, set[int]], by_id: dict[int, Said]) -> list[Link]:
    """Send each link to a restated claim on to the claim that was restated.

    A claim restated in a denial's story is the earlier claim that denial is linked to; a
    link from another denial to the restatement goes to that earlier claim, unless it is
    the denier's own claim or printed in the denial's own story."""
    restated: dict[int, Link] = {}  # a restated claim's id -> the link of the denial restating it
    for found in links:
        for claim_id in article_pairs.get(found.denial_id, ()):
            restated.setdefault(claim_id, found)
    moved = []
    for found in links:
        via = restated.get(found.claim_id)
        if via is not None and via.denial_id != found.denial_id and _may_deny(by_id[found.denial_id], by_id[via.claim_id]):
            found = Link(via.claim_id, found.denial_id, found.score,
                         {**found.evidence, "restated_in": found.claim_id, "via_denial": via.denial_id})
        moved.append(found)
    return moved


def _may_deny(denial: Said, claim: Said) -> bool:
    """A denial answers a claim of another story and of another speaker."""
    same_speaker = denial.identity_id is not None and denial.identity_id == claim.identity_id
    return denial.article_id != claim.article_id and not same_speaker


def best_claim(d: Said, candidates: Iterable[Said], idf: dict[str, float], window_days: int = WINDOW_DAYS,
               named_only: bool = False) -> Link | None:
    """The claim among ``candidates`` (claims sharing words with the denial) it denies, if any."""
    day = day_of(d.published)
    target = named_target(d.preamble + " " + d.content[:120])
    total = sum(idf.get(w, 1.0) for w in d.words)
    best: Link | None = None
    best_rank: tuple = ()
    for c in candidates:
        if c.identity_id is None:  # a dispute needs a claimant: a claim nobody is recorded as making is none
            continue
        if c.article_id == d.article_id or c.identity_id == d.identity_id:
            continue
        cday = day_of(c.published)
        if day is not None and cday is not None and not (0 <= day - cday <= window_days):
            continue
        shared = d.words & c.words
        share = sum(idf.get(w, 1.0) for w in shared) / total
        named = bool(target) and _matches(target, c)
        about = bool(d.speaker) and _mentions(c.content, d.speaker)
        if named:
            ok = share >= NAMED_MIN and len(shared) >= 2
        elif named_only:
            ok = False
        else:
            ok = share >= UNNAMED_MIN and len(shared) >= MIN_SHARED and (target is None)
        if not ok:
            continue
        score = round(min(1.0, 0.65 * share + (0.3 if named else 0.0) + (0.05 if about else 0.0)), 3)
        # the best score; of equal ones the earliest printing (the claim first reported), then
        # the first stored, so that the link never depends on the order rows were read in
        rank = (-score, cday if cday is not None else math.inf, c.id)
        if best is None or rank < best_rank:
            best_rank = rank
            evidence = {"shared_words": sorted(shared), "word_share": round(share, 3)}
            if named:
                evidence["speaker_named"] = target
            if about:
                evidence["claim_mentions_denier"] = d.speaker
            best = Link(c.id, d.id, score, evidence)
    return best


def _mentions(text: str, name: str) -> bool:
    last = ascii_fold(name.split()[-1]) if name.split() else ""
    return bool(last) and re.search(r"\b" + re.escape(last) + r"\b", ascii_fold(text)) is not None

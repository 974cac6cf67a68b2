"""One quotation per utterance: the statements of several stories that print the same
quoted words of the same person, with how each printing's words relate to the first.

Two printings are one utterance when they share a run of at least ``MIN_RUN`` words and the
words they share are most of the shorter one (``MIN_SHARE``): an outlet that quotes five
words of a long sentence prints the same utterance, while two different sentences that
share a stock phrase (``we will not back down``) do not. Candidates are found through an
index of word runs per speaker, not by comparing every pair. Copies of one story are one
article already (``onrecord.neardup``), so a wire copy is never a second appearance.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

MIN_RUN = 4
MIN_SHARE = 0.6
_QUOTED = re.compile(r"[“\"]([^“”\"]{3,})[”\"]")
_TOKEN = re.compile(r"[\w’'-]+")


@dataclass
class Printing:
    """One statement's quoted words, with where and when it was printed."""

    statement_id: int
    article_id: int
    identity_id: int
    text: str  # the quoted words as printed
    published: str | None = None
    site: str | None = None
    wire: str | None = None  # the wire agency the story credits (dateline, byline), if any
    tokens: list[str] = field(default_factory=list)  # as printed
    words: list[str] = field(default_factory=list)  # folded, for comparing

    def __post_init__(self) -> None:
        if not self.tokens:
            self.tokens = _TOKEN.findall(self.text)
            self.words = [fold(t) for t in self.tokens]

    def order(self) -> tuple:
        """First appearance: the earliest day; on one day the wire story (a paper that
        carries it printed it after the agency did), then the earlier time of day where both
        give one, then the one stored first."""
        day, time = _day_and_time(self.published)
        return (day is None, day or "", self.wire is None, time or "~", self.statement_id)


@dataclass
class Member:
    """A printing of a quotation and how it relates to the first."""

    printing: Printing
    relation: str  # first | exact | partial | altered
    changes: list[dict] = field(default_factory=list)


@dataclass
class Quotation:
    """An utterance and every printing of it, the first first."""

    id: int
    identity_id: int
    text: str
    members: list[Member]
    first_reason: str = ""  # which rule made the first printing first


def _day_and_time(published: str | None) -> tuple[str | None, str | None]:
    """``2025-03-11T08:30:00`` → (``2025-03-11``, ``08:30:00``); a date alone has no time."""
    if not published:
        return None, None
    day, _, time = published.partition("T")
    return day[:10], (time or None)


def first_reason(first: Printing, runner_up: Printing) -> str:
    """Which rule put ``first`` before ``runner_up``, in words a reader checks."""
    (day, time), (other_day, other_time) = _day_and_time(first.published), _day_and_time(runner_up.published)
    if day is None:
        return "no date for any printing: the one stored first"
    if other_day is None or day < other_day:
        return f"the earliest day ({day})"
    if first.wire and not runner_up.wire:
        return f"the same day ({day}): the wire story ({first.wire}) before the paper that carried it"
    if time and other_time and time < other_time:
        return f"the same day ({day}): the earlier time ({time})"
    return f"the same day ({day}), no wire credited and no time to tell: the one stored first"


_CREDIT = re.compile(r"\(([^()\n]{1,40})\)|/([^/\n]{1,40})/")


def credited_wire(dateline: str | None, byline: str | None, agencies: frozenset[str]) -> str | None:
    """The wire agency a story credits: in its dateline (``BERLIN, May 5 (Reuters) -``) or
    its byline (``Jane Doe, AFP``); None when it credits none."""
    for match in _CREDIT.finditer(dateline or ""):
        name = (match.group(1) or match.group(2)).strip()
        if name.lower() in agencies:
            return name
    for part in re.split(r"[,|—–/]| - ", byline or "")[1:]:
        if part.strip().lower() in agencies:
            return part.strip()
    return None


def fold(word: str) -> str:
    """A word as compared: lower case, curly apostrophes straight."""
    return word.lower().replace("’", "'")


def quoted_text(content: str, kind: str) -> str | None:
    """The words a statement quotes: its quoted stretches, or the whole content of a
    direct quote (whose marks the record leaves out)."""
    if kind == "direct":  # "... country?” Clinton said. “In Tulsa ...": the attribution goes
        return re.sub(r"\s*[”\"][^“”\"]*[“\"]\s*", " … ", content).strip(" …") or None
    parts = _QUOTED.findall(content)
    return " … ".join(p.strip() for p in parts) if parts else None


def group(printings: list[Printing]) -> list[Quotation]:
    """The quotations among ``printings``: groups spanning two articles or more."""
    parent = list(range(len(printings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[tuple, list[int]] = defaultdict(list)
    for n, p in enumerate(printings):
        for run in {tuple(p.words[i:i + MIN_RUN]) for i in range(len(p.words) - MIN_RUN + 1)}:
            index[(p.identity_id, run)].append(n)
    compared: set[tuple[int, int]] = set()
    for ids in index.values():
        for a in ids:
            for b in ids:
                if a < b and (a, b) not in compared and find(a) != find(b):
                    compared.add((a, b))
                    if same_utterance(printings[a].words, printings[b].words):
                        parent[find(b)] = find(a)
    groups: dict[int, list[Printing]] = defaultdict(list)
    for n, p in enumerate(printings):
        groups[find(n)].append(p)
    return [_quotation(g) for g in groups.values() if len({p.article_id for p in g}) > 1]


def same_utterance(a: list[str], b: list[str]) -> bool:
    """Whether two printings share enough words, in order, to be one utterance."""
    shared = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
                 if block.size >= 2)
    return shared >= MIN_RUN and shared >= MIN_SHARE * min(len(a), len(b))


def _quotation(printings: list[Printing]) -> Quotation:
    printings = sorted(printings, key=Printing.order)
    first = printings[0]
    members = [Member(first, "first")] + [Member(p, *relation(first, p)) for p in printings[1:]]
    return Quotation(first.statement_id, first.identity_id, first.text, members, first_reason(first, printings[1]))


def relation(first: Printing, other: Printing) -> tuple[str, list[dict]]:
    """How ``other``'s words relate to the first printing's: ``exact``, ``partial`` (one is
    a stretch of the other) or ``altered`` (words changed, added or dropped inside the
    stretch both print), with the differing words."""
    a, b = first.words, other.words
    if a == b:
        return "exact", []
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    while ops and ops[0][0] != "equal":  # one printing starts earlier in the sentence
        ops.pop(0)
    while ops and ops[-1][0] != "equal":  # or goes on further
        ops.pop()
    inner = [op for op in ops if op[0] != "equal"]
    if not inner:
        return "partial", []
    changes = []
    for tag, i1, i2, j1, j2 in inner:
        was, now = " ".join(first.tokens[i1:i2]), " ".join(other.tokens[j1:j2])
        op = {"replace": "changed", "delete": "dropped", "insert": "added"}[tag]
        changes.append({"op": op, "first": was, "this": now})
    return "altered", changes

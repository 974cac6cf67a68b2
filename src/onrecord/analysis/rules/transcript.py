"""Transcripts and Q&A interviews: whose turn each paragraph is, and which turns are on the record.

Broadcast transcripts and magazine Q&As label every turn with its speaker instead of writing
"she said": ``WALLACE: Let's start ...``, ``DAVID ARCHER, HOST: From Bayside ...``, and in a
magazine's bold names ``Marlow: Badly, at first.``. What such a page puts on the record is
what the guests say; the interviewer asks, introduces and thanks. Read the way an editor
reads one:

* **A label** is a name in capitals at the start of a line (``SILVA:``, as before), or a
  name in title case (``Marlow:``) when the page is a dialogue: at least two such labels,
  each opening two lines or more. A line label that names nobody (``Update:``, ``Note:``)
  is never a speaker. The same speaker is labelled in full once and by surname after
  (``RENATA SILVA:`` then ``SILVA:``): turns are grouped by the label's last word.
* **The interviewer** is the one a label calls so (``HOST``, ``MODERATOR``, ``Q``), or in a
  dialogue the one whose turns are mostly questions while nobody else's are. The
  interviewer's turns are not statements (kept in the record's ``refused``, with the
  reason); an attribution inside one still is (``You have said in the past that ...``), and
  there "you" is the guest who answers next.
* **A turn that only greets or thanks** (``Thanks for having me.``) says nothing on the record.
* **A paragraph with no label** between a guest's turn and the next turn carries the guest's
  answer on: its own statement, the same speaker. A stage direction (``[MUSIC]``,
  ``(LAUGHTER)``) is nobody's.
* Inside a guest's turn, the guest's own ``I think ...`` is the turn itself, not a second
  statement; "I" there is the guest.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ...model import Refusal, StatementType
from .candidate import Candidate, Frame

if TYPE_CHECKING:
    from ...lexicon import AttributionWords
    from ..context import ArticleContext

# WALLACE: Let's start ...   /   "PENCE: Well, look ...   /   DAVID ARCHER, HOST: From ...
_CAPS_LABEL = re.compile(r"[ \t]*[\"“]?(?P<name>[A-Z][A-Z.'’-]+(?:[ \t][A-Z][A-Z.'’-]+){0,3})"
                         r"(?:,[ \t]*(?P<role>[A-Za-z][A-Za-z -]{0,30}?))?(?P<colon>:)[ \t]+(?P<body>\S[^\n]*)")
# Marlow: Badly, at first.   /   Nina Castillo: ...
_TITLE_LABEL = re.compile(r"[ \t]*(?P<name>[A-Z][a-z’'-]+(?:[ \t](?:[A-Z][a-z’'.-]+|[A-Z]\.)){0,2})"
                          r"(?:,[ \t]*(?P<role>[A-Za-z][A-Za-z -]{0,30}?))?(?P<colon>:)[ \t]+(?P<body>\S[^\n]*)")
# [MUSIC]   (LAUGHTER)   (SOUNDBITE OF ARCHIVED BROADCAST)
_STAGE_DIRECTION = re.compile(r"\s*[\"“”]?\s*[\[(][^\])\n]*[\])][.\s\"“”]*")
_WORD = re.compile(r"[\w’'-]+")
#: A phatic turn has at most this many words ("Thank you so much for having me on the show.").
MAX_PHATIC_WORDS = 10
#: The interviewer asks: at least this share of its turns hold a question mark ...
QUESTION_SHARE = 0.5
#: ... while every other speaker's turns hold one at most this often.
OTHERS_QUESTION_SHARE = 0.25


@dataclass(frozen=True)
class Turn:
    """One labelled turn of a transcript, or a paragraph that carries the last one on."""

    label: tuple[int, int]  # the name as the label gives it ("DAVID ARCHER", "Marlow")
    colon: tuple[int, int]
    body: tuple[int, int]  # the turn's words, to the end of its line
    who: str  # the label's last word, lower case: one speaker's turns share it
    interviewer: bool = False
    continues: bool = False  # a paragraph with no label, carrying the previous turn on


@dataclass
class Turns:
    """The turns of an article, in text order (none on a page that is no transcript)."""

    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [t.label[0] if not t.continues else t.body[0] for t in self.turns]

    def at(self, pos: int) -> Turn | None:
        """The turn whose body holds character ``pos``."""
        k = bisect_right(self._starts, pos) - 1
        if k >= 0 and self.turns[k].body[0] <= pos < self.turns[k].body[1]:
            return self.turns[k]
        return None

    def answerer(self, turn: Turn) -> Turn | None:
        """The labelled turn of the guest who answers ``turn`` (the next one not the interviewer's)."""
        k = self.turns.index(turn)
        return next((t for t in self.turns[k + 1:] if not t.interviewer and not t.continues), None)

    def fullest(self, label: tuple[int, int], text: str) -> tuple[int, int] | None:
        """For a turn's label, the fullest label of the same speaker (``RENATA SILVA`` for
        ``SILVA``), so every turn of one speaker resolves alike; None for other spans."""
        mine = next((t for t in self.turns if t.label == label and not t.continues), None)
        if mine is None:
            return None
        same = [t.label for t in self.turns if t.who == mine.who and not t.continues]
        return max(same, key=lambda span: (len(text[span[0]:span[1]].split()), -span[0]))

    def spelled_out(self, label: tuple[int, int], text: str, skip: frozenset[str]) -> tuple[int, int] | None:
        """Where the page spells a label's name out in running text: ``My guest is Renata
        Silva`` for ``RENATA SILVA:``, ``Tomas Lind has kept bees`` for ``Lind:`` (the
        fullest such mention, the first of those); None when it never does. Leading words in
        ``skip`` (``The``, ``Dr``) are no part of the name."""
        words = text[label[0]:label[1]].split()
        pattern = re.compile(r"(?<![\w’'-])((?:[A-Z][\w’'-]+\s+){0,2})" + r"\s+".join(
            "(?i:" + re.escape(w) + ")" for w in words) + r"(?![\w’'-])")
        labels = {t.label[0] for t in self.turns}
        best: tuple[int, int] | None = None
        for match in pattern.finditer(text):
            if match.start() in labels or match.group().isupper():
                continue
            start = match.start()
            for word in match.group(1).split():
                if word.lower().strip(".") not in skip:
                    break
                start = text.index(word, start) + len(word)
                start += len(text[start:]) - len(text[start:].lstrip())
            span = (start, match.end())
            if best is None or len(text[span[0]:span[1]].split()) > len(text[best[0]:best[1]].split()):
                best = span
        return best

    def labelled(self, turn: Turn) -> Turn:
        """The labelled turn a continuation paragraph carries on (itself when labelled)."""
        k = self.turns.index(turn)
        return next(t for t in reversed(self.turns[:k + 1]) if not t.continues)


def find_turns(text: str, words: AttributionWords) -> Turns:
    """The labelled turns of ``text``, who asks, and the paragraphs that carry a turn on."""
    found: list[tuple[re.Match[str], bool]] = []  # (match, in capitals)
    pos = 0
    for line in text.split("\n"):
        match = _CAPS_LABEL.match(text, pos, pos + len(line)) or _TITLE_LABEL.match(text, pos, pos + len(line))
        if match is not None and _speaker_label(match, words):
            found.append((match, match.re is _CAPS_LABEL))
        pos += len(line) + 1
    # a dialogue: two speakers with two turns each, counted apart in capitals and in title
    # case (a headline "Pence: ..." is not a turn of the transcript's "PENCE:")
    counts = {caps: Counter(_who(m) for m, c in found if c == caps) for caps in (True, False)}
    dialogue = {caps: sum(1 for n in counts[caps].values() if n >= 2) >= 2 for caps in (True, False)}
    # a title-case label is a turn only in a dialogue, and only a label that recurs
    kept = [m for m, caps in found if caps or (dialogue[False] and counts[False][_who(m)] >= 2)]
    if not kept:
        return Turns()
    is_dialogue = dialogue[True] or dialogue[False]
    asking = _interviewers(kept, words) if is_dialogue else _declared(kept, words)
    turns = [Turn(label=m.span("name"), colon=m.span("colon"), body=m.span("body"), who=_who(m),
                  interviewer=_who(m) in asking) for m in kept]
    if is_dialogue:
        turns = _with_continuations(text, turns)
    return Turns(turns)


def _speaker_label(match: re.Match[str], words: AttributionWords) -> bool:
    """Whether a line's label can name a speaker (not ``Update:``, ``Editor's note:``)."""
    name = " ".join(match.group("name").lower().replace("’", "'").split())
    return name not in words.not_turn_labels or name in words.host_roles


def _who(match: re.Match[str]) -> str:
    return match.group("name").split()[-1].lower().strip(".")


def _declared(turns: list[re.Match[str]], words: AttributionWords) -> set[str]:
    """Speakers a label calls the interviewer: ``ARCHER, HOST:``, ``HOST:``, ``Q:``."""
    roles = words.host_roles
    return {_who(m) for m in turns
            if (m.group("role") or "").strip().lower() in roles or m.group("name").lower() in roles}


def _interviewers(turns: list[re.Match[str]], words: AttributionWords) -> set[str]:
    """Who asks: declared so, or the one speaker whose turns are mostly questions."""
    declared = _declared(turns, words)
    if declared:
        return declared
    asked: Counter[str] = Counter()
    spoke: Counter[str] = Counter()
    for m in turns:
        spoke[_who(m)] += 1
        asked[_who(m)] += "?" in m.group("body")
    shares = {who: asked[who] / spoke[who] for who in spoke if spoke[who] >= 2}
    askers = [who for who, share in shares.items() if share >= QUESTION_SHARE]
    others = [share for who, share in shares.items() if who not in askers]
    if len(askers) == 1 and others and max(others) <= OTHERS_QUESTION_SHARE:
        return set(askers)
    return set()


def _with_continuations(text: str, turns: list[Turn]) -> list[Turn]:
    """The turns, with each unlabelled paragraph between a guest's turn and the next turn."""
    out: list[Turn] = []
    for here, after in zip(turns, turns[1:] + [None]):
        out.append(here)
        if after is None or here.interviewer:
            continue  # after the last turn comes the page's end: credits, footers
        start, stop = here.body[1] + 1, text.rfind("\n", 0, after.label[0]) + 1  # the next turn's line
        while start < stop:
            end = text.find("\n", start, stop)
            end = stop if end < 0 else end
            line = text[start:end]
            if _WORD.search(line) and not _STAGE_DIRECTION.fullmatch(line):
                lead = len(line) - len(line.lstrip())
                trail = len(line.rstrip())
                out.append(replace(here, body=(start + lead, start + trail), continues=True))
            start = end + 1
    return out


def is_phatic(text: str, words: AttributionWords) -> bool:
    """Whether a turn only greets or thanks (``Thank you, David.``)."""
    low = " ".join(text.lower().replace("’", "'").split())
    if low.startswith("thanks to "):
        return False  # "Thanks to the new pumps, ...": because of, not thanks
    return len(_WORD.findall(low)) <= MAX_PHATIC_WORDS and any(
        low == p or low.startswith((p + " ", p + ",", p + ".", p + "!")) for p in words.phatic)


def turn_candidates(ctx: ArticleContext, turns: Turns,
                    snap: Callable[[ArticleContext, Candidate], list[tuple[int, int]]],
                    ) -> tuple[list[Candidate], list[Refusal]]:
    """A statement for each guest's turn and continuation; on an interview page the
    interviewer's turns refused, and the phatic turns everywhere, with the reason.

    The interviewer of an interview page asks for the publication, as a report's writer
    narrates: not a statement. A transcript that a news story reprints quotes both sides,
    the host too, as it would quote anyone. A turn's content is ``snap``ped to the quotation
    it opens: a quotation running over paragraphs takes them, and they are no continuation."""
    words = ctx.lexicon.attribution
    found: list[Candidate] = []
    refused: list[Refusal] = []
    by_label: dict[tuple[int, int], Candidate] = {}
    for turn in turns.turns:
        start, end = turn.body
        reason = None
        if turn.interviewer and ctx.page_kind == "interview":
            reason = "the interviewer's turn: a question or an introduction, not a statement"
        elif is_phatic(ctx.text[start:end], words):
            reason = "a turn that only greets or thanks"
        if reason is not None:
            refused.append(Refusal(start=start, end=end, text=ctx.text[start:end], reason=reason))
            continue
        if turn.continues:
            owner = by_label.get(turns.labelled(turn).label)
            if owner is None or any(a <= start < b for a, b in owner.fragments):
                continue
            if _same_quotation(ctx, owner.fragments[0][0], start):
                owner.fragments.append(turn.body)  # one quotation over paragraphs: one statement
            else:
                found.append(replace(owner, fragments=[turn.body], frame=Frame.CONTINUED,
                                     sentence=ctx.paragraphs.bounds(start)))
            continue
        name = turn.label
        cand = Candidate(cue=turn.colon, lemma=":", type=StatementType.ASSERTION, frame=Frame.TRANSCRIPT,
                         speaker=name, speaker_token=ctx.token_at(name[1] - 1), fragments=[turn.body],
                         sentence=(name[0], end))
        cand.fragments = snap(ctx, cand)
        by_label[turn.label] = cand
        found.append(cand)
    return found, refused


def spoken_case(name: str) -> str:
    """A name from a label in capitals as running text spells it: ``PAUL REYES`` → ``Paul
    Reyes``, ``O'BRIEN`` → ``O'Brien``, ``JEAN-LUC`` → ``Jean-Luc``, ``MCCAIN`` → ``McCain``."""
    def word(w: str) -> str:
        w = re.sub(r"[A-Za-z]+", lambda m: m.group().capitalize(), w.lower())
        return w[:2] + w[2:].capitalize() if w.startswith("Mc") and len(w) > 3 else w
    return " ".join(word(w) for w in name.split())


def _same_quotation(ctx: ArticleContext, here: int, there: int) -> bool:
    """Whether two characters lie in one quotation (its paragraphs opened, closed once)."""
    a, b = ctx.quotes.at(here), ctx.quotes.at(there)
    return a is not None and b is not None and a.group == b.group


def turn_speaker(turns: Turns | None, pos: int, pronoun: str, second_person: frozenset[str],
                 first_person: frozenset[str]) -> tuple[int, int] | None:
    """The label a pronoun speaker inside a turn stands for: "you" in the interviewer's turn
    is the guest who answers; "I" in a guest's turn is that guest. None elsewhere."""
    turn = turns.at(pos) if turns is not None else None
    if turn is None:
        return None
    if pronoun in second_person and turn.interviewer:
        guest = turns.answerer(turn) if turns is not None else None
        return guest.label if guest is not None else None
    if pronoun in first_person and not turn.interviewer:
        return turns.labelled(turn).label if turns is not None else None
    return None

"""One identity per person or body across the corpus, each join with its evidence.

Each article names its speakers its own way: ``Elena Ruiz`` in one story, ``Ms Ruiz`` or
``Ruiz`` in the next, ``Zelenskiy`` where another outlet writes ``Zelensky``. The joins,
in the order they are tried:

1. **same name**: speakers whose cleaned names agree (given name and surname, spelt the
   same up to transliteration and diacritics, the same suffix: ``Jr.`` stays apart) are one,
   whatever kind one article's tagger gave each (the identity's kind is the one most of its
   mentions have);
2. **people file**: a speaker whose name is a pinned person's name or alias is that person;
3. **surname**: a speaker named by surname alone, or title and surname, joins the one
   full-named person of the corpus with that surname, of a compatible gender, mentioned
   within ``window_days`` of it. When several fit, a shared title or role (``Mayor``)
   decides, then the full name printed in the speaker's own article, then a quotation of
   the speaker's printed elsewhere under one candidate's full name (``"We will not raise a
   single tax on bread," Vogt said`` where another story prints it under Lena Vogt); when
   nothing decides, it stays apart. A lone candidate whose titles conflict with the
   speaker's (``Coach Vogt``, ``Finance Minister Lena Vogt``) is no candidate.

A user's ``split`` keeps a speaker out of every automatic join, and a ``merge`` joins two
speakers whatever the rules say. Nothing is joined without a row of evidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from .quotations import Printing, same_utterance
from ..names import (ascii_fold, clean_name, core_words, gender, given_names, is_pronoun, known_given_name,
                    spelling_key, suffix_of, surname)

#: How far apart (days) a surname-only mention and its full-named candidate may be printed.
WINDOW_DAYS = 60
#: A household name takes a bare surname when it is mentioned this many times more than any
#: namesake (and at least ``DOMINANT_MIN`` times): news writes ``Obama`` for the Obama of the
#: day and introduces a namesake by full name.
DOMINANT_RATIO = 10
DOMINANT_MIN = 20
#: Titles that say nothing of who someone is (every man is a ``Mr.``).
PLAIN_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "former", "then"}


@dataclass
class Quoted:
    """A quotation printed under a speaker's name: where, and its words."""

    article_id: int
    text: str
    words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.words:
            self.words = Printing(0, self.article_id, 0, self.text).words


@dataclass
class SpeakerInfo:
    """What the joins need to know of one stored speaker."""

    id: int
    key: str
    name: str
    kind: str
    forms: list[str] = field(default_factory=list)  # aliases and mention texts
    mentions: int = 1
    dates: list[str] = field(default_factory=list)  # publication dates of its articles
    articles: list[int] = field(default_factory=list)
    #: the quotations printed under this speaker (direct and mixed statements)
    quotes: list[Quoted] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    """A person (or body) a user pinned, with every name it goes by."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "person"


@dataclass(frozen=True)
class Override:
    """A user's ``merge`` (``key`` joins ``target_key``) or ``split`` (``key`` stands alone)."""

    action: str
    key: str
    target_key: str | None = None


@dataclass
class Join:
    """Why a speaker belongs to an identity that grew from another speaker."""

    speaker_id: int
    identity_id: int
    rule: str
    evidence: str
    confidence: float


@dataclass
class Identity:
    """A person or body across the corpus."""

    id: int
    name: str
    kind: str
    named: bool
    person_id: str | None
    members: list[int]


class _Groups:
    """Union-find over speaker ids, remembering the first reason each speaker joined."""

    def __init__(self, ids: Iterable[int]):
        self.parent = {i: i for i in ids}
        self.reason: dict[int, tuple[str, str, float, int]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int, rule: str, evidence: str, confidence: float) -> None:
        """Join ``a``'s group into ``b``'s (``a`` is the speaker the evidence is about)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        self.parent[max(ra, rb)] = min(ra, rb)
        self.reason.setdefault(a, (rule, evidence, confidence, b))


def name_key(speaker: SpeakerInfo) -> tuple[str, ...] | None:
    """Given name, surname and suffix of a full personal name, folded; None for one word.

    Organisations and places with a two-word capitalised name get the same key, so that
    ``Olaf Scholz`` tagged a place in one story is the person of the others.
    """
    clean = clean_name(speaker.name, "person")
    if clean is None:
        return None
    words = core_words(clean)
    if len(words) < 2:
        return None
    return (given_names(clean)[0], surname(clean), suffix_of(speaker.name))


def body_key(speaker: SpeakerInfo) -> str | None:
    """A body's or place's cleaned name, folded (``The FBI`` = ``FBI``)."""
    clean = clean_name(speaker.name, speaker.kind)
    return " ".join(spelling_key(w) for w in clean.split()) if clean else None


def link_keys(speaker: SpeakerInfo) -> set[str]:
    """Every key a rule below can join this speaker by: its store key (the user's merges
    and splits name it), its full name, its body name, its surname. Two speakers that
    share no key, directly or through other speakers, are never decided together, so an
    incremental link resolves again only what is connected to a new story's speakers."""
    keys = {f"key:{speaker.key}"}
    full = name_key(speaker)
    if full is not None:
        keys.add("name:" + "|".join(full))
    body = body_key(speaker)
    if body:
        keys.add(f"body:{speaker.kind}:{body}")
    clean = clean_name(speaker.name, "person")
    if clean and (last := surname(clean)):
        keys.add(f"surname:{last}")
    return keys


def person_keys(person: Person) -> set[str]:
    """The keys of a pinned person's names: a speaker with any of them is that person."""
    keys: set[str] = set()
    for form in (person.name, *person.aliases):
        probe = SpeakerInfo(0, "", form, person.kind)
        full = name_key(probe) if person.kind == "person" else None
        if full is not None:
            keys.add("name:" + "|".join(full))
        body = body_key(probe) if person.kind != "person" else None
        if body:
            keys.add(f"body:{person.kind}:{body}")
    return keys


def resolve(speakers: list[SpeakerInfo], people: Iterable[Person] = (), overrides: Iterable[Override] = (),
            article_text: Callable[[int], str] = lambda article_id: "",
            window_days: int = WINDOW_DAYS) -> tuple[list[Identity], list[Join]]:
    """The identities of ``speakers`` and the evidence of every join."""
    overrides = list(overrides)
    held = {o.key for o in overrides if o.action == "split"}
    free = [s for s in speakers if s.key not in held]
    groups = _Groups(s.id for s in speakers)
    _same_names(free, groups)
    pinned = _pin_people(free, list(people), groups)
    _surnames(free, groups, article_text, window_days)
    _user_merges(speakers, overrides, groups)
    return _identities(speakers, groups, pinned)


def _same_names(speakers: list[SpeakerInfo], groups: _Groups) -> None:
    by_person: dict[tuple, list[SpeakerInfo]] = defaultdict(list)
    by_body: dict[tuple, list[SpeakerInfo]] = defaultdict(list)
    for s in speakers:
        if s.kind == "anonymous":
            continue
        key = name_key(s)
        if key is not None and (s.kind == "person" or _looks_personal(s)):
            by_person[key].append(s)
        elif s.kind != "person" and (body := body_key(s)) and "@" not in s.key:
            by_body[(s.kind, body)].append(s)
    for members in list(by_person.values()) + list(by_body.values()):
        first = min(members, key=lambda s: s.id)
        for s in members:
            if s.id != first.id:
                groups.join(s.id, first.id, *_same_name_evidence(s, first))


def _looks_personal(s: SpeakerInfo) -> bool:
    """A body or place named like a person (two or three capitalised words, no body noun)."""
    from ..lexicon import in_force

    words = (clean_name(s.name, "person") or "").split()
    return 2 <= len(words) <= 3 and not any(w.lower() in in_force().names.organization for w in words)


def _same_name_evidence(s: SpeakerInfo, first: SpeakerInfo) -> tuple[str, str, float]:
    if s.kind != first.kind:
        return "same-name", f"'{s.name}' ({s.kind}) is named as '{first.name}' ({first.kind})", 0.9
    a, b = (ascii_fold(" ".join(core_words(clean_name(x.name, "person") or x.name))) for x in (s, first))
    if a != b:
        return "variant", f"'{s.name}' and '{first.name}' are spellings of one name", 0.9
    return "same-name", f"both named '{clean_name(first.name, first.kind) or first.name}'", 0.97


def _pin_people(speakers: list[SpeakerInfo], people: list[Person], groups: _Groups) -> dict[int, Person]:
    """Join every speaker named as a pinned person; the person by the group it pins."""
    names: dict[tuple, Person] = {}
    for p in people:
        for form in (p.name, *p.aliases):
            probe = SpeakerInfo(0, "", form, p.kind)
            key = name_key(probe) if p.kind == "person" else body_key(probe)
            if key is not None:
                names.setdefault(key if isinstance(key, tuple) else (p.kind, key), p)
    pinned_by_person: dict[str, int] = {}
    for s in speakers:
        key = name_key(s) if s.kind == "person" or _looks_personal(s) else \
            ((s.kind, body_key(s)) if body_key(s) else None)
        person = names.get(key) if key else None
        if person is None:
            continue
        if person.id in pinned_by_person:
            groups.join(s.id, pinned_by_person[person.id], "people-file",
                        f"'{s.name}' is a name of {person.id} ({person.name}) in the people file", 1.0)
        else:
            pinned_by_person[person.id] = s.id
    by_id = {p.id: p for p in people}
    return {groups.find(sid): by_id[pid] for pid, sid in pinned_by_person.items()}


@dataclass
class _Candidate:
    """A full-named person group a surname-only speaker may be."""

    root: int
    name: str
    forms: list[str]
    dates: list[str]
    gender: str | None
    titles: set[str]
    mentions: int = 0
    articles: set[int] = field(default_factory=set)
    quotes: list[Quoted] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        """A known first name, a full name printed in two stories or more, or a person its
        story names again (``FC Lindau coach Karl Vogt`` ... ``Vogt said``): not a
        headline's stray pair of capitalised words (``Derelict Obama``), named once."""
        return known_given_name(core_words(self.name)[0]) or len(self.articles) >= 2 or self.mentions >= 2


def _surnames(speakers: list[SpeakerInfo], groups: _Groups, article_text: Callable[[int], str],
              window_days: int) -> None:
    full: dict[str, dict[int, _Candidate]] = defaultdict(dict)
    for s in speakers:
        if s.kind == "person" and name_key(s) is not None:
            root = groups.find(s.id)
            cand = full[surname(clean_name(s.name, "person"))].setdefault(
                root, _Candidate(root, clean_name(s.name, "person"), [], [], None, set()))
            cand.forms += s.forms + [s.name]
            cand.dates += s.dates
            cand.mentions += s.mentions
            cand.articles.update(s.articles)
            cand.quotes += s.quotes
    for by_root in full.values():
        for cand in by_root.values():
            cand.gender = gender(cand.forms)
            cand.titles = _titles(cand.forms)
    for s in speakers:
        if not _surname_only(s):
            continue
        clean = clean_name(s.name, "person")
        found = _decide(s, list(full.get(surname(clean), {}).values()), article_text, window_days)
        if found is not None and s.kind != "person" and found[2] < 0.9 and "dominant" not in found[1]:
            continue  # a one-word body or place is a surname only when its article says so
        if found is not None:
            cand, evidence, confidence = found
            groups.join(s.id, cand.root, "surname", evidence, confidence)


def _surname_only(s: SpeakerInfo) -> bool:
    """A person named by one name word (``Ruiz``, ``Ms Ruiz``, ``President Trump``), or a
    one-word body or place kept to its article, which may be a surname the tagger mistook."""
    clean = clean_name(s.name, "person")
    if not clean or len(core_words(clean)) != 1:
        return False
    if s.kind == "person":
        return True
    return s.kind in ("organization", "place") and "@" in s.key and s.name[:1].isupper() and not s.name.isupper()


def _decide(s: SpeakerInfo, candidates: list[_Candidate], article_text: Callable[[int], str],
            window_days: int) -> tuple[_Candidate, str, float] | None:
    """The one candidate a surname-only speaker is, with the evidence, or None."""
    sex = gender(s.forms + [s.name])
    near = [c for c in candidates if _near(s.dates, c.dates, window_days)]
    fits = [c for c in near if not (sex and c.gender and sex != c.gender)]
    strong = [c for c in fits if c.strong]
    if strong:  # "Derelict Obama" of one headline is no rival for Barack Obama
        widest = max(len(c.articles) for c in strong)
        fits = [c for c in fits if c.strong or len(c.articles) >= widest]
    if not fits:
        return None
    named_in_text = _named_in(fits, s, article_text)
    titles = _titles(s.forms + [s.name])
    if len(fits) == 1:
        return _lone(s, fits[0], named_in_text, titles, sex, len(near))
    by_title = [c for c in fits if titles & c.titles]
    if len(by_title) == 1:
        c = by_title[0]
        return c, f"'{s.name}': of {len(fits)} people named {_surname_word(c)}, only {c.name} is " \
                  f"also '{', '.join(sorted(titles & c.titles))}'", 0.85
    pool = by_title or fits
    named = [c for c in named_in_text if c in pool]
    if len(named) == 1:
        c = named[0]
        return c, f"'{s.name}': of {len(fits)} people named {_surname_word(c)}, its article names only {c.name}", 0.9
    if named:
        return None
    quoting = [(c, q) for c in pool if (q := _shared_quotation(s, c)) is not None]
    if len(quoting) == 1:
        c, quoted = quoting[0]
        return c, f"'{s.name}': of {len(fits)} people named {_surname_word(c)}, only {c.name} is printed " \
                  f"elsewhere with its quotation {_short(quoted)}", 0.9
    if quoting:
        return None  # the same words printed under two namesakes: nothing to go on
    ranked = sorted(pool, key=lambda c: -c.mentions)
    top, second = ranked[0], ranked[1].mentions if len(ranked) > 1 else 0
    if top.mentions >= DOMINANT_MIN and top.mentions >= DOMINANT_RATIO * max(second, 1):
        return top, f"'{s.name}': {top.name} is the dominant {_surname_word(top)} of the corpus near then " \
                    f"({top.mentions} mentions, the next {second})", 0.75
    return None


def _lone(s: SpeakerInfo, c: _Candidate, named_in_text: list[_Candidate], titles: set[str], sex: str | None,
          near: int) -> tuple[_Candidate, str, float] | None:
    """The join to the one candidate that fits, with what tells it: the full name in the
    speaker's article, a quotation printed under both, or that nobody else fits (and why)."""
    word = _surname_word(c)
    if titles and c.titles and not titles & c.titles:
        return None  # "Coach Vogt" is not "Finance Minister Lena Vogt", however alone she is
    if named_in_text == [c]:
        return c, f"'{s.name}': its article names {c.name}, the only {word} of the corpus near then", 0.95
    quoted = _shared_quotation(s, c)
    if quoted is not None:
        return c, f"'{s.name}': its quotation {_short(quoted)} is printed elsewhere under {c.name}", 0.95
    others = near - 1
    if others and sex:  # the others were set aside by the pronouns and titles that say man or woman
        pronoun = {"female": "a woman", "male": "a man"}.get(sex, sex)
        return c, f"'{s.name}': {c.name} is the only {word} of the corpus near then who is {pronoun} " \
                  f"(as the story says); {others} other {word} {'is' if others == 1 else 'are'} not", 0.8
    return c, f"'{s.name}': {c.name} is the only {word} of the corpus near then", 0.8


def _shared_quotation(s: SpeakerInfo, c: _Candidate) -> str | None:
    """A quotation of the speaker's that another story prints under the candidate's full name."""
    for mine in s.quotes:
        for theirs in c.quotes:
            if theirs.article_id not in s.articles and same_utterance(mine.words, theirs.words):
                return mine.text
    return None


def _short(quoted: str, words: int = 10) -> str:
    """A quotation as the evidence cites it: its first words."""
    parts = quoted.split()
    return "“" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "”"


def _surname_word(c: _Candidate) -> str:
    return core_words(c.name)[-1]


def _near(dates: list[str], other: list[str], window_days: int) -> bool:
    """Whether some date of one is within the window of some date of the other (undated: yes)."""
    mine, theirs = _days(dates), _days(other)
    if not mine or not theirs:
        return True
    theirs.sort()
    return any(abs(d - t) <= window_days for d in mine for t in (theirs[0], theirs[-1])) or \
        any(theirs[0] <= d <= theirs[-1] for d in mine)


def _days(dates: list[str]) -> list[int]:
    out = []
    for d in dates:
        try:
            out.append(date.fromisoformat(d[:10]).toordinal())
        except (TypeError, ValueError):
            continue
    return out


def _titles(forms: list[str]) -> set[str]:
    """The telling titles and roles before the names among ``forms`` (``mayor``, ``minister``):
    the title words before a form's last run of capitalised words that are no titles (its
    name), so that ``Education Minister Greta Hahn`` and ``FC Lindau coach Karl Vogt`` say
    minister and coach."""
    from ..lexicon import in_force

    titles = in_force().names.titles
    found = set()
    for form in forms:
        words = [w.lower().strip(".,") for w in form.split()]
        name_start = len(words)
        while name_start > 0 and form.split()[name_start - 1][:1].isupper() and words[name_start - 1] not in titles:
            name_start -= 1
        found |= {w for w in words[:name_start] if w in titles and w not in PLAIN_TITLES}
    return found


def _named_in(candidates: list[_Candidate], s: SpeakerInfo, article_text: Callable[[int], str]) -> list[_Candidate]:
    """The candidates whose full name the speaker's own article prints."""
    texts = [article_text(a) for a in s.articles]
    out = []
    for c in candidates:
        words = core_words(c.name)
        pattern = re.compile(r"\b" + re.escape(words[0]) + r"\b(?:\s+[A-Z]\w*\.?)*?\s+" + re.escape(words[-1])
                             + r"\b(?!\s+(?:Jr|Sr|II|III)\b)")
        if any(pattern.search(t) for t in texts):
            out.append(c)
    return out


def _user_merges(speakers: list[SpeakerInfo], overrides: list[Override], groups: _Groups) -> None:
    ids = {s.key: s.id for s in speakers}
    for o in overrides:
        if o.action == "merge" and o.key in ids and o.target_key in ids:
            groups.join(ids[o.key], ids[o.target_key], "user", f"merged by a user into '{o.target_key}'", 1.0)


def _identities(speakers: list[SpeakerInfo], groups: _Groups, pinned: dict[int, Person]
                ) -> tuple[list[Identity], list[Join]]:
    members: dict[int, list[SpeakerInfo]] = defaultdict(list)
    for s in speakers:
        members[groups.find(s.id)].append(s)
    identities, joins = [], []
    pinned = {groups.find(root): p for root, p in pinned.items()}
    for root, group in members.items():
        kind = _majority_kind(group)
        person = pinned.get(root)
        name, named = (person.name, True) if person else _best_name(group, kind)
        identities.append(Identity(root, name, kind, named, person.id if person else None,
                                   sorted(s.id for s in group)))
        for s in group:
            if s.id != root and s.id in groups.reason:
                rule, evidence, confidence, _ = groups.reason[s.id]
                joins.append(Join(s.id, root, rule, evidence, confidence))
            elif s.id != root:  # joined through another member: its evidence is that member's
                joins.append(Join(s.id, root, "same-group", "joined with the speakers of this identity", 0.9))
    return sorted(identities, key=lambda i: i.id), sorted(joins, key=lambda j: j.speaker_id)


def _majority_kind(group: list[SpeakerInfo]) -> str:
    votes: Counter[str] = Counter()
    for s in group:
        votes[s.kind] += s.mentions
    return max(votes, key=lambda k: (votes[k], k == "person"))


def _best_name(group: list[SpeakerInfo], kind: str) -> tuple[str, bool]:
    """The name a listing shows: the most-mentioned clean full name, else the most-mentioned
    clean name; a group with no name at all keeps its description (``named`` False)."""
    scored: Counter[str] = Counter()
    for s in group:
        clean = clean_name(s.name, kind if kind != "anonymous" else s.kind)
        if clean:
            scored[clean] += s.mentions + (1000 if kind == "person" and len(core_words(clean)) >= 2 else 0)
        for form in s.forms:
            if is_pronoun(form) or kind == "anonymous":
                continue
            c = clean_name(form, kind)
            if c and kind == "person" and len(core_words(c)) >= 2 and c not in scored:
                scored[c] += 500  # a full name an alias gives ("Elena Ruiz" for "Ms Ruiz")
    if scored:
        return max(scored, key=lambda n: (scored[n], -len(n))), True
    head = min(group, key=lambda s: s.id)
    return head.name, False

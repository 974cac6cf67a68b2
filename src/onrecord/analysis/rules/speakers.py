"""Speakers: from the mention that says a statement to a canonical speaker of the article.

News names a person in full once (``US President Donald Trump``) and then by surname,
title or pronoun; it names organisations and places as speakers (``the Kremlin``, ``Kyiv``)
and hides sources behind descriptions (``a senior official``). Resolution follows those
habits:

* person names from the parser's entities are clustered by surname, with first names kept
  apart (``Donald Trump`` and ``Ivanka Trump`` stay two people; a bare ``Trump`` goes to
  the most recently mentioned);
* ``he``/``she`` go to the nearest earlier person in subject position that agrees in gender
  (titles, first names and earlier pronouns tell gender), outside quotation marks;
* ``the president`` goes to the latest person introduced with that title;
* organisations, places and unnamed sources become speakers of their kind; an unnamed
  description (``Ukraine's military leadership``) joins a named organisation of the same
  owner mentioned next to it (``Ukraine's General Staff``).

No recoverable speaker gives no name: a pronoun with no antecedent keeps its mention and
stays unresolved rather than being guessed.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ...layout import split_authors
from ...lexicon import Lexicon, NameWords, Pronouns
from ...model import Refusal, Speaker, SpeakerKind
from ..registry import step
from .candidate import Candidate
from .places import gazetteer
from .syntax import noun_phrase
from .transcript import Turns, spoken_case, turn_speaker

if TYPE_CHECKING:
    from ..context import ArticleContext

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
PERSON_LABELS = {"PERSON"}
ORG_LABELS = {"ORG", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@step("speakers.v2", needs=("layout", "quotes", "drafts"), produces=("resolver", "entities"))
def resolve_speakers(ctx: ArticleContext) -> tuple["SpeakerResolver", list[Entity | None]]:
    """The article's speaker table, and the canonical speaker of each draft (None if unknown).

    An unnamed description that joins a named body nearby (``Ukraine's military leadership``
    → ``Ukraine's General Staff``) resolves to that body.
    """
    resolver = SpeakerResolver(ctx)
    entities: list[Entity | None] = []
    for n, draft in enumerate(ctx.drafts):
        avoid = _answered(ctx, n, entities) if _answers(draft, ctx.lexicon) else None
        entities.append(resolver.resolve(draft, ctx.offset_of, avoid=avoid))
    merged = resolver.bridge()
    return resolver, [merged.get(id(e), e) if e is not None else None for e in entities]


@step("self_reports.v2", needs=("drafts", "entities"), produces=("drafts", "entities"))
def drop_self_reports(ctx: ArticleContext) -> tuple[list[Candidate], list[Entity | None]]:
    """Drop ``he understood`` from ``Putin said he understood X``: one statement, not two
    (and ``they doubted`` from ``Farmers said they doubted X``, a group or body's own view).

    A cue heading the content clause of a statement by the same speaker reports that
    speaker's own words again; the outer statement already holds them.
    """
    drafts, entities = ctx.drafts, ctx.entities
    by_cue = {_token_key(d.cue_token): n for n, d in enumerate(drafts) if d.cue_token is not None}
    keep = []
    for n, draft in enumerate(drafts):
        tok = draft.cue_token
        outer = by_cue.get(_token_key(tok.head)) if tok is not None and tok.dep_ in ("ccomp", "xcomp") else None
        same = outer is not None and entities[n] is not None and entities[outer] is entities[n]
        who = draft.speaker_token
        if outer is not None and not same and entities[n] is None and who is not None and who.lower_ in ("they", "we"):
            # "Farmers said they doubted the plan": the group reports its own view
            said_by = entities[outer]
            same = said_by is not None and (said_by.plural or said_by.kind in ("organization", "anonymous"))
        keep.append(not (same and who is not None and who.pos_ == "PRON"))
    return [d for d, k in zip(drafts, keep) if k], [e for e, k in zip(entities, keep) if k]


@step("speakers.required.v1", needs=("drafts", "entities"), produces=("drafts", "entities", "refused"))
def require_a_speaker(ctx: ArticleContext) -> tuple[list[Candidate], list[Entity | None], list[Refusal]]:
    """No statement that nobody is said to have made: a quotation or claim with no speaker
    mention at all (a scare quote, a title, a phrase in quotation marks), or the writer's
    own "I think ..." where no single author is known, is refused, and kept in the record's
    ``refused`` with the reason. A mention that could not be resolved (``he`` with no
    antecedent) still names a speaker and stays."""
    drafts: list[Candidate] = []
    entities: list[Entity | None] = []
    refused: list[Refusal] = list(ctx.products.get("refused", []))
    writer = ctx.lexicon.pronouns.writer
    for draft, entity in zip(ctx.drafts, ctx.entities):
        reason = None
        if draft.speaker is None:
            reason = "no speaker: nobody is said to have said it"
        elif (entity is None and draft.speaker_token is not None and draft.speaker_token.lower_ in writer
              and not ctx.in_quote(draft.speaker[0]) and ctx.page_kind != "interview"):
            reason = "the writer's own words, and no single author is known"
        if reason is not None:
            start, end = draft.extent
            refused.append(Refusal(start=start, end=end, text=ctx.text[start:end], reason=reason))
            continue
        drafts.append(draft)
        entities.append(entity)
    return drafts, entities, refused


def _answers(draft: Candidate, lexicon: Lexicon) -> bool:
    """Whether a draft is a reply (``"Not this time," she replied``) with a pronoun speaker."""
    cue, who = draft.cue_token, draft.speaker_token
    return (cue is not None and who is not None and who.pos_ == "PRON"
            and cue.lemma_.lower() in lexicon.attribution.answering)


def _answered(ctx: ArticleContext, n: int, entities: list[Entity | None]) -> Entity | None:
    """The speaker of the statement just before draft ``n`` in the text (already resolved):
    the one a reply answers, who is not the one replying."""
    here = ctx.drafts[n].extent[0]
    before = [(d.extent[0], e) for d, e in zip(ctx.drafts, entities) if d.extent[0] < here]
    return max(before, key=lambda pair: pair[0])[1] if before else None


def _token_key(tok: Token) -> tuple[int, int]:
    """Identity of a token (spaCy makes a new Token object on every access)."""
    return id(tok.doc), tok.i


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").rstrip(".").removesuffix("'s")


@dataclass
class Entity:
    """A speaker candidate of the article: one person, organisation, place or source."""

    kind: SpeakerKind
    name: str
    surname: str = ""
    first: str = ""
    key: str = ""
    gender: str | None = None
    titles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: dict[str, None] = field(default_factory=dict)
    possessor: str = ""
    named: bool = True
    speaks: bool = False
    plural: bool = False  # "editorials", "officials": never what "it" refers to

    def add(self, start: int, end: int, text: str) -> None:
        """Record one mention (offsets and surface text); nested mentions keep the wider."""
        for n in range(len(self.mentions) - 1, max(-1, len(self.mentions) - 4), -1):
            a, b = self.mentions[n]  # mentions arrive nearly in order: the nested one is recent
            if a <= start and end <= b:
                break
            if start <= a and b <= end:
                self.mentions[n] = (start, end)
                break
        else:
            self.mentions.append((start, end))
        self.aliases.setdefault(text, None)


@dataclass
class Mention:
    """Where an entity is mentioned, and whether as a subject (antecedents prefer those)."""

    start: int
    entity: Entity
    subject: bool
    quoted: bool


class SpeakerResolver:
    """Resolves statement speakers of one article to canonical speakers."""

    def __init__(self, ctx: ArticleContext) -> None:
        self.text = ctx.text
        self.lexicon: Lexicon = ctx.lexicon
        self.settings = ctx.settings
        self.words: NameWords = ctx.lexicon.names
        self.pronouns: Pronouns = ctx.lexicon.pronouns
        self.in_quote = ctx.in_quote
        self.page_kind = ctx.page_kind
        self.turns: Turns | None = ctx.products.get("turns")
        self.token_at = ctx.token_at
        self.authors = split_authors(ctx.author, ctx.lexicon)
        self._writer: Entity | None = None
        segments = ctx.segments
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.by_offset: dict[int, Entity] = {}  # token start offset -> entity
        self._by_surname: dict[str, list[Entity]] = {}
        self._by_first: dict[str, list[Entity]] = {}
        self._by_key: dict[str, Entity] = {}
        self._anonymous: dict[str, list[Entity]] = {}  # head noun -> unnamed sources
        dateline = _dateline_span(ctx)
        # the dateline's place (``KESSEL, March 6 -``, which the parser often tags as a body)
        # names where the story was filed, never someone who speaks in it
        ents = [(ent, offset) for doc, offset in segments for ent in doc.ents
                if not (dateline and dateline[0] <= offset + ent.start_char < dateline[1])]
        for ent, offset in ents:
            if ent.label_ in PERSON_LABELS:
                self._add_person(ent, offset)
        for ent, offset in ents:
            if ent.label_ not in PERSON_LABELS and (ent.label_ in ORG_LABELS or ent.label_ in PLACE_LABELS):
                self._add_other(ent, offset)
        self.mentions.sort(key=lambda m: m.start)

    # -- building entities from the parser's named entities --------------------------------
    def _name_tokens(self, ent: Span) -> list[Token]:
        toks = [t for t in ent if not t.is_punct and t.tag_ != "POS"]
        inverted = self.lexicon.attribution.inverted_cues
        while len(toks) > 1 and (_norm(toks[0].text) in self.words.titles or toks[0].lower_ in inverted):
            toks = toks[1:]  # titles, and the "Said" of "Said Ellis:" that the tagger takes for a name
        return toks

    def _add_person(self, ent: Span, offset: int) -> None:
        toks = self._name_tokens(ent)
        if not toks:
            return
        words = [_norm(t.text) for t in toks]
        if len(words) > 1 and words[-1].strip(".") in self.words.company_words:
            self._add_other(ent, offset, label="ORG")  # "Fenwick Foods" tagged as a person
            return
        if len(words) == 1 and (company := self._company_by_first_word(words[0])) is not None:
            self._mention(company, ent, offset)  # "Fenwick said", after "Fenwick Foods"
            return
        entity = self._person_for(words, self._title_gender(ent))
        if entity is None and len(toks) == 1 and toks[0].text in gazetteer():
            self._add_other(ent, offset, label="GPE")  # "Kyiv denies ...": the tagger took a place for a person
            return
        if entity is None:
            entity = Entity(kind="person", name=_span_text(toks), surname=words[-1],
                            first=words[0] if len(words) > 1 else "")
            self.entities.append(entity)
            self._by_surname.setdefault(entity.surname, []).append(entity)
            if entity.first:
                self._by_first.setdefault(entity.first, []).append(entity)
        elif len(words) > 1 and not entity.first:
            entity.first = words[0]
            entity.name = _span_text(toks)
            self._by_first.setdefault(entity.first, []).append(entity)
        self._titles_and_gender(entity, ent, words)
        self._mention(entity, ent, offset)

    def _company_by_first_word(self, word: str) -> Entity | None:
        """The company already named whose name begins with ``word`` (``Fenwick Foods``)."""
        for entity in reversed(self.entities):
            parts = entity.name.split()
            if (entity.kind == "organization" and len(parts) > 1 and _norm(parts[0]) == word
                    and _norm(parts[-1]).strip(".") in self.words.company_words):
                return entity
        return None

    def _person_for(self, words: list[str], gender: str | None = None) -> Entity | None:
        """The person these name words refer to, if already known.

        A gendered title settles which of two namesakes is meant: after "Bill Clinton",
        "Mrs. Clinton" is not him.
        """
        if len(words) > 1:
            for e in reversed(self._by_surname.get(words[-1], ())):
                if (not e.first or e.first == words[0] or e.first[:1] == words[0][:1]) and _agrees(e, gender):
                    return e
            return None
        word = words[0]
        same = self._by_surname.get(word) or self._by_first.get(word) or []
        return next((e for e in reversed(same) if _agrees(e, gender)), None)

    def _title_gender(self, ent: Span) -> str | None:
        """The gender a title before or in a name gives it ("Mrs. Clinton"), if any."""
        doc = ent.doc
        words = [_norm(t.text) for t in ent]
        i = ent.start - 1
        while i >= 0 and _norm(doc[i].text) in self.words.title_or_gender:
            words.append(_norm(doc[i].text))
            i -= 1
        if set(words) & self.words.female:
            return "f"
        return "m" if set(words) & self.words.male else None

    def _titles_and_gender(self, entity: Entity, ent: Span, words: list[str]) -> None:
        doc = ent.doc
        i = ent.start - 1
        while i >= 0 and _norm(doc[i].text) in self.words.title_or_gender:
            entity.titles.add(_norm(doc[i].text))
            i -= 1
        for t in ent:
            if _norm(t.text) in self.words.titles:
                entity.titles.add(_norm(t.text))
        if entity.gender is None:
            cues = entity.titles | {words[0]}
            if cues & self.words.female:
                entity.gender = "f"
            elif cues & self.words.male:
                entity.gender = "m"

    def _add_other(self, ent: Span, offset: int, label: str | None = None) -> None:
        label = label or ent.label_
        toks = [t for t in ent if t.tag_ != "POS" and not t.is_punct]
        if not toks:
            return
        words = [_norm(t.text) for t in toks]
        if len(words) == 1 and (company := self._company_by_first_word(words[0])) is not None:
            self._mention(company, ent, offset)  # "Halden said", after "Halden Foods" (tagged a place)
            return
        person = self._person_for(words) if label == "ORG" else None
        if person is not None:  # the small model often tags a surname as ORG
            self._mention(person, ent, offset)
            return
        key = " ".join(w for w in words if w not in ("the",))
        entity = self._by_key.get(key)
        if entity is None:
            kind: SpeakerKind = "place" if label in PLACE_LABELS and key not in self.words.organization else "organization"
            name = " ".join(t.text for t in toks if t.lower_ != "the" or t.i != toks[0].i)
            entity = self._new(Entity(kind=kind, name=name, key=key))
        self._mention(entity, ent, offset)

    def _new(self, entity: Entity) -> Entity:
        """Register a non-person entity under its key."""
        self.entities.append(entity)
        self._by_key[entity.key] = entity
        return entity

    def _mention(self, entity: Entity, ent: Span, offset: int) -> None:
        start, end = ent.start_char + offset, ent.end_char + offset
        entity.add(start, end, self.text[start:end])
        self.mentions.append(Mention(start, entity, _main_subject(ent.root), self.in_quote(start)))
        for tok in ent:
            self.by_offset[tok.idx + offset] = entity

    # -- resolving statement speakers ------------------------------------------------------
    def resolve(self, cand: Candidate, offset_of: Callable[[Token], int], avoid: Entity | None = None) -> Entity | None:
        """The canonical speaker of a statement draft, or None when it cannot be known;
        a pronoun never resolves to ``avoid`` (the speaker a reply answers)."""
        tok = cand.speaker_token
        if cand.speaker is None or tok is None:
            return None
        start, end = cand.speaker
        fullest = self.turns.fullest(cand.speaker, self.text) if self.turns is not None else None
        if fullest is not None and self.turns is not None:
            # "SILVA:" is "RENATA SILVA:", whom the page spells "Renata Silva": resolve that mention
            named = self.turns.spelled_out(fullest, self.text, self.words.determiners | self.words.titles) or fullest
            if named == cand.speaker:
                fullest = None
        if fullest is not None:
            found = self.resolve(replace(cand, speaker=named, speaker_token=self.token_at(named[1] - 1)), offset_of)
            if found is not None:
                found.add(start, end, self.text[start:end])
            return found
        span = cand.speaker
        low = tok.lower_
        pron = self.pronouns
        if low in pron.relative and tok.head.dep_ == "relcl" and tok.head.head.i != tok.head.i:
            # "officials who said ...": the mention is "who", the speaker its antecedent
            tok = tok.head.head
            low = tok.lower_
            a, b = noun_phrase(tok)
            span = (offset_of(tok.doc[a]), offset_of(tok.doc[b - 1]) + len(tok.doc[b - 1].text))
        label = None if self.in_quote(start) else turn_speaker(
            self.turns, start, low, pron.second_person, pron.writer)
        if label is not None:
            # "You have said ..." asked in an interview: the guest who answers; "I" in a turn: its speaker
            found = self.resolve(replace(cand, speaker=label, speaker_token=self.token_at(label[1] - 1)), offset_of)
        elif low in pron.writer and not self.in_quote(start):
            found = self._author()  # "I think the levy is a mistake": the byline's author, if one
        elif low in pron.male or low in pron.female:
            found = self._antecedent(start, "m" if low in pron.male else "f", avoid=avoid)
        elif low in pron.thing:
            found = self._antecedent(start, None, kinds=("organization", "place"), singular=True, avoid=avoid)
        elif low in pron.other or tok.pos_ == "PRON":
            return None
        else:
            found = self.by_offset.get(offset_of(tok))
            if found is not None and found.kind != "person" and " " not in found.name:
                # a lone name tagged as an organisation that is the surname of a person named here
                found = self._person_for([_norm(found.name)]) or found
            found = found or self._described(span, tok, offset_of)
        if found is not None:
            if found.name.isupper() and self.turns is not None and self.turns.fullest(cand.speaker, self.text):
                found.name = spoken_case(found.name)  # "PAUL REYES:" labels Paul Reyes
            found.add(start, end, self.text[start:end])
            found.speaks = True
            if not found.possessor and found.kind == "organization":
                found.possessor = self._possessor(tok)  # "France's Defence Staff" (a tagged name)
            insort(self.mentions, Mention(start, found, True, False), key=lambda m: m.start)
        return found

    def _author(self) -> Entity | None:
        """The byline's one author, who speaks in the first person outside quotations on
        every page but a transcript (whose turns have their own speakers); None when no
        single author is known (``By A and B`` is two people: "I" is neither for sure)."""
        if self.page_kind == "interview" or len(self.authors) != 1:
            return None
        if self._writer is None:
            name = self.authors[0]
            words = [_norm(w) for w in name.split()]
            self._writer = Entity(kind="author", name=name, surname=words[-1] if words else "",
                                  first=words[0] if len(words) > 1 else "")
            self.entities.append(self._writer)
        return self._writer

    def _antecedent(self, pos: int, gender: str | None, kinds: tuple[SpeakerKind, ...] = ("person",),
                    singular: bool = False, avoid: Entity | None = None) -> Entity | None:
        """Nearest earlier entity of the right kind, gender and number, subjects first (never
        ``avoid``)."""
        hi = bisect_left(self.mentions, pos, key=lambda m: m.start)
        nearest = None
        for i in range(hi - 1, -1, -1):
            m = self.mentions[i]
            if m.start < pos - self.settings.antecedent_window:
                break
            if m.quoted or m.entity.kind not in kinds or (gender and m.entity.gender not in (None, gender)):
                continue
            if (singular and m.entity.plural) or m.entity is avoid:
                continue
            nearest = nearest or m
            if m.subject:
                nearest = m
                break
        if nearest is None:
            return None
        if gender and nearest.entity.gender is None:
            nearest.entity.gender = gender
        return nearest.entity

    def _described(self, span: tuple[int, int], tok: Token, offset_of: Callable[[Token], int]) -> Entity | None:
        """A speaker named by a description or an untagged proper noun."""
        start, end = span
        words = [_norm(t.text) for t in tok.subtree if offset_of(t) >= start and offset_of(t) < end]
        head = _norm(tok.lemma_ if tok.pos_ == "NOUN" else tok.text)
        possessor = self._possessor(tok)
        determiner = words[0] if words else ""
        if tok.pos_ == "PROPN":
            # an untagged proper name: a person if it matches one, else an organisation
            person = self._person_for([_norm(tok.text)]) or self._personal_name(tok)
            if person is not None:
                return person
            kind = "place" if tok.text in gazetteer() else _untagged_name_kind(tok, self.words)
        elif head in self.words.titles and determiner in ("the", "") or possessor:
            person = self._titled(head, start) if head in self.words.titles else None
            if person is not None:
                return person
            kind = "organization" if head in self.words.organization else (
                "anonymous" if head in self.words.anonymous else "person")
        elif head in self.words.anonymous or head.rstrip("s") in self.words.anonymous:
            kind = "anonymous"
        else:
            kind = "organization"
            issued = head in self.words.issued_documents and not possessor
            if determiner == "the" and (head in self.words.body_descriptions or issued) and tok.tag_ != "NNS":
                named = self._salient_body(start, head)
                if named is not None:
                    return named  # "Fenwick Foods ... the grocery giant said": the body named before
        text = self.text[start:end]
        name = _display_name(text, self.words.determiners)
        key = f"{kind}:{name.lower()}"
        if kind == "anonymous" and determiner in self.words.indefinite:
            key += f"@{start}"  # every "a source" is a new source ...
        elif kind == "anonymous":  # ... and "the source" is the latest one
            earlier = [e for e in self._anonymous.get(head, ()) if e.mentions and e.mentions[-1][0] < start]
            if earlier:
                return earlier[-1]
        entity = self._by_key.get(key)
        if entity is None:
            entity = self._new(Entity(kind=kind, name=name, key=key, possessor=possessor,
                                      named=tok.pos_ == "PROPN", plural=tok.tag_ == "NNS"))
            if kind == "anonymous":
                self._anonymous.setdefault(head, []).append(entity)
        return entity

    def _salient_body(self, pos: int, head: str) -> Entity | None:
        """The named body a description (``the company``, ``the union``) names again: one
        whose name holds the description's noun (``the union`` → ``Rail Staff Union``),
        else the one the story has named most so far, in the window before it."""
        counts: dict[int, tuple[Entity, int, int]] = {}
        for m in self.mentions:
            if m.start >= pos:
                break
            if m.start >= pos - self.settings.antecedent_window and m.entity.kind == "organization" \
                    and m.entity.named and not m.entity.plural and not m.quoted:
                _, seen, _ = counts.get(id(m.entity), (m.entity, 0, 0))
                counts[id(m.entity)] = m.entity, seen + 1, m.start
        if not counts:
            return None

        def weight(item: tuple[Entity, int, int]) -> tuple[bool, int, int]:
            entity, mentions, last = item
            return head in {_norm(w) for w in entity.name.split()}, mentions, last

        return max(counts.values(), key=weight)[0]

    def _personal_name(self, tok: Token) -> Entity | None:
        """A person from an untagged name that reads as one: a role or a known first name
        before the surname (``Organiser Priya Nair``, ``Sarah Lee``)."""
        names = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
        titled = False
        while len(names) > 1 and _norm(names[0].text) in self.words.titles:
            names, titled = names[1:], True
        first = _norm(names[0].text)
        known_first = first in self.words.male or first in self.words.female
        if len(names) < 2 or not (known_first or titled):
            return None
        gender = "f" if first in self.words.female else "m" if first in self.words.male else None
        entity = Entity(kind="person", name=_span_text(names), surname=_norm(tok.text), first=first, gender=gender)
        self.entities.append(entity)
        self._by_surname.setdefault(entity.surname, []).append(entity)
        self._by_first.setdefault(first, []).append(entity)
        return entity

    def _titled(self, title: str, pos: int) -> Entity | None:
        """The latest person introduced with ``title`` (``the president``)."""
        hi = bisect_left(self.mentions, pos, key=lambda m: m.start)
        for i in range(hi - 1, max(-1, hi - self.settings.title_lookback), -1):
            m = self.mentions[i]
            if m.entity.kind == "person" and title in m.entity.titles:
                return m.entity
        return None

    def _possessor(self, tok: Token) -> str:
        poss = next((c for c in tok.children if c.dep_ in ("poss", "nmod")), None)
        return _norm(poss.text) if poss is not None and poss.pos_ == "PROPN" else ""

    # -- the article's speakers ------------------------------------------------------------
    def bridge(self) -> dict[int, Entity]:
        """Join an unnamed description to a named organisation of the same owner nearby.

        ``Ukraine's military leadership denied ... Ukraine's General Staff posted`` names one
        body twice. Returns a map from merged entity ids to the entity that absorbed them.
        """
        merged: dict[int, Entity] = {}
        orgs = [e for e in self.entities if e.kind == "organization" and e.possessor and e.speaks]
        for described in (e for e in orgs if not e.named):
            for named in (e for e in orgs if e.named and e.possessor == described.possessor):
                if any(abs(a[0] - b[0]) <= self.settings.bridge_window for a in described.mentions for b in named.mentions):
                    for start, end in described.mentions:
                        named.add(start, end, self.text[start:end])
                    merged[id(described)] = named
                    break
        return merged

    def speakers(self, used: list[Entity]) -> tuple[list[Speaker], dict[int, str]]:
        """The article's speakers in order of first mention, and their ids by entity."""
        ordered = sorted({id(e): e for e in used}.values(), key=lambda e: min(e.mentions)[0])
        ids: dict[int, str] = {}
        out: list[Speaker] = []
        for n, entity in enumerate(ordered, 1):
            ids[id(entity)] = f"sp{n}"
            out.append(Speaker(id=f"sp{n}", name=entity.name, kind=entity.kind,
                               aliases=list(entity.aliases), mentions=sorted(entity.mentions)))
        return out, ids


def _dateline_span(ctx: ArticleContext) -> tuple[int, int] | None:
    """Where the story's dateline is, when the layout step found one."""
    layout = ctx.products.get("layout")
    return getattr(layout, "dateline", None) if layout is not None else None


def _agrees(entity: Entity, gender: str | None) -> bool:
    """Whether a mention of ``gender`` (None: unknown) can be this person."""
    return gender is None or entity.gender is None or entity.gender == gender


def _untagged_name_kind(tok: Token, words: NameWords) -> SpeakerKind:
    """A proper name the tagger left untagged: a lone capitalised word (``Smith said``) is
    most often a surname; acronyms and names with an organisation word are organisations."""
    compound = [c for c in tok.children if c.dep_ == "compound"]
    if tok.text.isupper() or _norm(tok.text) in words.organization or any(
            _norm(c.text) in words.organization for c in compound):
        return "organization"
    return "person" if not compound and tok.text[:1].isupper() else "organization"


def _span_text(toks: list[Token]) -> str:
    """The text from the first to the last token as written (``Jo-Renee Formicola``)."""
    doc = toks[0].doc  # a span's text, not doc.text: that is rebuilt from every token on each call
    text = doc[toks[0].i:toks[-1].i + 1].text
    return " ".join(text.split()).removesuffix("’s").removesuffix("'s")


def _main_subject(tok: Token) -> bool:
    """Whether a token is the subject of its sentence's main verb (the most salient place).

    ``he does believe McConnell is correct``: McConnell is a subject, but of a reported
    clause; a later ``he said`` goes back to the main subject, not to him.
    """
    if tok.dep_ not in SUBJECT_DEPS:
        return False
    head = tok.head
    return head.dep_ == "ROOT" or (head.dep_ in ("conj", "parataxis") and head.head.dep_ == "ROOT")


def _display_name(text: str, determiners: frozenset[str]) -> str:
    """A description as a name: without the leading article and trailing punctuation."""
    words = text.replace("\n", " ").strip(" ,.;:").split()
    while len(words) > 1 and words[0].lower() in determiners:
        words = words[1:]
    return " ".join(words)

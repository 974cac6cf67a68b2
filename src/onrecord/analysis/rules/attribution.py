"""Attributions in parsed sentences: a cue, the speaker it belongs to, and the content.

English news attributes speech in a handful of constructions, each read here from the
dependency parse:

* a cue verb with a clause: ``Putin said (that) he had read Trump's appeal``; the clause may
  come first (``Prices will rise, the minister told reporters``) or wrap around the cue
  (``“A,” he said, “B.”``, parsed as parataxis);
* a cue verb with an object or an infinitive: ``denied the claims``, ``urged Putin to spare
  ...``, ``accused X of Y`` (prepositions from the lexicon);
* ``according to X, ...`` and ``as X said, ...``;
* a cue followed by a colon, its content after it (``X told reporters: “...”``);
* a cue in a relative clause whose gap is the content (``something Kyiv denies``).

The speaker is the cue's subject, or the subject of the verb a participle hangs on
(``..., adding that ...``), or the noun a relative clause modifies (``officials who said``).
Everything is returned as character offsets into the article, ready for the quotation
pass (``onrecord.extract.statements``) to join with quotation marks. Where contents are
found is in ``frames``; how speakers are found in the parse, in ``syntax``.
"""

from __future__ import annotations

import re

from bisect import bisect_right
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from ...lexicon import Lexicon
from ...model import StatementType
from ..registry import step
from .candidate import OPENING_MARKS, Candidate, Frame, is_quote_mark
from .frames import colon_after, content_range, evidence_content, noun_content, rightward_clause, wrapped_content
from .syntax import (child_with, coordinated_subject, cue_key, ends_programme_name, find_subject, has_to, is_time,
                     missed_main_verb, noun_phrase, opens_inverted, subtree_range)

if TYPE_CHECKING:
    from ..context import ArticleContext

__all__ = ["Candidate", "SentenceReader", "read_candidates"]


@step("candidates.v2", needs=("quotes",), produces="candidates")
def read_candidates(ctx: ArticleContext) -> list[Candidate]:
    """Attribution candidates from the parse of every segment, in text order."""
    found: list[Candidate] = []
    for doc, offset in ctx.segments:
        found.extend(SentenceReader(ctx, doc, offset).candidates())
    return found


class SentenceReader:
    """Reads the attribution candidates of one parsed segment of an article."""

    def __init__(self, ctx: ArticleContext, doc: Doc, offset: int) -> None:
        self._advcl = np.zeros(0, dtype=np.int64)
        self._cues = np.zeros(0, dtype=np.int64)
        self.doc = doc
        self.offset = offset
        self.lexicon: Lexicon = ctx.lexicon
        self.in_quote = ctx.in_quote  # absolute char position -> bool

    # -- offsets ------------------------------------------------------------------------
    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Absolute character offsets of the token range ``[start, end)``."""
        doc = self.doc
        last = doc[end - 1]
        return doc[start].idx + self.offset, last.idx + len(last.text) + self.offset

    def fragments(self, rng: tuple[int, int], excluded: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Character spans of a token range minus excluded ranges, edges trimmed."""
        pieces = [rng]
        for ex_start, ex_end in excluded:
            cut = []
            for a, b in pieces:
                if ex_end <= a or ex_start >= b:
                    cut.append((a, b))
                    continue
                if a < ex_start:
                    cut.append((a, ex_start))
                if ex_end < b:
                    cut.append((ex_end, b))
            pieces = cut
        spans = []
        for a, b in pieces:
            while a < b and self._edge_token(a, leading=True):
                a += 1
            while b > a and self._edge_token(b - 1, leading=False):
                b -= 1
            if b > a:
                spans.append(self.chars(a, b))
        return spans

    def _edge_token(self, i: int, leading: bool) -> bool:
        """Whether token ``i`` is trimmed from a content edge: punctuation, a leading "that"."""
        tok = self.doc[i]
        if tok.is_space or (tok.is_punct and not is_quote_mark(tok.text)):
            return True
        return leading and tok.dep_ == "mark" and tok.lower_ == "that"

    # -- reading ------------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        """All attribution candidates of the segment, in text order.

        Only verbs whose lemma may be a cue (or that head a sentence, for colon
        introductions) and ``according`` are looked at, chosen from the doc's arrays.
        """
        found: list[Candidate] = []
        sents = list(self.doc.sents)
        sent_starts = [sent.start for sent in sents]
        for i in self._cue_positions():
            tok = self.doc[i]
            if self.in_quote(tok.idx + self.offset):
                continue
            sent = sents[bisect_right(sent_starts, i) - 1]
            if tok.lower_ == "according":
                cand = self.from_according(tok, sent) if i + 1 < len(self.doc) and self.doc[i + 1].lower_ == "to" else None
            elif tok.pos_ == "NOUN":
                cand = self.from_noun(tok, sent)
            else:
                cand = self.from_verb(tok, sent)
            if cand:
                found.append(cand)
        return found

    def _cue_positions(self) -> list[int]:
        """Indexes of tokens that may start an attribution."""
        arr = self.doc.to_array([POS, LEMMA, LOWER, DEP])
        self._advcl = np.nonzero(arr[:, 3] == self.doc.vocab.strings["advcl"])[0]
        strings = self.doc.vocab.strings
        cue_ids = np.array(sorted(self.lexicon.first_word_ids(strings)), dtype=np.uint64)
        is_verb = (arr[:, 0] == VERB) | (arr[:, 0] == AUX)
        mask = is_verb & (np.isin(arr[:, 1], cue_ids) | (arr[:, 3] == strings["ROOT"]))
        mask |= (arr[:, 0] == NOUN) & (np.isin(arr[:, 1], cue_ids) | np.isin(arr[:, 2], cue_ids))
        mask |= arr[:, 2] == strings.add("according")
        inverted = [strings.add(word) for word in sorted(self.lexicon.attribution.inverted_cues)]
        mask |= np.isin(arr[:, 2], inverted)  # "Said Ellis: ..." (tagged PROPN)
        self._cues = np.nonzero(mask)[0]
        return [int(i) for i in self._cues]

    def adjacent_speaker(self, verb: Token, sent: Span) -> tuple[tuple[int, int], Token] | None:
        """A speaker the parse did not attach, found where news puts it around a quotation.

        ``“...,” Flynn, a top Trump surrogate, said`` (everything between the closing mark
        and the cue) and ``“...,” said Mulgrew`` (the name right after the cue). Returns the
        mention's token range and the token that names it.
        """
        doc = self.doc
        closing = None
        for i in range(verb.i - 1, max(sent.start - 1, verb.i - 25), -1):
            if is_quote_mark(doc[i].text) and self.in_quote(doc[i].idx + self.offset - 1):
                closing = i
                break
        if closing is not None and closing + 1 < verb.i:
            between = [t for t in doc[closing + 1:verb.i] if not self.in_quote(t.idx + self.offset)]
            named = [t for t in between if t.pos_ in ("PROPN", "NOUN", "PRON")]
            opening = next((t for t in between if not t.is_punct), None)
            names_first = opening is not None and (
                opening.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM") or opening.lower_ == "as"
                or (opening.text[:1].isupper() and opening.pos_ not in ("CCONJ", "SCONJ", "ADP", "ADV")))
            if named and names_first and len(between) == verb.i - closing - 1:  # not "-- and, when asked,"
                head = next((t for t in named if t.pos_ == "PROPN"), named[0])
                end = verb.i
                while end > closing + 1 and doc[end - 1].is_punct:
                    end -= 1
                return (closing + 1, end), head
        if verb.i + 1 >= sent.end:
            return None
        nxt = doc[verb.i + 1]
        if opens_inverted(verb, sent.start, self.lexicon):  # "Said Ellis: ..."
            start, end = noun_phrase(nxt)
            return ((max(start, verb.i + 1), end), nxt) if nxt.pos_ == "PROPN" else None
        before = doc[verb.i - 1]
        after_quote = is_quote_mark(before.text) and nxt.pos_ in ("PROPN", "NOUN")
        after_comma = before.text == "," and nxt.pos_ == "PROPN"
        if is_time(nxt):
            return None  # "The mayor, a Democrat, called Monday for ...": a day never speaks
        return (noun_phrase(nxt), nxt) if after_quote or after_comma else None

    def _after_quote_and_comma(self, verb: Token, subject: Token | None, content_start: int) -> bool:
        """An attribution right after a closed quotation, whose parsed content lies beyond a comma."""
        start = min(subject.left_edge.i, verb.i) if subject is not None else verb.i
        if start == 0 or content_start <= verb.i:
            return False
        mark = self.doc[start - 1]
        closes = is_quote_mark(mark.text) and self.in_quote(mark.idx + self.offset - 1)
        return closes and any(t.text == "," for t in self.doc[verb.i + 1:content_start])

    def nested_attributions(self, rng: tuple[int, int], verb: Token) -> list[tuple[int, int]]:
        """Adverbial clauses inside a content that are attributions of their own.

        ``urged Putin to spare the troops as he said his envoy had held talks``: the
        ``as he said ...`` clause is a second statement, not part of the first one's content;
        so is ``said the storm damaged the bridge and residents blamed the council``.
        """
        nested = []
        lo, hi = np.searchsorted(self._advcl, rng)
        for i in self._advcl[lo:hi]:
            tok = self.doc[int(i)]
            if (tok.dep_ == "advcl" and tok.head.i != verb.i and tok.pos_ == "VERB"
                    and self.lexicon.is_cue(cue_key(tok, self.lexicon))
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
                    and not has_to(tok)):  # "improper for him to speak on the case" says nothing
                nested.append(subtree_range(tok))
        lo, hi = np.searchsorted(self._cues, rng)
        for i in self._cues[lo:hi]:
            tok = self.doc[int(i)]
            if tok.i != verb.i and coordinated_subject(tok) is not None:
                nested.append((tok.i - 2, tok.right_edge.i + 1))  # "... and residents blamed the council"
        return nested

    def _speaker(self, subject: Token | None) -> tuple[int, int] | None:
        if subject is None:
            return None
        return self.chars(*noun_phrase(subject))

    def from_verb(self, verb: Token, sent: Span) -> Candidate | None:
        """A candidate for a verb in the cue lexicon, if it is used as a cue here."""
        inverted = opens_inverted(verb, sent.start, self.lexicon)  # "Said Ellis: ..."
        if not inverted and (verb.dep_ in ("amod", "compound", "nmod") or (verb.i > 0 and verb.nbor(-1).text == "-")):
            return None  # "the so-called peace dividend": a modifier, not a cue
        key = cue_key(verb, self.lexicon)
        if not self.lexicon.is_cue(key):
            key = key.split()[0]
            if not self.lexicon.is_cue(key):
                return self.introducing_quote(verb, sent)
        if _not_done(verb, self.lexicon) or _linking(verb) or _reduced_passive(verb):
            return None
        if ends_programme_name(verb, self.lexicon):
            return None  # "told KTVB's Morning show the number ...": the venue, not a cue
        if in_idiom(verb, sent, self.lexicon) or _imagined(verb, self.lexicon):
            return None  # "That said, ...", "as if I had asked him": no one says anything
        subject, passive = find_subject(verb, self.lexicon, lambda t: not self.in_quote(t.idx + self.offset))
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and _is_role(verb.head, self.lexicon):
            subject, passive = verb.head, False  # "footage of the mayor saying ...": the mayor says it
        adjacent = self.adjacent_speaker(verb, sent) if subject is None and not passive else None
        if adjacent is not None:
            subject = adjacent[1]
        if subject is not None and subject.lower_ in self.lexicon.pronouns.object:
            return None  # "let them know": not a speaker
        if subject is not None and _nobody(subject, self.lexicon):
            return None  # "No one said the plan would fail": nobody spoke
        sent_chars = self.chars(sent.start, sent.end)
        cue = self.chars(verb.i, verb.i + 1)
        found = content_range(verb, key, self.lexicon) or evidence_content(verb, key, subject, self.lexicon)
        if found and self._after_quote_and_comma(verb, subject, found.range[0]):
            found = None  # "“...,” Warren told Stumpf, after he admitted ...": the quotation is its content
        frame = found.frame if found else Frame.CLAUSE
        if frame == Frame.OBJECT and _withheld(verb):
            return None  # "offered no endorsement", "have not disclosed the name": nothing was given
        if found and _left_open(verb, found.range):
            return None  # "did not say whether the talks would resume": nothing was said
        if frame == Frame.OBJECT and _a_vote(verb, subject, self.lexicon):
            return None  # "Voters rejected the measure": a decision, not a statement
        spans: list[tuple[int, int]] = []
        if found:
            nested = self.nested_attributions(found.range, verb)
            spans = self.fragments(found.range, found.excluded + nested + [(verb.i, verb.i + 1)])
        else:
            wrapped = wrapped_content(verb)
            if wrapped and self.lexicon.type_for(key, Frame.CLAUSE):
                spans = self.fragments(wrapped[0], wrapped[1])
        colon = None
        if not spans:
            colon = colon_after(verb, sent)
            if colon is not None and self.lexicon.type_for(key, Frame.CLAUSE):
                frame = Frame.COLON
            elif verb.dep_ == "relcl" and self.lexicon.type_for(key, Frame.OBJECT) and not child_with(verb, "dobj"):
                spans = self.fragments(noun_phrase(verb.head), [])  # "something Kyiv denies"
                frame = Frame.OBJECT
                subject = subject if subject is not None and subject.i != verb.head.i else None
            elif self.lexicon.type_for(key, Frame.CLAUSE):
                rng = rightward_clause(verb, sent, self.lexicon)
                if rng:
                    spans = self.fragments(rng, [])
        if not spans and frame != Frame.COLON:
            if not self.lexicon.type_for(key, Frame.CLAUSE):
                return None
            frame = Frame.BARE  # kept so that a quotation beside it can become its content
        if frame == Frame.NAMING:
            kind: str | None = StatementType.ASSERTION
        elif frame == Frame.PREP and found is not None:  # "called for", "spoke about": the phrasal type, else the verb's
            kind = self.lexicon.any_type(f"{key} {found.preposition}") or self.lexicon.any_type(key)
            frame = Frame.OBJECT
        else:
            listed = frame in (Frame.CLAUSE, Frame.OBJECT, Frame.INFINITIVE)
            kind = self.lexicon.type_for(key, frame if listed else Frame.CLAUSE)
        kind = kind or self.lexicon.any_type(key) or StatementType.ASSERTION
        speaker = self.chars(*adjacent[0]) if adjacent is not None else self._speaker(subject)
        if speaker and spans and any(a <= speaker[0] < b for a, b in spans):
            spans = [s for s in spans if not (s[0] <= speaker[0] < s[1])]
            if not spans:
                return None
        return Candidate(
            cue=cue, lemma=key, type=kind, frame=frame, speaker=speaker, speaker_token=subject,
            fragments=spans, sentence=sent_chars, cue_token=verb,
            colon_at=colon.idx + self.offset if colon is not None else None,
        )

    def introducing_quote(self, verb: Token, sent: Span) -> Candidate | None:
        """A sentence whose main verb is no cue but which introduces a quotation with a colon.

        ``Sanders made the following comment: “...”`` / ``Obama is rolling out a new
        message: "It's about me."``: the subject of the sentence is the speaker.
        """
        if verb.dep_ != "ROOT":
            return None
        colon = colon_after(verb, sent)
        if colon is None or colon.i + 1 >= len(self.doc):
            return None
        if self.doc[colon.i + 1:colon.i + 3].text.lstrip()[:1] not in OPENING_MARKS:
            return None
        subject, _ = find_subject(verb, self.lexicon)
        if subject is None or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        return Candidate(
            cue=self.chars(verb.i, verb.i + 1), lemma=verb.lemma_.lower(), type=StatementType.ASSERTION, frame=Frame.COLON,
            speaker=self._speaker(subject), speaker_token=subject, sentence=self.chars(sent.start, sent.end),
            cue_token=verb, colon_at=colon.idx + self.offset,
        )

    def from_noun(self, noun: Token, sent: Span) -> Candidate | None:
        """A statement carried by a noun whose owner is named.

        ``Putin's claim that the troops were surrounded``, ``a call by unions for a strike``,
        ``her promise to cut taxes``, ``His argument was that ...``. Without a named owner
        (``claims of abuse``) the noun is no attribution.
        """
        kind = self.lexicon.nouns.get(noun.lower_) or self.lexicon.nouns.get(noun.lemma_.lower())
        if kind is None:
            return None
        speaker = child_with(noun, "poss")
        if speaker is None:
            owners = self.lexicon.attribution.noun_owner_prepositions
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in owners), None)
            speaker = child_with(by, "pobj") if by is not None else None
        if speaker is None or self.in_quote(speaker.idx + self.offset):
            return None
        rng = noun_content(noun, self.lexicon)
        if rng is None:
            return None
        spans = self.fragments(rng, [])
        if not spans:
            return None
        return Candidate(
            cue=self.chars(noun.i, noun.i + 1), lemma=noun.lemma_.lower(), type=kind, frame=Frame.NOUN,
            speaker=self._speaker(speaker), speaker_token=speaker, fragments=spans,
            sentence=self.chars(sent.start, sent.end), cue_token=noun,
        )

    def from_according(self, according: Token, sent: Span) -> Candidate | None:
        """``according to X, CONTENT`` (the phrase may also close the sentence)."""
        to = self.doc[according.i + 1]
        source = child_with(to, "pobj")
        if source is None:
            return None
        head = according.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        rng = (sent.start, sent.end) if head.i == according.i else subtree_range(head)
        spans = self.fragments(rng, [subtree_range(according)])
        if not spans:
            return None
        return Candidate(
            cue=self.chars(according.i, according.i + 2), lemma="according to", type=StatementType.ASSERTION,
            frame=Frame.ACCORDING, speaker=self._speaker(source), speaker_token=source,
            fragments=spans, sentence=self.chars(sent.start, sent.end), cue_token=according,
        )


def _not_done(verb: Token, lexicon: Lexicon) -> bool:
    """Whether the cue is what someone declined, avoided or failed to do, or only wants,
    plans or tries to do.

    ``attribution.not_doing`` and ``not_yet`` of the lexicon: "declined to comment",
    "refrained from attacking", "his refusal to answer", "wants to say that ...", "plans to
    tell residents ..." report no statement.
    """
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":  # "refrained from attacking"
        head = head.head
    lemma = head.lemma_.lower()
    if lemma in ("stop", "cease") and verb.tag_ != "VBG":
        return False  # "stopped to say that ...": a purpose, not a refusal
    words = lexicon.attribution
    return verb.dep_ in ("xcomp", "acl", "pcomp") and head.i != verb.i and (lemma in words.not_doing
                                                                           or lemma in words.not_yet)


def _nobody(subject: Token, lexicon: Lexicon) -> bool:
    """A subject that says nobody spoke: ``nobody``, ``no one``, ``none of the officials``,
    ``no official``, ``neither side``."""
    words = lexicon.attribution.nobody
    phrase = " ".join(t.lower_ for t in subject.doc[subject.left_edge.i:subject.i + 1])
    return (subject.lower_ in words or phrase in words or any(phrase.startswith(w + " ") for w in words)
            or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children))


def in_idiom(tok: Token, sent: Span, lexicon: Lexicon) -> bool:
    """Whether ``tok`` is a word of a fixed phrase in which a speech verb reports no speech
    (``That said, ...``, ``needless to say``, ``so to speak``: ``attribution.idioms``)."""
    text = sent.text.lower().replace("\u2019", "'")
    at = tok.idx - sent.start_char
    for phrase in lexicon.attribution.idioms:
        for m in re.finditer(r"(?<![\w'])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w'])", text):
            if m.start() <= at < m.end():
                return True
    return False


def _imagined(verb: Token, lexicon: Lexicon) -> bool:
    """Whether the cue's clause, or one it sits in, is opened by ``as if`` / ``as though``:
    what would have been said, not what was (``acted as if I had asked him``)."""
    marks = lexicon.attribution.counterfactual
    tok = verb
    while True:
        for child in tok.children:
            if child.dep_ == "mark" and child.i > 0 and f"{child.nbor(-1).lower_} {child.lower_}" in marks:
                return True
        if tok.dep_ == "ROOT" or tok.head.i == tok.i:
            return False
        tok = tok.head


def _withheld(verb: Token) -> bool:
    """A cue with a noun-phrase object that is negated (``did not disclose the name``) or
    given as none (``offered no formal endorsement``): no statement was made."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    obj = child_with(verb, "dobj")
    return obj is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in obj.children)


#: Words that open an embedded question: what a negated cue left unsaid.
_OPEN = frozenset({"whether", "if", "which", "who", "whom", "whose", "what", "when", "where", "why", "how"})


def _left_open(verb: Token, content: tuple[int, int]) -> bool:
    """``did not say whether the talks would resume``, ``have not disclosed which schools
    ...``: a negated cue whose content is an open question reports nothing said."""
    if not any(c.dep_ == "neg" for c in verb.children) or content[0] >= content[1]:
        return False
    return verb.doc[content[0]].lower_ in _OPEN


def _a_vote(verb: Token, subject: Token | None, lexicon: Lexicon) -> bool:
    """``The Senate approved the bill``, ``Voters rejected the measure``: a deciding body's
    vote on a thing is what it did; a claim as object (``rejected claims that ...``) is still
    something said about words, and a person's endorsement is still speech."""
    words = lexicon.attribution
    if subject is None or verb.lemma_.lower() not in words.vote_verbs:
        return False
    if subject.lemma_.lower() not in words.vote_bodies or subject.ent_type_ == "PERSON":
        return False
    obj = child_with(verb, "dobj")
    if obj is None or obj.pos_ == "PROPN":
        return False
    said = lexicon.nouns.get(obj.lemma_.lower())  # a plan or an offer is voted on; a claim is answered
    return said is None or said in ("offer", "appeal")


def _linking(verb: Token) -> bool:
    """``felt comfortable with ...``: a cue used as a linking verb, with an adjective and no clause."""
    acomp = child_with(verb, "acomp")
    return (acomp is not None and child_with(verb, "ccomp") is None
            and not any(c.dep_ in ("ccomp", "xcomp") for c in acomp.children))


def _reduced_passive(verb: Token) -> bool:
    """``When asked about the plan, the mayor said ...``: the mayor was asked; who asked is not said."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("advcl", "prep", "acl") or missed_main_verb(verb):
        return False  # ("Compared to its rivals, ...", "The plan, announced Monday, ..." too)
    return not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in verb.children)


def _is_role(noun: Token, lexicon: Lexicon) -> bool:
    """A noun that names people by what they are: "the mayor", "officials", "a witness"."""
    words = lexicon.names
    lemma = noun.lemma_.lower()
    return noun.pos_ == "NOUN" and (lemma in words.titles or lemma in words.anonymous)

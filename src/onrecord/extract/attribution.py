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
pass (``onrecord.extract.statements``) to join with quotation marks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
OBJECT_PRONOUNS = {"him", "them", "me", "us", "whom"}
# verbs that name or describe: "called Burma a good news story"
NAMING = {"call", "label", "dub", "brand", "term", "describe", "characterize", "characterise", "deem", "declare"}
# dependencies through which a verb without a subject borrows its head's subject
BORROW_SUBJECT = {"conj", "advcl", "xcomp", "acl", "pcomp", "prep", "dobj", "pobj", "relcl", "ccomp", "acomp"}
# right-hand children that still belong to a speaker's noun phrase
NP_RIGHT = {"prep", "compound", "flat", "nummod", "nmod", "cc", "conj", "pobj"}
EDGE_PUNCT = set(" \t\n,;:—–-()[]…") | {"\u00a0"}
QUOTE_MARKS = set("“”„«»\"‘’'`")


def is_quote_mark(text: str) -> bool:
    """Whether a token is made of quotation marks only (“, '', ``)."""
    return bool(text) and all(ch in QUOTE_MARKS for ch in text)
SENTENCE_PUNCT = set(".!?")
OPENING_MARKS = set("“\"«„‘'`")


@dataclass
class Candidate:
    """A statement in the making: offsets are characters into the whole article."""

    cue: tuple[int, int] | None
    lemma: str
    type: str
    frame: str  # clause | object | infinitive | according | colon | quote
    speaker: tuple[int, int] | None
    speaker_token: Token | None
    fragments: list[tuple[int, int]] = field(default_factory=list)
    sentence: tuple[int, int] = (0, 0)
    cue_token: Token | None = None
    colon_at: int | None = None
    passive: bool = False

    @property
    def content(self) -> tuple[int, int] | None:
        """The envelope of the content fragments."""
        if not self.fragments:
            return None
        return self.fragments[0][0], self.fragments[-1][1]

    @property
    def attribution_end(self) -> int:
        """Where the last of content, cue and speaker ends."""
        ends = [e for _, e in self.fragments] + [s[1] for s in (self.cue, self.speaker) if s]
        return max(ends)


def cue_key(verb: Token) -> str:
    """The lexicon key of a verb: its lemma, with its particle for phrasal verbs."""
    lemma = verb.lemma_.lower()
    if verb.lower_ in ("said", "says"):  # sentence-initial "Said Ellis:" is tagged as a name
        lemma = "say"
    for child in verb.children:
        if child.dep_ == "prt":
            return f"{lemma} {child.lower_}"
    return lemma


def _range(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].i, tokens[-1].i + 1


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def noun_phrase(tok: Token) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``tok``, without clauses and appositions."""
    start = tok.i
    for child in tok.lefts:
        start = min(start, child.left_edge.i)
        break
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ not in NP_RIGHT or child.i != end:
            break
        end = child.right_edge.i + 1
    doc = tok.doc
    while start < tok.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > tok.i and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def find_subject(verb: Token, usable=lambda tok: True) -> tuple[Token | None, bool]:
    """The speaker token of a cue verb and whether the verb is passive without an agent.

    ``usable`` rules out tokens that cannot speak here (words inside the quotation).
    """
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            break
        subjects = [c for c in tok.children
                    if c.dep_ in SUBJECTS and usable(c) and c.ent_type_ not in ("DATE", "TIME")]
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if any(c.dep_ == "nsubjpass" for c in subjects) or (tok.tag_ == "VBN" and agent):
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                return pobj, False
            return None, True
        if subjects:
            # "crimes that he said ...": prefer a real subject to the relative pronoun
            subjects.sort(key=lambda c: (c.lower_ in RELATIVE_PRONOUNS, abs(c.i - tok.i)))
            subject = subjects[0]
            if subject.dep_ == "expl":
                return None, True
            return subject, False  # a relative pronoun is resolved to its antecedent later
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON") and tok.i != verb.i:
            return tok.head, False
        if tok.dep_ not in BORROW_SUBJECT or tok.head.i == tok.i:
            break
        if tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ == "for":
            controller = _child(tok.head.head, "dobj")
            if controller is not None:  # "criticized Pagliano for refusing to ...": Pagliano refused
                return controller, False
        tok = tok.head
    return None, False


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _has_to(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _clause_as_advcl(verb: Token, child: Token) -> bool:
    """A finite clause misparsed as an adverbial: ``said after the convention he would ...``."""
    return (child.dep_ == "advcl" and child.i > verb.i and child.tag_ not in ("VBG", "VBN")
            and any(c.dep_ == "nsubj" for c in child.children)
            and not any(c.dep_ == "mark" for c in child.children))


def _complements(verb: Token) -> list[Token]:
    """The clausal complements of a cue on the side its content is on.

    ``X said A, but that B`` gives two complements right of the cue; a misparse can add one
    on the left. When the subject comes first (``X said ...``) the content is on the right;
    otherwise (``“...,” X said`` / ``“...,” said X``) it is on the left.
    """
    ccomps = [c for c in verb.children if c.dep_ == "ccomp" or _clause_as_advcl(verb, c)]
    if len(ccomps) < 2:
        return ccomps
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    right = [c for c in ccomps if c.i > verb.i]
    left = [c for c in ccomps if c.i < verb.i]
    if subject is not None and subject.i < verb.i and right:
        return right
    return left or right


def _extend_right(verb: Token, end: int, frame: str, lexicon: Lexicon) -> int:
    """Let a content run on over the cue's later dependents, as news content does.

    ``grilled Stumpf on Tuesday for his role in the scheme``: an object's content goes on
    to the end of the clause. A clause content takes a subordinate clause hanging on the cue
    (``said that X, because Y``). Neither takes a coordinated predicate (``and criticized
    ...``) nor the speaker's own participle (``, adding that ...``), which are statements of
    their own.
    """
    for child in verb.rights:
        if child.i < end or child.dep_ == "punct":
            continue
        if child.dep_ in ("conj", "cc", "parataxis") or child.tag_ in ("VBG", "VBN"):
            break
        if child.dep_ == "advcl" and lexicon.is_cue(cue_key(child)) and _child(child, "nsubj", "nsubjpass"):
            break  # "urged calm as she said ...": a statement of its own
        marked = any(c.dep_ == "mark" for c in child.children)
        if frame == "clause" and not (child.dep_ == "advcl" and marked):
            break
        end = child.right_edge.i + 1
    return end


def content_range(verb: Token, key: str, lexicon: Lexicon) -> tuple[str, tuple[int, int], list[tuple[int, int]]] | None:
    """The frame a cue verb is used in, and its content as a token range.

    Returns ``(frame, (start, end), excluded)`` where ``excluded`` lists token ranges inside
    the content that belong to the attribution itself (the cue wrapped by its content).
    """
    ccomps = _complements(verb)
    xcomp = _child(verb, "xcomp")
    dobj = _child(verb, "dobj")
    if dobj is not None and dobj.ent_type_ in ("DATE", "TIME"):
        dobj = None  # "called Friday for ...": a misparsed time, not an object
    if ccomps and lexicon.type_for(key, "clause"):
        start, end = ccomps[0].left_edge.i, ccomps[-1].right_edge.i + 1
        if end <= verb.i:
            return "clause", (start, _after_parenthetical(verb, end)), [_attribution_range(verb, end)]
        end = _extend_right(verb, end, "clause", lexicon)
        if (xcomp is None and dobj is not None and dobj.i < start and _has_to(ccomps[0])
                and lexicon.type_for(key, "infinitive")):
            start = dobj.left_edge.i  # "urged Putin to spare ...", parsed as ccomp
        return "clause", (start, end), []
    if xcomp is not None and _has_to(xcomp) and lexicon.type_for(key, "infinitive"):
        start = dobj.left_edge.i if dobj is not None and dobj.i < xcomp.i else xcomp.left_edge.i
        return "infinitive", (start, _extend_right(verb, xcomp.right_edge.i + 1, "infinitive", lexicon)), []
    for prep in verb.children:
        if prep.dep_ in ("prep", "dative") and lexicon.takes_preposition(key, prep.lower_):
            pobj = _child(prep, "pobj")
            if pobj is not None and pobj.ent_type_ in ("DATE", "TIME"):
                continue  # "on Friday" is when, not what
            has_object = dobj is not None and dobj.i < prep.i
            if has_object and not (lexicon.type_for(key, "object") or key == "ask"):
                continue  # "called her rival on Friday": a phone call, not "called on"
            start = dobj.left_edge.i if has_object else prep.i + 1
            end = prep.right_edge.i + 1
            if end > start:
                return f"prep:{prep.lower_}", (start, _extend_right(verb, end, "object", lexicon)), []
    oprd = _child(verb, "oprd")
    if dobj is not None and oprd is not None and key in NAMING:
        return "naming", (dobj.left_edge.i, oprd.right_edge.i + 1), []
    if dobj is not None and lexicon.type_for(key, "object"):
        end = dobj.right_edge.i + 1
        return "object", (dobj.left_edge.i, _extend_right(verb, end, "object", lexicon)), []
    return None


def _attribution_range(verb: Token, content_end: int) -> tuple[int, int]:
    """Tokens of the attribution itself (``, the agency said in a June report,``)."""
    return content_end, _attribution_end(verb)


def _attribution_end(verb: Token) -> int:
    """End of a cue's own phrase: its right-hand dependents, not clauses joined to it."""
    end = verb.i + 1
    for child in verb.rights:
        if child.dep_ in ("conj", "cc", "punct", "ccomp", "parataxis"):
            break
        end = child.right_edge.i + 1
    return end


def _after_parenthetical(verb: Token, content_end: int) -> int:
    """Where a content interrupted by its attribution ends.

    ``The middle fifth paid 8.9 percent, the agency said in a June report, and the bottom
    fifth paid 0.8 percent``: when the attribution sits between commas and the sentence goes
    on after it, the rest of the sentence is content too.
    """
    doc = verb.doc
    after = _attribution_end(verb)
    sent_end = after
    while sent_end < len(doc) and not doc[sent_end].is_sent_start:
        sent_end += 1
    if after < sent_end and doc[after].text == "," and doc[content_end].text in (",", "”", '"', "''"):
        rest = doc[after + 1:sent_end]
        speaker_adjunct = any(t.head.i == verb.i and t.tag_ in ("VBG", "VBN") for t in rest)  # ", adding ..."
        if len(rest) > 1 and not speaker_adjunct and not any(t.text in ("“", '"', "''", "``") for t in rest):
            return sent_end
    return content_end


NOUN_PREPOSITIONS = {"of", "about", "on", "for", "against", "to", "over"}


def _noun_content(noun: Token) -> tuple[int, int] | None:
    """Token range of what a statement noun carries: its that-clause, infinitive or object."""
    for child in noun.children:
        if child.i < noun.i:
            continue
        that_clause = child.dep_ in ("acl", "ccomp", "relcl") and any(
            c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in child.children)
        if that_clause or (child.dep_ in ("acl", "relcl") and _has_to(child)):
            return _subtree_range(child)
        if child.dep_ == "prep" and child.lower_ in NOUN_PREPOSITIONS and _child(child, "pobj", "pcomp"):
            return child.i + 1, child.right_edge.i + 1
    head = noun.head
    if noun.dep_ == "nsubj" and head.lemma_ == "be":  # "His argument was that ..."
        complement = _child(head, "ccomp", "attr", "acomp")
        if complement is not None and complement.i > head.i:
            return _subtree_range(complement)
    return None


def wrapped_content(verb: Token) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """Content around a parenthetical cue: ``A, he said, B`` / ``A, she added.`` / ``As X said, A``."""
    head = verb.head
    parenthetical = verb.dep_ in ("parataxis",) or (
        verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    )
    if not parenthetical or head.i == verb.i:
        return None
    start, end = _subtree_range(head)
    return (start, end), [_subtree_range(verb)]


def rightward_clause(verb: Token, sent: Span) -> tuple[int, int] | None:
    """Fallback for a misparsed ``said``: the clause that follows it, up to the next break.

    ``crimes that he said amounted to “terrorism”, something ...`` is often parsed with the
    clause attached elsewhere; when the cue has no content of its own and is followed by
    words that form a clause (a verb among them), those words are its content.
    """
    doc = verb.doc
    i = verb.i + 1
    while i < sent.end:
        tok = doc[i]
        if tok.head.i == verb.i and tok.dep_ in ("prep", "agent", "dative") and tok.right_edge.i + 1 < sent.end:
            i = tok.right_edge.i + 1  # "said after the convention he would ..."
        elif tok.dep_ in ("advmod", "npadvmod", "neg") or tok.lower_ == "that":
            i += 1
        else:
            break
    start = i
    has_verb = False
    while i < sent.end and doc[i].text not in (",", ";", ":", "—", "–", "(", ".", "?", "!"):
        has_verb = has_verb or doc[i].pos_ in ("VERB", "AUX")
        i += 1
    if i > start and has_verb and doc[start].pos_ not in ("ADP", "CCONJ", "PUNCT", "PART"):
        return start, i
    return None


def colon_after(verb: Token, sent: Span) -> Token | None:
    """A colon that ends the attribution ``X told reporters on Monday:``."""
    doc = verb.doc
    for i in range(verb.i + 1, min(sent.end, verb.i + 14)):
        tok = doc[i]
        if tok.text == ":":
            return tok
        if tok.pos_ in ("VERB", "AUX") or is_quote_mark(tok.text):
            return None
    return None


class SentenceReader:
    """Reads the attribution candidates of one parsed segment of an article."""

    def __init__(self, doc: Doc, offset: int, lexicon: Lexicon, in_quote):
        self._advcl = np.zeros(0, dtype=np.int64)
        self.doc = doc
        self.offset = offset
        self.lexicon = lexicon
        self.in_quote = in_quote  # absolute char position -> bool

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
        mask |= np.isin(arr[:, 2], [strings.add("said"), strings.add("says")])  # "Said Ellis: ..." (tagged PROPN)
        return [int(i) for i in np.nonzero(mask)[0]]

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
            if named and len(between) == verb.i - closing - 1:
                head = next((t for t in named if t.pos_ == "PROPN"), named[0])
                end = verb.i
                while end > closing + 1 and doc[end - 1].is_punct:
                    end -= 1
                return (closing + 1, end), head
        if verb.i + 1 >= sent.end:
            return None
        nxt = doc[verb.i + 1]
        if verb.i == sent.start:  # "Said Ellis: ..."
            start, end = noun_phrase(nxt)
            return ((max(start, verb.i + 1), end), nxt) if nxt.pos_ == "PROPN" else None
        before = doc[verb.i - 1]
        after_quote = is_quote_mark(before.text) and nxt.pos_ in ("PROPN", "NOUN")
        after_comma = before.text == "," and nxt.pos_ == "PROPN"
        return (noun_phrase(nxt), nxt) if after_quote or after_comma else None

    def nested_attributions(self, rng: tuple[int, int], verb: Token) -> list[tuple[int, int]]:
        """Adverbial clauses inside a content that are attributions of their own.

        ``urged Putin to spare the troops as he said his envoy had held talks``: the
        ``as he said ...`` clause is a second statement, not part of the first one's content.
        """
        nested = []
        lo, hi = np.searchsorted(self._advcl, rng)
        for i in self._advcl[lo:hi]:
            tok = self.doc[int(i)]
            if (tok.dep_ == "advcl" and tok.head.i != verb.i and tok.pos_ == "VERB" and self.lexicon.is_cue(cue_key(tok))
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)):
                nested.append(_subtree_range(tok))
        return nested

    def _speaker(self, subject: Token | None) -> tuple[int, int] | None:
        if subject is None:
            return None
        return self.chars(*noun_phrase(subject))

    def from_verb(self, verb: Token, sent: Span) -> Candidate | None:
        """A candidate for a verb in the cue lexicon, if it is used as a cue here."""
        inverted = verb.i == sent.start and verb.text in ("Said", "Says")  # "Said Ellis: ..."
        if not inverted and (verb.dep_ in ("amod", "compound", "nmod") or (verb.i > 0 and verb.nbor(-1).text == "-")):
            return None  # "the so-called peace dividend": a modifier, not a cue
        key = cue_key(verb)
        if not self.lexicon.is_cue(key):
            key = key.split()[0]
            if not self.lexicon.is_cue(key):
                return self.introducing_quote(verb, sent)
        subject, passive = find_subject(verb, lambda t: not self.in_quote(t.idx + self.offset))
        adjacent = self.adjacent_speaker(verb, sent) if subject is None and not passive else None
        if adjacent is not None:
            subject = adjacent[1]
        if subject is not None and subject.lower_ in OBJECT_PRONOUNS:
            return None  # "let them know": not a speaker
        sent_chars = self.chars(sent.start, sent.end)
        cue = self.chars(verb.i, verb.i + 1)
        found = content_range(verb, key, self.lexicon)
        frame = found[0] if found else "clause"
        spans: list[tuple[int, int]] = []
        if found:
            nested = self.nested_attributions(found[1], verb)
            spans = self.fragments(found[1], found[2] + nested + [(verb.i, verb.i + 1)])
        else:
            wrapped = wrapped_content(verb)
            if wrapped and self.lexicon.type_for(key, "clause"):
                spans = self.fragments(wrapped[0], wrapped[1])
        colon = None
        if not spans:
            colon = colon_after(verb, sent)
            if colon is not None and self.lexicon.type_for(key, "clause"):
                frame = "colon"
            elif verb.dep_ == "relcl" and self.lexicon.type_for(key, "object") and not _child(verb, "dobj"):
                spans = self.fragments(noun_phrase(verb.head), [])  # "something Kyiv denies"
                frame = "object"
                subject = subject if subject is not None and subject.i != verb.head.i else None
            elif self.lexicon.type_for(key, "clause"):
                rng = rightward_clause(verb, sent)
                if rng:
                    spans = self.fragments(rng, [])
        if not spans and frame != "colon":
            if not self.lexicon.type_for(key, "clause"):
                return None
            frame = "bare"  # kept so that a quotation beside it can become its content
        if frame == "naming":
            kind = "assertion"
        elif frame.startswith("prep:"):  # "called for", "spoke about": the phrasal type, else the verb's
            kind = self.lexicon.any_type(f"{key} {frame[5:]}") or self.lexicon.any_type(key)
            frame = "object"
        else:
            kind = self.lexicon.type_for(key, frame if frame in ("clause", "object", "infinitive") else "clause")
        kind = kind or self.lexicon.any_type(key) or "assertion"
        speaker = self.chars(*adjacent[0]) if adjacent is not None else self._speaker(subject)
        if speaker and spans and any(a <= speaker[0] < b for a, b in spans):
            spans = [s for s in spans if not (s[0] <= speaker[0] < s[1])]
            if not spans:
                return None
        return Candidate(
            cue=cue, lemma=key, type=kind, frame=frame, speaker=speaker, speaker_token=subject,
            fragments=spans, sentence=sent_chars, cue_token=verb,
            colon_at=colon.idx + self.offset if colon is not None else None, passive=passive,
        )

    def introducing_quote(self, verb: Token, sent: Span) -> Candidate | None:
        """A sentence whose main verb is no cue but which introduces a quotation with a colon.

        ``Sanders made the following comment: “...”`` / ``Obama is rolling out a new
        message: "It's about me."``: the subject of the sentence is the speaker.
        """
        if verb.dep_ != "ROOT":
            return None
        colon = colon_after(verb, sent)
        if colon is None or self.doc.text[colon.idx + 1:colon.idx + 40].lstrip()[:1] not in OPENING_MARKS:
            return None
        subject, _ = find_subject(verb)
        if subject is None or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        return Candidate(
            cue=self.chars(verb.i, verb.i + 1), lemma=verb.lemma_.lower(), type="assertion", frame="colon",
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
        speaker = _child(noun, "poss")
        if speaker is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
            speaker = _child(by, "pobj") if by is not None else None
        if speaker is None or self.in_quote(speaker.idx + self.offset):
            return None
        rng = _noun_content(noun)
        if rng is None:
            return None
        spans = self.fragments(rng, [])
        if not spans:
            return None
        return Candidate(
            cue=self.chars(noun.i, noun.i + 1), lemma=noun.lemma_.lower(), type=kind, frame="noun",
            speaker=self._speaker(speaker), speaker_token=speaker, fragments=spans,
            sentence=self.chars(sent.start, sent.end), cue_token=noun,
        )

    def from_according(self, according: Token, sent: Span) -> Candidate | None:
        """``according to X, CONTENT`` (the phrase may also close the sentence)."""
        to = self.doc[according.i + 1]
        source = _child(to, "pobj")
        if source is None:
            return None
        head = according.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        rng = (sent.start, sent.end) if head.i == according.i else _subtree_range(head)
        spans = self.fragments(rng, [_subtree_range(according)])
        if not spans:
            return None
        return Candidate(
            cue=self.chars(according.i, according.i + 2), lemma="according to", type="assertion",
            frame="according", speaker=self._speaker(source), speaker_token=source,
            fragments=spans, sentence=self.chars(sent.start, sent.end), cue_token=according,
        )

"""Frames: where a cue's content is, read from the parse.

A cue verb carries its content as a clause (``said that ...``), an object or infinitive
(``denied the claims``, ``urged Putin to spare ...``), a prepositional phrase (``accused X
of Y``), around itself (``A, he said, B``), after a colon, or, when the parse fails, in the
words that follow it. A statement noun carries it in a that-clause, an infinitive or an
of/about phrase.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Span, Token

from ...lexicon import Lexicon
from .candidate import Frame, is_quote_mark
from .syntax import SUBJECTS, child_with, cue_key, ends_programme_name, has_to, is_time, subtree_range


class Found(NamedTuple):
    """Where a cue's content is: its frame, its token range, the token ranges inside it that
    belong to the attribution itself, and the preposition of a ``Frame.PREP`` content."""

    frame: Frame
    range: tuple[int, int]
    excluded: list[tuple[int, int]]
    preposition: str | None = None


def _clause_as_advcl(verb: Token, child: Token) -> bool:
    """A finite clause misparsed as an adverbial: ``said after the convention he would ...``."""
    return (child.dep_ == "advcl" and child.i > verb.i and child.tag_ not in ("VBG", "VBN")
            and any(c.dep_ == "nsubj" for c in child.children)
            and not any(c.dep_ == "mark" for c in child.children))


def _after_leading_time(clause: Token, start: int) -> int:
    """Where a reported clause begins when the day of the saying opens it: in ``said Monday
    the bridge would reopen`` and ``said on Saturday they doubted it`` the parser hangs the
    day on the reported verb, but news puts the day of the saying right after its verb, so
    it is the attribution's, not the content's. Only a whole time phrase before the clause's
    own subject or ``that`` moves; ``said Monday's vote was rigged`` keeps its subject."""
    for child in clause.lefts:
        if child.left_edge.i != start:
            continue
        phrase = list(child.subtree)
        timed = (child.dep_ == "npadvmod" and all(is_time(t) for t in phrase)) or (
            child.dep_ == "prep" and child.lower_ in ("on", "at", "in")
            and all(is_time(t) for t in phrase[1:]) and len(phrase) > 1)
        following = clause.doc[child.right_edge.i + 1] if child.right_edge.i + 1 < len(clause.doc) else None
        if timed and following is not None and (following.dep_ in SUBJECTS or following.dep_ == "mark"
                                                or following.dep_ == "det"):
            return _after_leading_time(clause, child.right_edge.i + 1)
    return start


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


def _extend_right(verb: Token, end: int, frame: Frame, lexicon: Lexicon) -> int:
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
        if child.dep_ == "advcl" and lexicon.is_cue(cue_key(child, lexicon)) and child_with(child, "nsubj", "nsubjpass"):
            break  # "urged calm as she said ...": a statement of its own
        marked = any(c.dep_ == "mark" for c in child.children)
        if frame == Frame.CLAUSE and not (child.dep_ == "advcl" and marked):
            break
        end = child.right_edge.i + 1
    return end


def content_range(verb: Token, key: str, lexicon: Lexicon) -> Found | None:
    """The frame a cue verb is used in, and its content as a token range.

    ``Found.excluded`` lists token ranges inside the content that belong to the attribution
    itself (the cue wrapped by its content).
    """
    ccomps = _complements(verb)
    xcomp = child_with(verb, "xcomp")
    dobj = child_with(verb, "dobj")
    if dobj is not None and is_time(dobj):
        dobj = None  # "called Friday for ...": a misparsed time, not an object
    if ccomps and lexicon.type_for(key, Frame.CLAUSE):
        start, end = ccomps[0].left_edge.i, ccomps[-1].right_edge.i + 1
        if ends_programme_name(ccomps[0], lexicon):
            start = ccomps[0].i + 1  # "told KTVB's Morning show | the number ...": the venue is no content
        start = _after_leading_time(ccomps[0], start)
        if end <= verb.i:
            return Found(Frame.CLAUSE, (start, _after_parenthetical(verb, end)), [_attribution_range(verb, end)])
        end = _extend_right(verb, end, Frame.CLAUSE, lexicon)
        if (xcomp is None and dobj is not None and dobj.i < start and has_to(ccomps[0])
                and lexicon.type_for(key, Frame.INFINITIVE)):
            start = dobj.left_edge.i  # "urged Putin to spare ...", parsed as ccomp
        leading = _leading_clause(verb)
        if leading is not None:
            return Found(Frame.CLAUSE, (leading.left_edge.i, end), [(_attribution_start(verb, leading), start)])
        return Found(Frame.CLAUSE, (start, end), [])
    if xcomp is not None and has_to(xcomp) and lexicon.type_for(key, Frame.INFINITIVE):
        start = dobj.left_edge.i if dobj is not None and dobj.i < xcomp.i else xcomp.left_edge.i
        return Found(Frame.INFINITIVE, (start, _extend_right(verb, xcomp.right_edge.i + 1, Frame.INFINITIVE, lexicon)), [])
    for prep in verb.children:
        if prep.dep_ in ("prep", "dative") and lexicon.takes_preposition(key, prep.lower_):
            pobj = child_with(prep, "pobj")
            if pobj is not None and is_time(pobj):
                continue  # "on Friday" is when, not what
            has_object = dobj is not None and dobj.i < prep.i
            if has_object and not (lexicon.type_for(key, Frame.OBJECT) or key == "ask"):
                continue  # "called her rival on Friday": a phone call, not "called on"
            start = dobj.left_edge.i if has_object and dobj is not None else prep.i + 1
            end = prep.right_edge.i + 1
            if end > start:
                return Found(Frame.PREP, (start, _extend_right(verb, end, Frame.OBJECT, lexicon)), [], prep.lower_)
    oprd = child_with(verb, "oprd")
    naming = lexicon.attribution.naming
    if dobj is not None and oprd is None and key in naming:
        oprd = child_with(dobj, "appos")  # 'called the remarks "a wake-up call"', parsed as an apposition
    if dobj is not None and oprd is not None and key in naming:
        return Found(Frame.NAMING, (dobj.left_edge.i, oprd.right_edge.i + 1), [])
    if dobj is not None and lexicon.type_for(key, Frame.OBJECT):
        end = dobj.right_edge.i + 1
        return Found(Frame.OBJECT, (dobj.left_edge.i, _extend_right(verb, end, Frame.OBJECT, lexicon)), [])
    return None


def _leading_clause(verb: Token) -> Token | None:
    """A clause before a parenthetical attribution that belongs to what was said.

    ``If the talks fail, the minister argues, there are other tools``: a conditional or
    time clause with a subject of its own, set off before ``X said,``, is part of the
    claim. ``When asked, the mayor said, ...`` (no subject of its own) is the speaker's
    circumstance, and stays out.
    """
    subject = next((c for c in verb.lefts if c.dep_ in SUBJECTS), None)
    after = _attribution_end(verb)
    if subject is None or after >= len(verb.doc) or verb.doc[after].text != ",":
        return None
    clause = next((c for c in verb.rights if c.dep_ == "ccomp"), None)
    for child in verb.lefts:
        if child.i > subject.i or verb.doc[child.right_edge.i + 1].text != ",":
            continue
        if (child.dep_ == "advcl" and child.pos_ in ("VERB", "AUX")
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children)):
            return child
        if (child.dep_ == "dep" and child.pos_ in ("NOUN", "PROPN") and clause is not None
                and not any(c.dep_ in SUBJECTS for c in clause.children)):
            return child  # "The real problem, she said, is ...": the clause's subject, cut off
    return None


def _attribution_start(verb: Token, leading: Token) -> int:
    """Start of a cue's own phrase after the clause that leads the content: its subject on."""
    starts = [c.left_edge.i for c in verb.lefts
              if c.i > leading.right_edge.i and c.dep_ not in ("punct", "mark", "cc", "advmod")]
    return min(starts, default=verb.i)


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
    if any(is_quote_mark(t.text) for t in doc[content_end:verb.i]):
        return content_end  # "“...,” she said, and ...": after a closed quotation the narrator goes on
    if after < sent_end and doc[after].text == "," and doc[content_end].text == ",":
        rest = doc[after + 1:sent_end]
        speaker_adjunct = any(t.head.i == verb.i and t.tag_ in ("VBG", "VBN") for t in rest)  # ", adding ..."
        if len(rest) > 1 and not speaker_adjunct and not any(t.text in ("“", '"', "''", "``") for t in rest):
            return sent_end
    return content_end


def evidence_content(verb: Token, key: str, subject: Token | None, lexicon: Lexicon) -> Found | None:
    """``Polls show a close contest``: the object of an evidence verb whose subject is evidence.

    With a source of evidence as subject (``attribution.evidence`` of the lexicon), these
    verbs attribute their object as a finding.
    """
    words = lexicon.attribution
    if key not in words.evidence_verbs or subject is None or subject.lemma_.lower() not in words.evidence_nouns:
        return None
    dobj = child_with(verb, "dobj")
    if dobj is None or dobj.i < verb.i:
        return None
    return Found(Frame.OBJECT, (dobj.left_edge.i, _extend_right(verb, dobj.right_edge.i + 1, Frame.OBJECT, lexicon)), [])


def noun_content(noun: Token, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range of what a statement noun carries: its that-clause, infinitive or object."""
    words = lexicon.attribution
    for child in noun.children:
        if child.i < noun.i:
            continue
        that_clause = child.dep_ in ("acl", "ccomp", "relcl") and any(
            c.dep_ == "mark" and c.lower_ in words.clause_marks for c in child.children)
        if that_clause or (child.dep_ in ("acl", "relcl") and has_to(child)):
            return subtree_range(child)
        if child.dep_ == "prep" and child.lower_ in words.noun_prepositions and child_with(child, "pobj", "pcomp"):
            return child.i + 1, child.right_edge.i + 1
    head = noun.head
    if noun.dep_ == "nsubj" and head.lemma_ == "be":  # "His argument was that ..."
        # an adjective says what the statement was like ("his comments were false"), not what it said
        complement = child_with(head, "ccomp", "attr")
        if complement is not None and complement.i > head.i:
            return subtree_range(complement)
    return None


def wrapped_content(verb: Token) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """Content around a parenthetical cue: ``A, he said, B`` / ``A, she added.`` / ``As X said, A``."""
    head = verb.head
    parenthetical = verb.dep_ in ("parataxis",) or (
        verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    )
    if not parenthetical or head.i == verb.i:
        return None
    while verb.dep_ == "parataxis" and head.pos_ in ("NOUN", "PROPN", "PRON") and head.dep_ in SUBJECTS:
        head = head.head  # "The difference now, he told me, is that ...": the clause, not its subject
    start, end = subtree_range(head)
    leading = _leading_clause(verb)
    attribution = (_attribution_start(verb, leading), verb.right_edge.i + 1) if leading is not None else subtree_range(verb)
    return (start, end), [attribution]


def rightward_clause(verb: Token, sent: Span, lexicon: Lexicon) -> tuple[int, int] | None:
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
    has_verb = subordinate = False
    while i < sent.end and doc[i].text not in (",", ";", ":", "—", "–", "(", ".", "?", "!"):
        # a verb after a subordinator ("realised the error only after customers complained")
        # is the circumstance's, not the content's
        subordinate = subordinate or (i > start and not has_verb and (doc[i].dep_ == "mark" or doc[i].pos_ == "SCONJ")
                                      and doc[i].lower_ not in lexicon.attribution.clause_marks)
        has_verb = has_verb or (doc[i].pos_ in ("VERB", "AUX") and not subordinate)
        i += 1
    first = doc[start] if start < sent.end else None
    circumstance = first is not None and first.dep_ == "mark" and first.lower_ not in lexicon.attribution.clause_marks
    if (i > start and has_verb and first is not None and first.pos_ not in ("ADP", "CCONJ", "PUNCT", "PART")
            and not circumstance):
        return start, i  # ("protested after it backed the mayor": when, not what)
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

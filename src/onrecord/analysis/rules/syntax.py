"""Reading the dependency parse: subjects, noun phrases, the lexicon key of a verb.

Small helpers shared by the readers of verb, noun and quotation attributions. spaCy makes a
new ``Token`` object on every access, so tokens are compared by index, never by identity.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from ...lexicon import Lexicon

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
SPEAKER_ENTITIES = {"PERSON", "ORG", "NORP"}
#: Entity labels of times: a date or a time never speaks, is never a cue's object, and a
#: phrase headed by one says when, not what ("called Friday for ...", "said on Monday").
TIME_ENTITIES = ("DATE", "TIME")
# dependencies through which a verb without a subject borrows its head's subject
BORROW_SUBJECT = {"conj", "advcl", "xcomp", "acl", "pcomp", "prep", "dobj", "pobj", "relcl", "ccomp", "acomp"}
# right-hand children that still belong to a speaker's noun phrase
NP_RIGHT = {"prep", "compound", "flat", "nummod", "nmod", "cc", "conj", "pobj"}


def is_time(tok: Token) -> bool:
    """Whether the tagger read a token as part of a date or time."""
    return tok.ent_type_ in TIME_ENTITIES


def opens_inverted(verb: Token, sent_start: int, lexicon: Lexicon) -> bool:
    """``Said Ellis: ...``: a sentence opened by the cue, the speaker after it.

    The tagger often takes the capitalised cue for part of a name; the cue words are
    ``attribution.inverted.cues`` of the lexicon.
    """
    return verb.i == sent_start and verb.text in lexicon.attribution.inverted_titles


def cue_key(verb: Token, lexicon: Lexicon) -> str:
    """The lexicon key of a verb: its lemma, with its particle for phrasal verbs."""
    lemma = verb.lemma_.lower()
    if verb.lower_ in lexicon.attribution.inverted_cues:  # sentence-initial "Said Ellis:" is tagged as a name
        lemma = "say"
    for child in verb.children:
        if child.dep_ == "prt":
            return f"{lemma} {child.lower_}"
        if lemma == "put" and child.dep_ == "dobj" and child.lower_ == "it":
            return "put it"  # "as the economist put it, ..."
    bound = lexicon.attribution.bound_prepositions.get(lemma)
    if bound and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == bound:
        return f"{lemma} {bound}"
    return lemma


def subtree_range(tok: Token) -> tuple[int, int]:
    """Token range ``[start, end)`` of a token and everything below it."""
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


def find_subject(verb: Token, lexicon: Lexicon,
                 usable: Callable[[Token], bool] = lambda tok: True) -> tuple[Token | None, bool]:
    """The speaker token of a cue verb and whether the verb is passive without an agent.

    ``usable`` rules out tokens that cannot speak here (words inside the quotation).
    """
    controller = _object_controller(verb) or coordinated_subject(verb)
    if controller is not None:
        return controller, False
    tok: Token = verb
    below: Token = verb  # the child of ``tok`` on the way up from the cue
    for _ in range(4):
        if tok is None:
            break
        subjects = [c for c in tok.children
                    if c.dep_ in SUBJECTS and usable(c) and not is_time(c)]
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        grammatical = next((c for c in subjects if c.dep_ == "nsubjpass"), None)
        if tok.i != verb.i and grammatical is not None:
            return grammatical, False  # "After saying ..., she was rushed to hospital": she said it
        if grammatical is not None or (tok.tag_ == "VBN" and agent):
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                return pobj, False
            return None, True
        if subjects:
            # "crimes that he said ...": prefer a real subject to the relative pronoun
            relative = lexicon.pronouns.relative
            subjects.sort(key=lambda c: (c.lower_ in relative, abs(c.i - tok.i)))
            subject = subjects[0]
            if subject.dep_ == "expl" or _impersonal(tok, below, subject):
                return None, True  # "It's worth noting that ...": the writer's aside, nobody's statement
            named = person_in_apposition(subject)
            if named is not None and subject.pos_ == "NOUN" and not subject.ent_type_:
                return named, False  # "until the election, Minyon Moore, an adviser, called ...": Moore
            return _name_after_titles(subject, lexicon) or subject, False  # a relative pronoun is resolved to its antecedent later
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON") and tok.i != verb.i:
            return tok.head, False
        if tok.i == verb.i and missed_main_verb(verb):
            return verb.sent.root, False
        if tok.dep_ == "csubj" and tok.tag_ == "VBG" and tok.left_edge.i == tok.sent.start:
            root = tok.sent.root  # a participle opening the sentence, misread as a subject
            main = next((c for c in root.children if c.dep_ == "nsubj" and c.i > tok.i and usable(c)), None)
            if main is not None:  # "Accusing the board of ..., the shareholder said": she accuses
                return main, False
        if tok.dep_ not in BORROW_SUBJECT or tok.head.i == tok.i:
            break
        if tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ == "for":
            controller = child_with(tok.head.head, "dobj")
            if controller is not None:  # "criticized Pagliano for refusing to ...": Pagliano refused
                return controller, False
        below, tok = tok, tok.head
    return None, False


def person_in_apposition(subject: Token) -> Token | None:
    """The name set beside a description: ``the head of the union, Ada Ferris, said``.

    The parser often hangs the name on the last noun before it (``The chief executive of
    Halden Foods, Mara Quist, said``: ``Quist`` beside ``Foods``); a person is never in
    apposition to a body or a thing, so a name beside the object of the description's
    ``of``/``at``/``for`` is the description's own."""
    named = next((c for c in subject.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    if named is not None:
        return named
    for prep in (c for c in subject.children if c.dep_ == "prep" and c.lower_ in ("of", "at", "for")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ != "PERSON"):
            named = next((c for c in pobj.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"
                          and c.i > pobj.i and c.doc[c.left_edge.i - 1].text == ","), None)
            if named is not None:
                return named
    return None


#: What may stand between a title and the name it belongs to: more title words and "and".
_TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "CCONJ", "PUNCT"})


def _name_after_titles(subject: Token, lexicon: Lexicon) -> Token | None:
    """The name a run of titles belongs to: ``President and Chief Financial Officer Maria
    Keane said``, ``Coach and former player Dan Ortiz said``, ``Superintendent Dr. Gail
    Mercer said`` are one person's roles before her name (the parser makes the title the
    subject and the name its conjunct or apposition), so the name speaks. Two people stay two: a determiner (``the mayor and Dan
    Ortiz``), a subject that is no title (``Police and Dan Ortiz``), or another name between."""
    if subject.ent_type_ == "PERSON" or subject.lower_ not in lexicon.names.titles:
        return None
    if any(c.dep_ in ("det", "poss") for c in subject.children):
        return None
    name = next((c for c in subject.rights if c.dep_ in ("appos", "conj") and c.ent_type_ == "PERSON"), None)
    if name is None:
        return None
    first = next((t for t in subject.doc[subject.i + 1:name.i + 1] if t.ent_type_ == "PERSON"), name)
    between = subject.doc[subject.i + 1:first.i]
    titles = lexicon.names.titles
    if not any(t.dep_ == "cc" for t in between) and not all(t.lower_.strip(".") in titles for t in between):
        return None  # "Superintendent Dr. Gail Mercer": titles only; else two phrases
    if any(t.pos_ not in _TITLE_POS or t.ent_type_ in ("PERSON", "GPE") or t.lower_ in ("the", ",")
           for t in between):
        return None
    return name


def ends_programme_name(tok: Token, lexicon: Lexicon) -> bool:
    """``KTVB's Morning show``, ``the BBC's Today programme``: a programme noun after an
    outlet's possessive and a capitalised name is the venue's last word, whatever the parser
    makes of it (it often reads "show" as a verb: "told KTVB's Morning show the number ...")."""
    if tok.lower_ not in lexicon.attribution.programme_nouns or tok.i < 2:
        return False
    i = tok.i - 1
    named = False
    while i >= 0 and tok.i - i <= 5:
        word = tok.doc[i]
        if word.tag_ == "POS" or word.lower_ in ("'s", "’s"):
            return named
        if not (word.text[:1].isupper() or (named and word.lower_ in ("of", "the", "and", "&"))):
            return False
        named = True
        i -= 1
    return False


def _impersonal(tok: Token, below: Token, subject: Token) -> bool:
    """``It is worth noting that ...``: a cue inside the complement of an impersonal "it is"."""
    return (tok.i != below.i and subject.lower_ == "it" and tok.lemma_ == "be"
            and below.dep_ in ("acomp", "attr", "xcomp", "ccomp"))


def missed_main_verb(verb: Token) -> bool:
    """``The mayor, a Democrat, called Monday for ...`` parsed as a noun phrase: the sentence's
    root is its subject and the cue, taken for a modifier after a comma, is its main verb."""
    root = verb.sent.root
    return (verb.dep_ == "acl" and root.pos_ in ("NOUN", "PROPN") and root.i < verb.i
            and verb.i > 0 and verb.nbor(-1).text == ",")


def coordinated_subject(verb: Token) -> Token | None:
    """``X said A and Democrats accused B``, with "Democrats" parsed as a conjunct inside A:
    the noun right after "and" and right before a cue without a subject is its subject."""
    if verb.i < 2 or any(c.dep_ in SUBJECTS for c in verb.children) or verb.dep_ not in ("ccomp", "conj"):
        return None
    noun, conj = verb.doc[verb.i - 1], verb.doc[verb.i - 2]
    if noun.dep_ == "conj" and noun.pos_ in ("NOUN", "PROPN") and conj.lower_ in ("and", "but", "while"):
        return noun
    return None


def _object_controller(verb: Token) -> Token | None:
    """The named speaker of ``footage of Hillary Clinton asking, "..."``: a participle after a
    noun speaks for the person or body that noun names (or shows, with "of"), not for the
    sentence's subject ("The ad uses ...")."""
    if verb.tag_ != "VBG":
        return None
    if verb.dep_ == "xcomp":
        noun = child_with(verb.head, "dobj")
    elif verb.dep_ == "acl":
        noun = verb.head
    else:
        return None
    if noun is None or noun.i > verb.i:
        return None
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    shown = child_with(of, "pobj") if of is not None else None
    return next((t for t in (shown, noun) if t is not None and t.ent_type_ in SPEAKER_ENTITIES and t.i < verb.i),
                None)


def child_with(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def has_to(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)

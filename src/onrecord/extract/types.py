"""Statement types: what the speaker does with the words.

The cue gives a first type (``urged`` → appeal, ``denied`` → denial). A neutral cue
(``said``, ``posted``) says nothing about the act, so the content decides, as a reader
would:

* a performative verb with a first-person subject names the act itself: *“I have strongly
  requested to President Putin that ...”* is an appeal, *“We promise ...”* an offer;
* a conditional whose consequence is a benefit granted is an offer (*“If they lay down
  their arms, they will be guaranteed life”*), one whose consequence is harm is a threat;
* a content that asks (*whether ...*, a question mark) is a question;
* an imperative addressed to someone is an appeal;
* a statement made inside the content of the speaker's own accusation or denial
  (*accusing troops of crimes that he said amounted to “terrorism”*) shares its type.
"""

from __future__ import annotations

from spacy.tokens import Token

from .candidate import Candidate
from .lexicon import Lexicon

NEUTRAL = {"assertion", "belief"}
ACTS = {"appeal", "offer", "denial", "accusation", "threat", "warning", "agreement", "question", "criticism"}
FIRST_PERSON = {"i", "we"}
QUESTION_WORDS = {"whether", "if", "why", "how", "what", "who", "when", "where", "which"}
SECOND_PERSON = {"you"}
ASKING = {"ask", "wonder", "question", "query", "inquire", "enquire"}
GRANTED = {"guarantee", "give", "offer", "grant", "spare", "allow", "receive", "get", "promise", "provide", "ensure", "welcome", "reward", "free", "release", "protect"}
HARMED = {"face", "pay", "punish", "destroy", "regret", "suffer", "strike", "retaliate", "hit", "crush", "eliminate", "kill", "respond", "sanction", "arrest", "prosecute", "lose"}
INHERITED = {"accusation", "denial", "criticism"}
#: Drafts (in text order) within which an enclosing statement is looked for.
NEARBY_DRAFTS = 20


def content_tokens(cand: Candidate, tokens_in) -> list[Token]:
    """The parsed tokens of a draft's content fragments."""
    found: list[Token] = []
    for start, end in cand.fragments:
        found.extend(tokens_in(start, end))
    return found


def refine(cand: Candidate, tokens: list[Token], lexicon: Lexicon, text: str) -> str:
    """The type of a statement from its cue type and its content."""
    kind = cand.type
    if not tokens:
        return kind
    first = next((t for t in tokens if not t.is_punct), tokens[0])
    content_text = text[cand.content[0]:cand.content[1]].rstrip(" ”\"’'")
    if cand.lemma in ASKING and first.lower_ in QUESTION_WORDS:
        return "question"
    if kind not in NEUTRAL:
        return kind
    act = _performative(tokens, lexicon)
    if act:
        return act
    conditional = _conditional(tokens)
    if conditional:
        return conditional
    if content_text.endswith("?"):
        return "question"
    if _imperative(first) and cand.frame in ("clause", "quote", "colon", "bare"):
        return "appeal"
    return kind


def _performative(tokens: list[Token], lexicon: Lexicon) -> str | None:
    """``I/we`` + a speech-act verb in the content: the act it names."""
    for tok in tokens:
        if tok.pos_ != "VERB":
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ not in FIRST_PERSON:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        act = lexicon.any_type(tok.lemma_.lower())
        if act in ACTS and act != "question":
            return act
    return None


def _conditional(tokens: list[Token]) -> str | None:
    """``If A, (then) B``: an offer when B grants something, a threat when B harms."""
    for tok in tokens:
        if tok.lower_ == "if" and tok.dep_ == "mark":
            clause = tok.head
            main = clause.head if clause.dep_ == "advcl" else None
            if main is None or main is clause:
                continue
            lemma = main.lemma_.lower()
            if lemma in GRANTED:
                return "offer"
            if lemma in HARMED:
                # a threat: the speaker acts ("we will strike"), or whoever does A pays for it
                # ("if they cross, they will pay"); otherwise harm foretold ("if the bill
                # passes, thousands will lose coverage") is a warning
                subject = _subject_text(main)
                punished = subject in FIRST_PERSON | SECOND_PERSON or subject == _subject_text(clause)
                return "threat" if subject and punished else "warning"
    return None


def _subject_text(verb: Token) -> str:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject.lower_ if subject is not None else ""


def _imperative(first: Token) -> bool:
    """A content that opens with a bare verb and has no subject: ``Stop the war``."""
    return (first.tag_ == "VB" and first.dep_ in ("ROOT", "ccomp", "conj")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in first.children)
            and first.lower_ not in ("be", "have", "do", "please"))


def inherit_nested(drafts: list[Candidate], names: list[str | None], types: list[str]) -> None:
    """A statement inside the content of its own speaker's accusation or denial shares it."""
    for i, inner in enumerate(drafts):
        if inner.cue is None or types[i] not in NEUTRAL:
            continue
        for j in range(max(0, i - NEARBY_DRAFTS), min(len(drafts), i + NEARBY_DRAFTS)):
            outer = drafts[j]
            if i == j or types[j] not in INHERITED or names[j] is None or names[j] != names[i]:
                continue
            start, end = outer.scope
            if start <= inner.cue[0] < end:
                types[i] = types[j]
                break

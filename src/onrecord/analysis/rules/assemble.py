"""Joining parse candidates with quotation marks into statements.

The parse finds cues and their clauses; quotation marks say where a speaker's own words
begin and end. This pass makes the two agree, the way a reader of news does:

* a content that reaches into a quotation takes the whole quotation (and every paragraph of
  a quotation that runs over paragraphs);
* ``X told reporters:`` takes what follows the colon, in its paragraph or the next;
* a quotation without a cue of its own belongs to the attribution right beside it
  (``“...,” he said`` / ``he said, “...”``), or continues the quotation just before it
  (``“A,” said X. “B.”`` is one statement whose content has two fragments);
* a content never ends in the attribution of a statement nested in it (``crimes that he
  said | amounted to terrorism``, when the parse cut the clause there): it stops before it;
* what is left is a quotation nobody is named for: kept, speaker unknown, when it reads as
  speech (a sentence, or six words or more); a word or short phrase in quotes (a scare
  quote, a title, a nickname) is not a statement on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ...model import Refusal, StatementType
from ..registry import step
from .candidate import Candidate, Frame
from .quotes import Quote
from .transcript import Turns, find_turns, turn_candidates

if TYPE_CHECKING:
    from ..context import ArticleContext
    from .quotes import QuoteIndex

_GAP_AFTER_QUOTE = re.compile(r"[\s,.;:—–\-]*")
_GAP_BEFORE_QUOTE = re.compile(r"[\s,:—–\-]*")
_GAP_CONTINUATION = re.compile(r"[\s.,;:!?”’\"'—–\-)]*")
_TRIM = " \t\r\n,;:—–-\u00a0"
# a relative word left at a content's end once a nested attribution is cut off it
_TRAILING_RELATIVE = re.compile(r"(?:\b(?:that|which|who|whom|what)\b|[\s,;:—–\-])+$", re.I)
_QUOTE_CHARS = set("“”„«»\"")
_BLANK_QUOTES = str.maketrans({ch: " " for ch in _QUOTE_CHARS})
# WALLACE: Let's start ...   /   "PENCE: Well, look ...
_TRANSCRIPT_LINE = re.compile(r"^[ \t]*[\"“]?(?P<name>[A-Z][A-Z.'’-]+(?:[ \t][A-Z][A-Z.'’-]+){0,3})(?P<colon>:)[ \t]+(?P<body>\S[^\n]*)", re.M)
# “...” ― Julie A. Diaz Martinez   /   “...” — Steve Quinlan.
_DASH_SIGNATURE = re.compile(r"[ \t\u00a0]*(?P<dash>[―—–]|--?)[ \t\u00a0]*(?P<name>[A-Z][\w.’'-]*(?:[ \t\u00a0]+[A-Z][\w.’'-]*){0,4})")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _subtract(spans: list[tuple[int, int]], holes: Sequence[tuple[int, int] | None]) -> list[tuple[int, int]]:
    for hole in holes:
        if not hole:
            continue
        out = []
        for a, b in spans:
            if hole[1] <= a or hole[0] >= b:
                out.append((a, b))
                continue
            if a < hole[0]:
                out.append((a, hole[0]))
            if hole[1] < b:
                out.append((hole[1], b))
        spans = out
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the sorted ``spans`` overlaps ``[start, end)``."""
    k = bisect_left(spans, (end, end))
    return any(a < end and start < b for a, b in spans[max(0, k - 50):k])


def _is_pronoun(ctx: ArticleContext, text: str) -> bool:
    return text.lower() in ctx.lexicon.pronouns.subject


def _anchor(cand: Candidate) -> int:
    """Where a candidate begins: its first fragment, cue or speaker."""
    return min([a for a, _ in cand.fragments] + [s[0] for s in (cand.cue, cand.speaker) if s] or [0])


class _Nearby:
    """Candidates kept in order of position, for lookups of those near a place."""

    def __init__(self, candidates: list[Candidate]):
        self.items = sorted(candidates, key=_anchor)
        self.keys = [_anchor(c) for c in self.items]

    def add(self, cand: Candidate) -> None:
        key = _anchor(cand)
        i = bisect_right(self.keys, key)
        self.keys.insert(i, key)
        self.items.insert(i, cand)

    def between(self, lo: int, hi: int) -> list[Candidate]:
        return self.items[bisect_left(self.keys, lo):bisect_right(self.keys, hi)]


# -- the steps --------------------------------------------------------------------------------
# Each assemble step takes the candidates so far and returns them settled a step further. A
# candidate is a statement in the making: these steps own its ``fragments`` and change them
# in place (the candidates step made them for that), and say so below; no other step does.
@step("assemble.snap.v1", needs=("quotes", "candidates"), produces="candidates")
def snap_to_quotations(ctx: ArticleContext) -> list[Candidate]:
    """A colon's content is what follows it; a content reaching into a quotation takes all of it.

    Changes each candidate's ``fragments`` in place.
    """
    candidates = list(ctx.candidates)
    for cand in candidates:
        if cand.frame == Frame.COLON:
            cand.fragments = after_colon(ctx, cand.colon_at)
        cand.fragments = snap(ctx, cand)
    return candidates


@step("assemble.transcript.v1", needs=("quotes", "candidates"), produces="candidates")
def add_transcript_lines(ctx: ArticleContext) -> list[Candidate]:
    """The candidates, with a statement for each transcript line (``WALLACE: Let's start ...``)."""
    candidates: list[Candidate] = ctx.candidates
    lines = transcript_lines(ctx, candidates)
    for cand in lines:
        cand.fragments = snap(ctx, cand)
    return candidates + lines


@step("assemble.transcript.v2", needs=("quotes", "candidates"), produces=("candidates", "turns", "refused"))
def add_transcript_turns(ctx: ArticleContext) -> tuple[list[Candidate], Turns, list[Refusal]]:
    """The candidates, with a statement for each guest's turn of a transcript or Q&A
    (``SILVA: It helps.``, ``Marlow: Badly, at first.``) and each paragraph carrying one on;
    the interviewer's turns and greetings refused. A guest's own "I think ..." inside a turn
    is the turn itself: that candidate goes."""
    turns = find_turns(ctx.text, ctx.lexicon.attribution)
    if not turns.turns:
        return ctx.candidates, turns, list(ctx.products.get("refused", []))
    added, refused = turn_candidates(ctx, turns, snap)
    writer = ctx.lexicon.pronouns.writer
    kept = [c for c in ctx.candidates if not _own_words_in_turn(ctx, turns, c, writer)]
    return kept + added, turns, list(ctx.products.get("refused", [])) + refused


def _own_words_in_turn(ctx: ArticleContext, turns: Turns, cand: Candidate, writer: frozenset[str]) -> bool:
    """Whether a candidate is the turn's speaker's own "I think ..." inside a guest's turn."""
    if cand.speaker is None or cand.speaker_token is None or cand.speaker_token.lower_ not in writer:
        return False
    turn = turns.at(cand.speaker[0])
    return turn is not None and not turn.interviewer and not ctx.in_quote(cand.speaker[0])


@step("assemble.nearer.v1", needs=("candidates",), produces="candidates")
def nearer_speaker(ctx: ArticleContext) -> list[Candidate]:
    """A content goes to the speaking cue right before it (moves ``fragments`` in place)."""
    candidates: list[Candidate] = ctx.candidates
    give_to_nearer_speaker(ctx, candidates)
    return candidates


@step("assemble.venue.v1", needs=("quotes", "candidates"), produces=("candidates", "venues"))
def quoted_venues(ctx: ArticleContext) -> tuple[list[Candidate], dict[int, Quote]]:
    """Quoted programme and paper titles of attributions, given back by contents that took them.

    ``said on CNN’s “State of the Union”``: the title is where it was said. Changes the
    ``fragments`` of a candidate that reached into such a title, in place.
    """
    venues = _venue_quotes(ctx, ctx.candidates)
    spans = [(q.start, q.end) for q in venues.values()]
    for cand in ctx.candidates:  # a content that reached into a venue's title gives it back
        if cand.fragments and venues:
            cand.fragments = _subtract(cand.fragments, spans)
    return ctx.candidates, venues


@step("assemble.quotes.v1", needs=("quotes", "candidates", "venues"), produces="candidates")
def attach_uncovered_quotes(ctx: ArticleContext) -> list[Candidate]:
    """Every quotation no content covers goes to its attribution, its predecessor, or nobody.

    Adds the quotation to an owner's ``fragments`` in place; new candidates (a continuation
    in the next paragraph, a quotation nobody is named for) are added to the list returned.
    """
    candidates = list(ctx.candidates)
    attach_quotes(ctx, candidates)
    return candidates


@step("assemble.tidy.v1", needs=("quotes", "candidates"), produces="drafts")
def tidy_drafts(ctx: ArticleContext) -> list[Candidate]:
    """The candidates with content, their fragments' edges trimmed and quotation marks balanced."""
    drafts = [c for c in ctx.candidates if c.fragments]
    for cand in drafts:
        cand.fragments = tidy(ctx, cand.fragments)
    return [c for c in drafts if c.fragments]


@step("assemble.nested.v1", needs=("drafts",), produces="drafts")
def cut_nested_attributions(ctx: ArticleContext) -> list[Candidate]:
    """A content never ends in the attribution of a statement nested in it (cut in place)."""
    drafts = list(ctx.drafts)
    cut_dangling_attributions(ctx, drafts)
    return [c for c in drafts if c.fragments]


@step("assemble.order.v1", needs=("drafts",), produces="drafts")
def order_drafts(ctx: ArticleContext) -> list[Candidate]:
    """The drafts in text order, one per content: when two cues claim the same words, the better."""
    drafts = sorted(ctx.drafts, key=lambda c: (c.content[0], c.content[1]))
    return dedupe(ctx, drafts)


def _venue_spans(ctx: ArticleContext) -> list[tuple[int, int]]:
    """The quoted venue titles' extents, in order."""
    return sorted((q.start, q.end) for q in ctx.venues.values())


# -- content reaching into quotations ------------------------------------------------
def snap(ctx: ArticleContext, cand: Candidate) -> list[tuple[int, int]]:
    """Extend content fragments over the whole quotations they reach into."""
    spans = []
    for a, b in cand.fragments:
        for q in ctx.quotes.overlapping(a, b):
            # a transcript line is one speaker's turn: its quote does not run on into the next
            parts = [q] if cand.frame == Frame.TRANSCRIPT else ctx.quotes.groups[q.group]
            for part in parts:
                spans.append((part.inner_start, part.inner_end))
        spans.append((a, b))
    spans = _subtract(_merge(spans), [cand.cue, cand.speaker])
    return [_cut_after_closed_quote(ctx, a, b) for a, b in spans]


def _cut_after_closed_quote(ctx: ArticleContext, a: int, b: int) -> tuple[int, int]:
    """End a fragment at ``,”`` when only a few stray words follow it.

    A quotation closed by a comma inside its marks hands over to the attribution; a
    misparse can leave a word of the attribution in the content (``“...,” Tulsa``).
    """
    for q in ctx.quotes.overlapping(a, b):
        tail = ctx.text[q.end:b]
        if q.closed and q.end < b and ctx.text[q.inner_end - 1:q.inner_end] == "," \
                and len(tail) < ctx.settings.max_stray_tail and not any(ch in _QUOTE_CHARS for ch in tail):
            return a, q.end
    return a, b


def after_colon(ctx: ArticleContext, colon_at: int | None) -> list[tuple[int, int]]:
    """What a colon introduces: the rest of its paragraph, or the next paragraph."""
    if colon_at is None:
        return []
    _, para_end = ctx.paragraphs.bounds(colon_at)
    start, end = colon_at + 1, para_end
    if not ctx.text[start:end].strip():
        start = para_end
        while start < len(ctx.text) and ctx.text[start].isspace():
            start += 1
        if start >= len(ctx.text):
            return []
        _, end = ctx.paragraphs.bounds(start)
    return [(start, end)]


def give_to_nearer_speaker(ctx: ArticleContext, candidates: list[Candidate]) -> None:
    """A content goes to the speaking cue right before it, not to a cue further back.

    ``The spot concludes with footage of Trump saying last week, “That makes me smart”``
    is parsed with the quotation under "concludes"; "Trump saying", a cue with a speaker
    of its own and nothing to say, stands between them and is its owner.
    """
    # (where its cue starts, the bare cue), in order of the cue
    bare = sorted(((c.cue[0], c) for c in candidates
                   if c.frame == Frame.BARE and c.cue and c.speaker and not c.fragments), key=lambda sc: sc[0])
    starts = [cue_start for cue_start, _ in bare]
    for far in candidates:
        if not bare or not far.fragments or far.cue is None or far.extent[0] <= far.cue[1]:
            continue
        start = far.extent[0]
        between = bare[bisect_left(starts, far.cue[1]):bisect_left(starts, start)]
        near = [b for cue_start, b in between
                if not b.fragments and b.attribution_end <= start and b.speaker != far.speaker
                and far.sentence[0] <= cue_start < far.sentence[1] and _in_sentence_gap(ctx, b.attribution_end, start)]
        if near:
            owner = near[-1]
            owner.fragments, far.fragments = far.fragments, []


def _in_sentence_gap(ctx: ArticleContext, start: int, end: int) -> bool:
    gap = ctx.text[start:end]
    return len(gap) <= ctx.settings.max_in_sentence_gap and "\n" not in gap and not any(ch in ".!?" for ch in gap)


# -- quotations without a cue of their own -----------------------------------------
def attach_quotes(ctx: ArticleContext, candidates: list[Candidate]) -> None:
    """Give every uncovered quotation to its attribution, its predecessor, or nobody.

    Candidates are looked up by position (``_Nearby``) so that a long article with
    thousands of quotations stays linear rather than quadratic.
    """
    venues = ctx.venues
    window, back = ctx.settings.nearby_window, ctx.settings.continuation_window
    covered = {q.group for c in candidates for a, b in c.fragments for q in ctx.quotes.overlapping(a, b)}
    nearby = _Nearby(candidates)
    for group_id, group in ctx.quotes.groups.items():
        if group_id in covered or group_id in venues:
            continue
        first, last = group[0], group[-1]
        regions = [(q.inner_start, q.inner_end) for q in group]
        around = nearby.between(first.start - window, last.end + window)
        owner = _attribution_beside(ctx, around, first, last) or _labelled(ctx, first)
        if owner is not None:
            owner.fragments = _merge(owner.fragments + regions)
            if owner.frame == Frame.SIGNED:
                candidates.append(owner)
                nearby.add(owner)
            continue
        before = nearby.between(first.start - back, first.start)
        previous, same_paragraph = _continued(ctx, before, first)
        added = None
        if previous is not None and same_paragraph:
            previous.fragments = _merge(previous.fragments + regions)
        elif previous is not None:
            added = replace(previous, fragments=regions, frame=Frame.CONTINUED,
                            sentence=ctx.paragraphs.bounds(first.start))
        elif _is_utterance(ctx, group):
            added = Candidate(cue=None, lemma="", type=StatementType.ASSERTION, frame=Frame.QUOTE, speaker=None,
                              speaker_token=None, fragments=regions,
                              sentence=ctx.paragraphs.bounds(first.start))
        if added is not None:
            candidates.append(added)
            nearby.add(added)


def _venue_quotes(ctx: ArticleContext, candidates: list[Candidate]) -> dict[int, Quote]:
    """Quoted titles that say where something was said, by quotation group.

    ``said Thursday on CNN’s “State of the Union.”``, ``told “60 Minutes”``: a short
    quotation inside a phrase of the cue is a programme or publication, part of the
    attribution, neither content nor a statement of its own.
    """
    cues = {(id(c.cue_token.doc), c.cue_token.i) for c in candidates
            if c.cue_token is not None and c.frame not in (Frame.NOUN, Frame.ACCORDING)}
    contents = sorted(span for c in candidates for span in c.fragments)
    venues: dict[int, Quote] = {}
    words = ctx.lexicon.attribution
    for group_id, group in ctx.quotes.groups.items():
        first = group[0]
        if len(group) > 1 or first.words > ctx.settings.max_venue_words or _overlaps(contents, first.start, first.end):
            continue  # "likened the plan to a “Trojan horse”": what the cue's phrase says
        tok = ctx.token_at(first.inner_start)
        while tok is not None and tok.dep_ not in ("ROOT", "ccomp", "xcomp", "conj", "parataxis"):
            head = tok.head
            if tok.dep_ in ("prep", "dative", "dobj") and (id(head.doc), head.i) in cues and head.i < tok.i:
                if (tok.dep_ == "prep" and tok.lower_ in words.venue_prepositions) or tok.dep_ == "dative" or (
                        tok.dep_ == "dobj" and head.lemma_ in words.venue_object_verbs):
                    venues[group_id] = first
                break
            tok = head if head.i != tok.i else None
    return venues


def transcript_lines(ctx: ArticleContext, candidates: list[Candidate]) -> list[Candidate]:
    """Paragraphs of a transcript: ``WALLACE: Let's start with ...``."""
    found = []
    for match in _TRANSCRIPT_LINE.finditer(ctx.text):
        name = match.span("name")
        found.append(Candidate(cue=match.span("colon"), lemma=":", type=StatementType.ASSERTION, frame=Frame.TRANSCRIPT,
                               speaker=name, speaker_token=ctx.token_at(name[1] - 1),
                               fragments=[match.span("body")], sentence=match.span()))
    return found


def _labelled(ctx: ArticleContext, first: Quote) -> Candidate | None:
    """A quotation signed after a dash (``“...” ― Name``)."""
    match = _DASH_SIGNATURE.match(ctx.text, _group_end(ctx, first))
    if not match:
        return None
    name_start, name_end = match.span("name")
    return Candidate(cue=match.span("dash"), lemma="―", type=StatementType.ASSERTION, frame=Frame.SIGNED,
                     speaker=(name_start, name_end), speaker_token=ctx.token_at(name_end - 1),
                     sentence=ctx.paragraphs.bounds(first.start))


def _group_end(ctx: ArticleContext, quote: Quote) -> int:
    quotes: QuoteIndex = ctx.quotes
    return quotes.groups[quote.group][-1].end


def _attribution_beside(ctx: ArticleContext, candidates: list[Candidate], first: Quote,
                        last: Quote) -> Candidate | None:
    """The attribution right after or right before the quotation.

    After: ``“...,” he said`` (a cue still without content, or one whose content is the
    quotation's second half: ``“A,” he said, “B.”``). Before: ``he said, “...”``.
    """
    text = ctx.text
    for cand in candidates:
        if cand.cue is None:
            continue
        attr = [s for s in (cand.cue, cand.speaker) if s]
        attr_start, attr_end = min(s[0] for s in attr), max(s[1] for s in attr)
        after = attr_start >= last.end and _GAP_AFTER_QUOTE.fullmatch(text, last.end, attr_start)
        before: re.Match[str] | bool | None  # a match, or the words-between test below
        before = attr_end <= first.start and _GAP_BEFORE_QUOTE.fullmatch(text, attr_end, first.start)
        if cand.frame == Frame.BARE and not before and attr_end <= first.start:
            # "she still says things such as, “...”": a few words, no sentence end, between
            gap = text[attr_end:first.start]
            before = len(gap) <= ctx.settings.max_in_sentence_gap and not any(ch in ".!?" for ch in gap)
        if not (after or before) or "\n" in text[min(last.end, attr_end):max(first.start, attr_start)]:
            continue
        if cand.frame == Frame.BARE or (after and _all_quoted(ctx, cand)):
            return cand
    return None


def _all_quoted(ctx: ArticleContext, cand: Candidate) -> bool:
    return bool(cand.fragments) and all(ctx.quotes.overlapping(a, b) for a, b in cand.fragments)


def _continued(ctx: ArticleContext, candidates: list[Candidate], first: Quote) -> tuple[Candidate | None, bool]:
    """The quoting statement this quotation continues, and whether in the same paragraph.

    ``“A,” said X, a tax consultant. “B.”``: nothing but the attribution's own sentence
    stands between the two quotations. In the next paragraph, a quotation with no
    attribution of its own continues the last speaker quoted.
    """
    before = [c for c in candidates if c.attribution_end <= first.start and (c.fragments or c.frame == Frame.BARE)]
    with_content = [c for c in before if c.fragments]
    if with_content:
        latest = max(with_content, key=lambda c: c.attribution_end)
        gap = _gap(ctx, latest.attribution_end, first.start)
        close = len(gap) <= ctx.settings.max_in_sentence_gap and "\n" not in gap and not any(ch in _QUOTE_CHARS for ch in gap)
        if close and latest.sentence[0] <= first.start < latest.sentence[1]:
            # "said she has the quality for the job: “Steadiness ...”": the same statement
            return latest, True
        main_cue = latest.cue_token is not None and latest.cue_token.dep_ in ("ROOT", "parataxis")
        if close and main_cue and latest.speaker is not None and _GAP_CONTINUATION.fullmatch(gap):
            # "..., Schiff said. “The other factor ...”": the next quotation is his
            return latest, True
    quoting = [c for c in with_content if ctx.quotes.overlapping(*c.extent)]
    quoting += [c for c in before if c.frame == Frame.BARE and _just_after_a_quote(ctx, c)]
    if not quoting:
        return None, False
    # the last speaker quoted; a relative clause or participle of the attribution sentence
    # ("said Peter Morgan, a lawyer who has been challenging ...") does not interrupt
    best = max(quoting, key=lambda c: c.attribution_end)
    gap = _gap(ctx, best.attribution_end, first.start)
    if len(gap) > ctx.settings.max_continuation_gap or any(ch in _QUOTE_CHARS for ch in gap):
        return None, False
    if any(c.cue and best.attribution_end <= c.cue[0] < first.start and c.speaker not in (None, best.speaker)
           and c.sentence != best.sentence and not _is_pronoun(ctx, ctx.text[c.speaker[0]:c.speaker[1]])
           for c in candidates):
        return None, False  # someone else speaks in between ("he" is most likely the same speaker)
    breaks = gap.count("\n")
    if breaks == 0:
        return best, True
    before_break = gap[: gap.index("\n")]
    if gap.strip("\n ").count("\n") == 0 and not gap[gap.rindex("\n"):].strip() and len(before_break) < ctx.settings.max_line_tail:
        return best, False
    return None, False


def _gap(ctx: ArticleContext, start: int, end: int) -> str:
    """The text between two points, a venue's quotation marks blanked: they interrupt nothing."""
    gap = ctx.text[start:end]
    for a, b in _venue_spans(ctx):
        if start <= a and b <= end:
            gap = gap[:a - start] + gap[a - start:b - start].translate(_BLANK_QUOTES) + gap[b - start:]
    return gap


def _just_after_a_quote(ctx: ArticleContext, cand: Candidate) -> bool:
    """A cue whose quotation another statement took: ``because “A,” she said.``"""
    if cand.cue is None:
        return False
    start = min(s[0] for s in (cand.cue, cand.speaker) if s)
    head = ctx.text[max(0, start - 4):start].rstrip(" ,")
    return bool(head) and head[-1] in _QUOTE_CHARS


def _is_utterance(ctx: ArticleContext, group: list[Quote]) -> bool:
    """Whether an unattributed quotation reads as speech, not as a title or scare quote.

    Six words or more, or a quoted sentence of its own (it opens its sentence and ends
    with sentence punctuation); ``his 1994 “Contract with America.”`` is a title.
    """
    words = sum(q.words for q in group)
    if words >= ctx.settings.min_utterance_words:
        return True
    first, last = group[0], group[-1]
    inner = ctx.text[last.inner_start:last.inner_end].rstrip(" ,”\"'")
    para_start, _ = ctx.paragraphs.bounds(first.start)
    before = ctx.text[para_start:first.start].rstrip()
    opens_sentence = not before or before[-1] in ".!?:"
    return words >= 3 and inner[-1:] in ".!?" and opens_sentence


# -- final shape ----------------------------------------------------------------------
def cut_dangling_attributions(ctx: ArticleContext, drafts: list[Candidate]) -> None:
    """End each content before a nested statement's speaker and cue that close it.

    A nested statement's words ("that he said amounted to ...") belong to it; when a
    misparse ends the outer content right after the nested cue, the outer content would
    end in "that he said", which no reader would quote.
    """
    nested = sorted(((c.cue, c.speaker, c.extent[0], id(c)) for c in drafts if c.cue is not None),
                    key=lambda n: n[0])
    cue_starts = [cue[0] for cue, _, _, _ in nested]
    for outer in drafts:
        a, b = outer.extent
        for cue, speaker, inner_start, inner in nested[bisect_right(cue_starts, a):bisect_left(cue_starts, b)]:
            if inner == id(outer) or not (cue[1] <= b and inner_start >= cue[1]):
                continue  # not nested, or its content lies inside the outer content
            if ctx.text[cue[1]:b].strip(_TRIM + ".!?”’\"'"):
                continue  # words of the outer content follow the nested cue
            cut = min(cue[0], speaker[0]) if speaker and speaker[0] > a else cue[0]
            head = _TRAILING_RELATIVE.sub("", ctx.text[a:cut])
            if any(ch.isalnum() for ch in head):
                outer.reach = b
                outer.fragments = [(x, min(y, a + len(head))) for x, y in outer.fragments if x < a + len(head)]
            break


def tidy(ctx: ArticleContext, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim separators from fragment edges; balance quotation marks at the edges."""
    text = ctx.text
    out = []
    for a, b in _merge(spans):
        while a < b and text[a] in _TRIM:
            a += 1
        while b > a and text[b - 1] in _TRIM:
            b -= 1
        a, b = _balance(ctx, a, b)
        if b > a and any(ch.isalnum() for ch in text[a:b]):
            out.append((a, b))
    return out


def _balance(ctx: ArticleContext, a: int, b: int) -> tuple[int, int]:
    """Keep a fragment's quotation marks paired: a whole quotation loses its marks, a
    fragment that starts or ends at a quotation's edge inside a longer content keeps both."""
    text = ctx.text
    q_a, q_b = ctx.quotes.at(a), ctx.quotes.at(b - 1)
    if q_a is not None and q_a is q_b and a <= q_a.inner_start and not text[b:q_a.inner_end].strip(_TRIM + ".!?"):
        a, b = q_a.inner_start, q_a.inner_end
        while b > a and text[b - 1] in _TRIM:
            b -= 1
        return a, b
    if q_a is not None and a <= q_a.inner_start:
        a = q_a.start
    if q_b is not None and q_b.closed and not text[b:q_b.inner_end].strip(_TRIM + ".!?"):
        b = q_b.end
    return a, b


def dedupe(ctx: ArticleContext, drafts: list[Candidate]) -> list[Candidate]:
    """One statement per content: when two cues claim the same words, keep the better."""
    kept: dict[tuple[int, int], Candidate] = {}
    for cand in drafts:
        twin = kept.get(cand.extent)
        if twin is None or (twin.speaker is None and cand.speaker is not None):
            kept[cand.extent] = cand
    return list(kept.values())

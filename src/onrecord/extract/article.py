"""From the parsed pieces of one article to its record.

The steps, in order: candidates from each sentence (``attribution``), joined with quotation
marks (``statements``), speakers resolved (``speakers``), kind from the share of quoted
words, type from cue and content (``types``), time and channel from the cue's phrases,
denials linked to their claims (``disputes``), places (``places``).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..model import ArticleRecord, Duplicate, Span, SpeakerRef, Statement, TimeRef
from . import disputes, timex, types
from .attribution import Candidate, SentenceReader
from .channels import channel_of
from .lexicon import Lexicon, default_lexicon
from .places import find_places
from .quotes import QuoteIndex, find_quotes
from .speakers import SpeakerResolver
from .statements import Assembler

DIRECT_SHARE = 0.9  # the share of quoted words that makes a statement direct


class ParsedArticle:
    """An article's text with its parsed segments, and token lookups by character offset.

    Token offsets come from ``Doc.to_array`` so that no Token object is made for tokens that
    are never looked at (making them costs more than the extraction itself).
    """

    def __init__(self, text: str, segments: list[tuple[Doc, int]]):
        self.text = text
        self.segments = sorted(segments, key=lambda seg: seg[1])
        self._offsets = {id(doc): offset for doc, offset in segments}
        self._starts = [offset for _, offset in self.segments]
        self._token_starts = [doc.to_array(IDX).astype(np.int64) + offset for doc, offset in self.segments]

    def offset_of(self, tok: Token) -> int:
        """Character offset of a token in the whole article."""
        return tok.idx + self._offsets[id(tok.doc)]

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The (non-space) tokens that start inside ``[start, end)``."""
        found: list[Token] = []
        first = max(0, bisect_right(self._starts, start) - 1)
        last = bisect_right(self._starts, end)
        for (doc, _), starts in zip(self.segments[first:last], self._token_starts[first:last]):
            i, j = np.searchsorted(starts, [start, end])
            for k in range(int(i), int(j)):  # single tokens: a Span costs more to build
                tok = doc[k]
                if not tok.is_space:
                    found.append(tok)
        return found

    def token_at(self, pos: int) -> Token | None:
        """The token that starts at or before ``pos``."""
        k = bisect_right(self._starts, pos) - 1
        if k < 0:
            return None
        i = int(np.searchsorted(self._token_starts[k], pos, side="right")) - 1
        return self.segments[k][0][i] if i >= 0 else None


def extract(
    text: str,
    segments: list[tuple[Doc, int]],
    repeats: list[Duplicate],
    published: date | None = None,
    lexicon: Lexicon | None = None,
) -> ArticleRecord:
    """The record of one article from its parsed segments (see ``onrecord.pipeline``)."""
    lexicon = lexicon or default_lexicon()
    article = ParsedArticle(text, segments)
    repeat_starts = [d.start for d in repeats]

    def repeated(pos: int) -> bool:
        k = bisect_right(repeat_starts, pos) - 1
        return k >= 0 and pos < repeats[k].end

    quotes = [q for q in find_quotes(text) if not repeated(q.start)]
    index = QuoteIndex(quotes)

    def in_quote(pos: int) -> bool:
        return index.containing(pos) is not None

    candidates: list[Candidate] = []
    for doc, offset in segments:
        candidates.extend(SentenceReader(doc, offset, lexicon, in_quote).candidates())
    drafts = Assembler(text, quotes, article.token_at).assemble(candidates)

    resolver = SpeakerResolver(text, segments, in_quote)
    entities = [resolver.resolve(d, article.offset_of) for d in drafts]
    merged = resolver.bridge()
    entities = [merged.get(id(e), e) if e is not None else None for e in entities]
    drafts, entities = _drop_self_reports(drafts, entities)
    speakers, speaker_ids = resolver.speakers([e for e in entities if e is not None])
    names = [e.name if e is not None else None for e in entities]

    kinds = [_kind(text, d, index) for d in drafts]
    contents = [types.content_tokens(d, article.tokens_in) for d in drafts]
    statement_types = [types.refine(d, toks, lexicon, text) for d, toks in zip(drafts, contents)]
    types.inherit_nested(drafts, names, statement_types)
    links = _link_disputes(drafts, names, statement_types, contents)

    statements = []
    for n, draft in enumerate(drafts):
        statements.append(_statement(text, n, draft, kinds[n], statement_types[n], entities[n], speaker_ids,
                                     published, article))
    for n, targets in links.items():
        statements[n].denies = [statements[t].id for t in targets]
        for t in targets:
            statements[t].denied_by.append(statements[n].id)
    people = {start for e in entities if e is not None and e.kind == "person" for start, _ in e.mentions}
    return ArticleRecord(
        length=len(text),
        published=published.isoformat() if published else None,
        statements=statements,
        speakers=speakers,
        duplicates=repeats,
        places=find_places(segments, people),
        times=_times(text, segments, statements, published, in_quote),
    )


def _drop_self_reports(drafts: list[Candidate], entities: list) -> tuple[list[Candidate], list]:
    """Drop ``he understood`` from ``Putin said he understood X``: one statement, not two.

    A cue heading the content clause of a statement by the same speaker reports that
    speaker's own words again; the outer statement already holds them.
    """
    by_cue = {_token_key(d.cue_token): n for n, d in enumerate(drafts) if d.cue_token is not None}
    keep = []
    for n, draft in enumerate(drafts):
        tok = draft.cue_token
        outer = by_cue.get(_token_key(tok.head)) if tok is not None and tok.dep_ in ("ccomp", "xcomp") else None
        same = outer is not None and entities[n] is not None and entities[outer] is entities[n]
        keep.append(not (same and draft.speaker_token is not None and draft.speaker_token.pos_ == "PRON"))
    return ([d for d, k in zip(drafts, keep) if k], [e for e, k in zip(entities, keep) if k])


def _token_key(tok: Token) -> tuple[int, int]:
    """Identity of a token (spaCy makes a new Token object on every access)."""
    return id(tok.doc), tok.i


def _kind(text: str, draft: Candidate, index: QuoteIndex) -> str:
    share = index.quoted_fraction(text, draft.fragments)
    if share >= DIRECT_SHARE:
        return "direct"
    return "mixed" if share > 0 else "indirect"


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _statement(text, n, draft: Candidate, kind, stype, entity, speaker_ids, published, article) -> Statement:
    start, end = draft.content
    speaker = None
    if draft.speaker:
        speaker = SpeakerRef(start=draft.speaker[0], end=draft.speaker[1], text=text[draft.speaker[0]:draft.speaker[1]],
                             name=entity.name if entity else None,
                             id=speaker_ids.get(id(entity)) if entity else None)
    statement = Statement(
        id=f"s{n + 1}", kind=kind, type=stype, content=_span(text, start, end),
        fragments=[_span(text, a, b) for a, b in draft.fragments] if len(draft.fragments) > 1 else [],
        speaker=speaker, cue=_span(text, *draft.cue) if draft.cue else None,
    )
    if draft.cue_token is not None:
        def excluded(pos: int) -> bool:
            return any(a <= pos < b for a, b in draft.fragments) or bool(draft.speaker and draft.speaker[0] <= pos < draft.speaker[1])
        offset = article.offset_of(draft.cue_token) - draft.cue_token.idx
        when = timex.time_of(draft.cue_token, excluded, offset)
        if when:
            statement.when = TimeRef(start=when[0], end=when[1], text=text[when[0]:when[1]],
                                     date=timex.resolve(text[when[0]:when[1]], published),
                                     relative_to="published" if published else None)
        channel = channel_of(draft.cue_token, excluded, offset)
        if channel:
            statement.channel = _span(text, *channel)
    return statement


def _link_disputes(drafts, names, statement_types, contents) -> dict[int, list[int]]:
    if "denial" not in statement_types:
        return {}  # nothing to link: skip reading every content's words
    claims = []
    for n, (draft, toks) in enumerate(zip(drafts, contents)):
        words = {t.lemma_.lower() for t in toks if t.is_alpha and t.lower_ not in disputes.STOPWORDS and t.pos_ in ("NOUN", "VERB", "PROPN", "ADJ")}
        head = next((t.lower_ for t in toks if not t.is_punct and t.pos_ != "DET"), "")
        negated = any(t.lower_ in disputes.NEGATIONS or t.dep_ == "neg" for t in toks)
        claims.append(disputes.Claimable(n, statement_types[n], names[n], draft.sentence, draft.content[0], words, head, negated))
    for prev, cur in zip(claims, claims[1:]):
        if disputes.continues_denial(prev, cur):
            cur.type = statement_types[cur.index] = "denial"
    return disputes.link(claims)


def _times(text: str, segments, statements: list[Statement], published: date | None, in_quote) -> list[TimeRef]:
    """Every time expression of the article; those inside quotes relative to their statement."""
    found = []
    starts = [s.content.start for s in statements]
    for doc, offset in segments:
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            start, end = ent.start_char + offset, ent.end_char + offset
            owner = None
            if in_quote(start):
                k = bisect_right(starts, start)
                owner = next((s for s in reversed(statements[max(0, k - 20):k]) if start < s.content.end), None)
            if owner is not None:
                base = timex.parse_date(owner.when.date) if owner.when and owner.when.date and len(owner.when.date) == 10 else None
                found.append(TimeRef(start=start, end=end, text=text[start:end],
                                     date=timex.resolve(text[start:end], base), relative_to=owner.id))
            else:
                found.append(TimeRef(start=start, end=end, text=text[start:end],
                                     date=timex.resolve(text[start:end], published),
                                     relative_to="published" if published else None))
    return found


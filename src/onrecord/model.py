"""The record onrecord produces for one article: statements, speakers, repeated passages.

Every span carries character offsets (Python ``str`` indices, start inclusive, end exclusive)
into the text exactly as the user gave it, plus the text it covers, so a record can be
checked against its source without the tool (W3C TextPositionSelector + TextQuoteSelector).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = "onrecord.article.v1"

Kind = Literal["direct", "indirect", "mixed"]
#: ``author``: the byline's author, speaking in the first person outside quotations
SpeakerKind = Literal["person", "organization", "place", "anonymous", "author"]


class StatementType(StrEnum):
    """What a speaker does with the words (the record's ``type``)."""

    ASSERTION = "assertion"
    DENIAL = "denial"
    ACCUSATION = "accusation"
    CRITICISM = "criticism"
    APPEAL = "appeal"
    OFFER = "offer"
    THREAT = "threat"
    WARNING = "warning"
    QUESTION = "question"
    AGREEMENT = "agreement"
    BELIEF = "belief"


class Span(BaseModel):
    """A stretch of the article: offsets and the characters they cover."""

    start: int
    end: int
    text: str


class Refusal(Span):
    """Words that read like a statement and were refused, and why (``reason``): a record
    keeps what it chose not to say, so a reader can check the choice."""

    reason: str


class Offsets(BaseModel):
    """Offsets alone, where the text is known from elsewhere."""

    start: int
    end: int


class SpeakerRef(Span):
    """The mention that says a statement, and the article speaker it resolves to."""

    name: str | None = None
    id: str | None = None


class TimeRef(Span):
    """A time expression and, where the publication date allows, what it resolves to.

    ``date`` is ISO 8601: a day (``2025-03-13``), a month (``2024-08``), a year, or an
    interval (``2025-03-08/2025-03-15``). ``relative_to`` names what it was resolved
    against: ``published``, or a statement id when the expression sits inside a quote.
    """

    date: str | None = None
    relative_to: str | None = None


class Statement(BaseModel):
    """One attribution: who said (wrote, believes, denies ...) what."""

    id: str
    kind: Kind
    type: StatementType
    #: what was said: ``start``/``end`` span all of it; for a split quote (``"A," he said,
    #: "B."``) ``text`` is its ``fragments`` joined by " … ", never the attribution between
    content: Span
    fragments: list[Span] = Field(default_factory=list)
    speaker: SpeakerRef | None = None
    cue: Span | None = None
    denies: list[str] = Field(default_factory=list)
    denied_by: list[str] = Field(default_factory=list)
    when: TimeRef | None = None
    channel: Span | None = None
    #: how likely this statement is right, in [0, 1]: the tagger's probability, or the share of
    #: right statements among those the same rule made on annotated news
    confidence: float | None = None


class Speaker(BaseModel):
    """A canonical speaker of the article and every place it is mentioned."""

    id: str
    name: str
    kind: SpeakerKind
    aliases: list[str] = Field(default_factory=list)
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class Duplicate(BaseModel):
    """A passage repeating earlier text of the same article (exactly or nearly)."""

    start: int
    end: int
    same_as: Offsets
    exact: bool = True


class Place(Span):
    """A place named in the article, confirmed by the parser or the gazetteer."""

    country: str | None = None


class ExtractorInfo(BaseModel):
    """What made a record: the package version, the analysis steps, the words and settings.

    ``id`` is a short hash of all of it: two records with the same ``id`` were made by the
    same rules with the same words, so a corpus can tell which stories are stale.
    """

    id: str
    version: str
    engine: str = "fast"  # fast (rules), accurate (rules and tagger), or custom steps
    steps: list[str]
    lexicon: str  # digest of the word lists in force
    settings: str  # digest of the windows and thresholds in force
    model: str | None = None  # digest of the tagger's weights, when a step uses it


class Layout(BaseModel):
    """The lines before the story's first sentence: no part of any statement or speaker."""

    headline: Span | None = None
    byline: Span | None = None
    dateline: Span | None = None
    #: page furniture in the text: video and promo labels, photo captions (no statements)
    furniture: list[Span] = Field(default_factory=list)
    place: str | None = None  # the dateline's place (``Kyiv, Ukraine``)
    date: str | None = None  # the dateline's date, its year from the publication date if it has none


class ArticleRecord(BaseModel):
    """Everything onrecord extracts from one article."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None
    #: the people ``author`` names, one a name (``By A and B``: two)
    authors: list[str] = Field(default_factory=list)
    place: str | None = None
    #: where each of title, published, author, site, place came from: ``metadata`` (the
    #: input's own fields), ``option`` (the command line), ``headline``/``byline``/``dateline``
    origin: dict[str, str] = Field(default_factory=dict)
    #: the page's kind (news, opinion, interview, press-release, not-news) and the evidence:
    #: the statements of a not-news page stay in its record but out of the listings by default
    kind: str | None = None
    kind_evidence: list[str] = Field(default_factory=list)
    length: int
    layout: Layout | None = None
    statements: list[Statement] = Field(default_factory=list)
    #: what read like a statement and was refused, with the reason (no speaker named ...)
    refused: list[Refusal] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    duplicates: list[Duplicate] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[TimeRef] = Field(default_factory=list)
    extractor: ExtractorInfo | None = None


@dataclass
class ArticleInput:
    """One article to analyse, with what is known about it (what readers hand to ``analyze``)."""

    text: str
    published: date | str | None = None
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    language: str | None = None
    place: str | None = None  # where it was filed (a dateline's place)
    #: where each field came from (``metadata``, ``option``, ``headline``, ``byline``, ``dateline``)
    origin: dict[str, str] = field(default_factory=dict)
    #: what the page declares it is (``schema:NewsArticle``, ``og:article``), from its metadata
    hints: list[str] = field(default_factory=list)
    #: the page's kind (``onrecord.ingest.kind``: news, opinion, interview, press-release,
    #: not-news) and the evidence for it; set when the input is read
    kind: str | None = None
    kind_evidence: list[str] = field(default_factory=list)
    #: the headline, byline and dateline its reader found (``onrecord.layout.Layout``) and the
    #: digest of the words it used: the analysis takes them instead of finding them again
    layout: tuple[str, object] | None = field(default=None, repr=False, compare=False)

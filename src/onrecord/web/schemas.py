"""The shapes of the JSON API's answers, as the OpenAPI schema publishes them.

Declaring them lets a client (or ``/api/docs``) know every field before it asks, and lets
the fuzz tests check that each answer is what the schema promises. Dates are ISO strings
(``2025-03-15``) as the store keeps them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..model import ArticleRecord


class FacetCount(BaseModel):
    """One value of a facet and how many selected rows have it."""

    value: str | None
    count: int


class Listing(BaseModel):
    """A page of rows and where the next page is."""

    ok: bool = True
    total: int = Field(description="rows matching the filters, on all pages")
    page: int
    size: int
    pages: int
    next: str | None = Field(description="URL of the next page, null on the last")


class StatementRow(BaseModel):
    """A statement as lists show it; its article's page has the exact offsets."""

    statement_id: int
    article_id: int
    local_id: str = Field(description="the statement's id within its article's record (s1, s2 ...)")
    speaker: str | None
    speaker_id: int | None
    person_id: str | None = Field(None, description="the speaker's id in an imported people file, if pinned")
    type: str
    kind: str
    date: str | None = Field(description="when it was said if the article says, else when it was published")
    title: str | None
    source: str | None
    content: str
    when_text: str | None = Field(description="the article's words for when it was said ('on Thursday')")
    confidence: float | None = Field(None, description="how likely the statement is right, in [0, 1]")
    rank: float | None = Field(None, description=(
        "present only with q: the backend's relevance score (SQLite BM25, lower is better; PostgreSQL "
        "ts_rank_cd, higher is better); rows come best first either way"))


class StatementList(Listing):
    rows: list[StatementRow]
    facets: dict[str, list[FacetCount]] = {}


class ArticleRow(BaseModel):
    """An article as lists show it."""

    id: int
    title: str | None
    source: str | None
    url: str | None
    first_published: str | None
    length: int
    statements: int
    appearances: int = Field(description="copies of this story seen, itself included")


class ArticleList(Listing):
    rows: list[ArticleRow]
    facets: dict[str, list[FacetCount]] = {}


class Appearance(BaseModel):
    """One place the story appeared: the article itself or a copy of it."""

    title: str | None
    published: str | None
    site: str | None
    url: str | None
    exact: bool = Field(description="the same text, not only a near copy")
    similarity: float
    source: str | None = Field(description="where it was read from (file, URL, id)")


class ArticleStatement(BaseModel):
    local_id: str
    speaker: str | None
    speaker_id: int | None
    type: str
    kind: str
    content: str
    when_date: str | None


class ArticleDetail(BaseModel):
    """An article, its appearances, its statements and its full record."""

    ok: bool = True
    id: int
    text: str
    length: int
    title: str | None
    published: str | None
    first_published: str | None
    site: str | None
    url: str | None
    author: str | None
    authors: list[str] = []
    language: str | None
    ingested_at: str | None
    record: ArticleRecord
    appearances: list[Appearance]
    statements: list[ArticleStatement]


class SpeakerRow(BaseModel):
    """A speaker across the corpus."""

    id: int
    name: str
    kind: str | None
    statements: int
    by_type: dict[str, int]
    aliases: list[str] = Field(description="the names the articles give them (no pronouns, no descriptions)")
    person_id: str | None = Field(None, description="the id a people file pins this identity to")
    joined: int | None = Field(None, description="how many article speakers were joined into this one")
    joins: list["SpeakerJoin"] | None = Field(None, description="why each article speaker was joined in")


class SpeakerJoin(BaseModel):
    """The evidence that an article's speaker is this person or body."""

    speaker_id: int
    name: str
    kind: str
    key: str
    rule: str = Field(description="same-name, variant, surname, people-file, user, same-group")
    evidence: str
    confidence: float


class SpeakerStatements(Listing):
    """A speaker and a page of what they said, in time order."""

    rows: list[StatementRow]
    speaker: SpeakerRow


class SpeakerList(Listing):
    rows: list[SpeakerRow]


class DisputeRow(BaseModel):
    """A claim beside one statement that denies it."""

    claim_id: int
    claim_speaker: str | None
    claim_type: str
    claim: str
    claim_date: str | None
    denial_id: int
    denial_speaker: str | None
    denial: str
    denial_date: str | None
    article_id: int
    scope: str = Field("article", description="article: linked within one story; corpus: across stories")
    score: float = 1.0
    evidence: dict | None = Field(None, description="shared words, the speaker named (corpus links)")


class DisputeList(Listing):
    rows: list[DisputeRow]


class Printed(BaseModel):
    """Where a statement was printed."""

    article_id: int
    doc_id: str | None
    published: str | None
    site: str | None
    statement_id: int
    why: str | None = Field(None, description="for a first appearance: which rule made it first")


class QuotationAppearance(Printed):
    """One printing of a quotation and how its words relate to the first."""

    text: str
    relation: Literal["first", "exact", "partial", "altered"]
    changes: list[dict] | None = Field(None, description="for altered: each changed, added or dropped stretch")


class QuotationSpeaker(BaseModel):
    id: int
    name: str | None


class Quotation(BaseModel):
    """One utterance printed by several stories."""

    id: int
    speaker: QuotationSpeaker
    text: str = Field(description="the quoted words as first printed")
    first: Printed
    appearances: list[QuotationAppearance]


class QuotationList(Listing):
    rows: list[Quotation]


class Failure(BaseModel):
    source: str
    reason: str


class IngestSummary(BaseModel):
    """What ``POST /api/articles`` did with the articles it was given."""

    ok: bool = True
    read: int
    new: int
    duplicate: int = Field(description="copies of stories already stored, kept as appearances")
    unchanged: int = Field(description="articles already stored as they are")
    failed: int
    failures: list[Failure]


class SimilarStatement(BaseModel):
    """A statement of another story close in meaning, and what a reader checks first."""

    id: int
    article_id: int
    content: str
    type: str
    kind: str
    speaker: str | None
    speaker_text: str | None
    title: str | None
    published: str | None
    site: str | None
    similarity: float = Field(description="cosine of the two contents' sentence vectors, in [-1, 1]")
    shared_words: list[str]
    differs: list[str] = Field(description="other figures; one side saying no (a denial, not the same claim)")


class Similar(BaseModel):
    """The statements of other stories closest in meaning to one (never called the same claim)."""

    statement: dict
    near: float
    matches: list[SimilarStatement]



class FactCheckRow(BaseModel):
    """A fact-checker's review as imported: the claim, its claimant, the checker's verdict
    and link (the checker's words, never onrecord's), and how many statements make the claim."""

    id: int
    claim: str
    claimant: str | None
    verdict: str
    checker: str
    url: str
    claim_date: str | None
    review_date: str | None
    statements: int


class FactCheckList(Listing):
    rows: list[FactCheckRow]


class FactCheckMatch(BaseModel):
    """A review whose claim a statement makes, with why onrecord says it does."""

    id: int
    checker: str
    verdict: str
    url: str
    claim: str
    claimant: str | None
    claim_date: str | None
    review_date: str | None
    checker_site: str | None
    rating: dict | None
    match: dict = Field(description="score, how the claimant matched, the claim's words the statement says")


class StatementFactChecks(BaseModel):
    """The fact-checkers' verdicts on the claim one statement makes."""

    statement_id: int
    factchecks: list[FactCheckMatch]

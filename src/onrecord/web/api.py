"""The JSON API: articles, statements, speakers, disputes; analyse and ingest.

Lists are paginated (``page``, ``size`` up to the configured maximum) and filterable the way
the CLI is; ``facet`` asks for counts by speaker, type, kind, source or day among the
selected rows, as datasette offers them. Reading is open; ``POST /api/articles`` needs the
API token (``Authorization: Bearer TOKEN``).
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from ..corpus import ArticleFilter, Ingestor, StatementFilter
from ..ingest import Loaded
from ..ingest.readers import sha256
from ..model import ArticleInput, ArticleRecord
from .analysis import analysis_slot, analyze_request, check_length
from .links import absolute, with_params
from .deps import Page, RowId, connection, page_params, statement_filter
from .deps import corpus as corpus_door
from .schemas import (ArticleDetail, ArticleList, DisputeList, FactCheckList, IngestSummary, Quotation, QuotationList,
                      Similar, SpeakerList, SpeakerStatements, StatementFactChecks, StatementList)

router = APIRouter(prefix="/api", tags=["api"])

StatementFacet = Literal["speaker", "type", "kind", "source", "day"]
ArticleFacet = Literal["source", "day"]
ERRORS = {code: {"description": text} for code, text in (
    (400, "bad request"), (401, "missing or wrong API token"), (404, "not found"),
    (409, "not ready: the statement has no vector yet (onrecord embed)"), (413, "request too large"),
    (414, "query string over the server's limit"),
    (422, "invalid parameters"), (503, "query too slow, or the server busy analysing (see Retry-After)"))}


def _page(rows: list[dict], total: int, page: Page, request: Request, **extra) -> dict:
    pages = max(1, -(-total // page.size))
    next_url = absolute(request.app.state.settings.base_url, with_params(request.url, page=page.page + 1)) \
        if page.page < pages else None
    return {"ok": True, "total": total, "page": page.page, "size": page.size, "pages": pages, "next": next_url,
            "rows": rows, **extra}


@router.get("/statements", responses=ERRORS, response_model=StatementList, response_model_exclude_unset=True, summary="Search and list statements")
def list_statements(request: Request, f: StatementFilter = Depends(statement_filter),
                    page: Page = Depends(page_params), facet: list[StatementFacet] = Query(default=[]),
                    conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """Statements matching the filters: best match first with ``q``, else newest first."""
    rows = corpus.find_statements(f, limit=page.size, offset=page.offset, conn=conn)
    facets = {name: corpus.statement_facets(f, name, conn=conn) for name in dict.fromkeys(facet)}
    return _page(rows, corpus.count_statements(f, conn=conn), page, request, facets=facets)


@router.get("/articles", responses=ERRORS, response_model=ArticleList, summary="List articles")
def list_articles(request: Request, q: str = Query("", max_length=500, description="words in title or text"),
                  source: str | None = Query(None, max_length=200), since: date | None = None,
                  until: date | None = None, page: Page = Depends(page_params),
                  facet: list[ArticleFacet] = Query(default=[]), conn=Depends(connection),
                  corpus=Depends(corpus_door)) -> dict:
    """Articles, newest first, with their numbers of statements and appearances."""
    f = ArticleFilter(q, source, since.isoformat() if since else None, until.isoformat() if until else None)
    rows = corpus.find_articles(f, limit=page.size, offset=page.offset, conn=conn)
    facets = {name: corpus.article_facets(f, name, conn=conn) for name in dict.fromkeys(facet)}
    return _page(rows, corpus.count_articles(f, conn=conn), page, request, facets=facets)


@router.get("/articles/{article_id}", responses=ERRORS, response_model=ArticleDetail, summary="One article")
def get_article(article_id: RowId, conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """An article with its appearances, its statements and its full record."""
    data = corpus.article(article_id, conn=conn)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    return {"ok": True, **data}


@router.get("/speakers", responses=ERRORS, response_model=SpeakerList, summary="List speakers")
def list_speakers(request: Request, name: str | None = Query(None, max_length=200),
                  page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """Speakers by how much they say."""
    listing = corpus.speakers(name=name, limit=page.size, offset=page.offset, conn=conn)
    return _page(listing.rows, listing.total, page, request)


@router.get("/speakers/{speaker_id}", responses=ERRORS, response_model=SpeakerStatements, response_model_exclude_unset=True, summary="One speaker and what they said")
def get_speaker(request: Request, speaker_id: RowId, page: Page = Depends(page_params),
                conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """A speaker with aliases and counts, and their statements in time order."""
    data = corpus.speaker(speaker_id, conn=conn)
    if data is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    f = StatementFilter(speaker_id=speaker_id)
    rows = corpus.find_statements(f, limit=page.size, offset=page.offset, order="time", conn=conn)
    return _page(rows, corpus.count_statements(f, conn=conn), page, request, speaker=data)


@router.get("/disputes", responses=ERRORS, response_model=DisputeList, summary="Claims and their denials")
def list_disputes(request: Request, page: Page = Depends(page_params), conn=Depends(connection),
                  corpus=Depends(corpus_door)) -> dict:
    """Each claim beside a statement that denies it."""
    rows = corpus.dispute_table(limit=page.size, offset=page.offset, conn=conn)
    return _page(rows, corpus.count_disputes(conn=conn), page, request)


@router.get("/quotations", responses=ERRORS, response_model=QuotationList, response_model_exclude_unset=True,
            summary="Quotations printed by several stories")
def list_quotations(request: Request, speaker: str | None = Query(None, max_length=200),
                    altered: bool = Query(False, description="only those some story printed with other words"),
                    page: Page = Depends(page_params), conn=Depends(connection),
                    corpus=Depends(corpus_door)) -> dict:
    """Each utterance printed by two stories or more: its first appearance, every appearance
    and how each one's words relate to the first (exact, partial, altered with the changes)."""
    listing = corpus.quotations(speaker=speaker, altered=altered, limit=page.size, offset=page.offset, conn=conn)
    return _page(listing.rows, listing.total, page, request)


@router.get("/quotations/{quotation_id}", responses=ERRORS, response_model=Quotation, response_model_exclude_unset=True,
            summary="One quotation and every appearance")
def get_quotation(quotation_id: RowId, conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """A quotation with its first appearance and every later one."""
    found = corpus.quotation(quotation_id, conn=conn)
    if found is None:
        raise HTTPException(404, f"no quotation {quotation_id}")
    return found


@router.get("/statements/{statement_id}/similar", responses=ERRORS, response_model=Similar,
            summary="Statements of other stories close in meaning")
def similar_statements(statement_id: RowId, near: float = Query(0.6, ge=-1.0, le=1.0, description="least similarity"),
                       limit: int = Query(10, ge=1, le=100), include_not_news: bool = False,
                       corpus=Depends(corpus_door)) -> dict:
    """Who else said something like it: the nearest statements of other stories by the
    sentence model, each with the words they share and where they differ. Closeness is not
    sameness (see the README's measures). The server reads the vectors ``onrecord embed``
    stored; a statement without one answers 409."""
    from ..corpus.meaning import NotEmbedded

    try:
        found = corpus.similar(statement_id, limit=limit, near=near, include_not_news=include_not_news, store=False)
    except NotEmbedded as exc:
        raise HTTPException(409, str(exc)) from None
    if found is None:
        raise HTTPException(404, f"no statement {statement_id}")
    return found


@router.get("/factchecks", responses=ERRORS, response_model=FactCheckList, summary="Imported fact-checks")
def list_factchecks(request: Request, page: Page = Depends(page_params), conn=Depends(connection),
                    corpus=Depends(corpus_door)) -> dict:
    """Fact-checkers' reviews imported with ``onrecord factchecks import``, newest review
    first: the checker's verdict and link, and how many statements make the claim."""
    listing = corpus.factchecks(limit=page.size, offset=page.offset, conn=conn)
    return _page(listing.rows, listing.total, page, request)


@router.get("/statements/{statement_id}/factchecks", responses=ERRORS, response_model=StatementFactChecks,
            summary="Fact-checkers' verdicts on a statement's claim")
def statement_factchecks(statement_id: RowId, conn=Depends(connection), corpus=Depends(corpus_door)) -> dict:
    """The imported reviews whose claim this statement makes (its speaker is the claimant,
    and it says the claim's words), each with the checker's verdict, link and the evidence."""
    found = corpus.statement(statement_id, conn=conn)
    if found is None:
        raise HTTPException(404, f"no statement {statement_id}")
    return {"statement_id": statement_id, "factchecks": found["factchecks"]}


class AnalyzeRequest(BaseModel):
    """An article to analyse without storing it."""

    text: str = Field(description="the article's text", max_length=5_000_000)
    published: date | None = Field(None, description="publication date, anchors 'on Thursday'")
    engine: Literal["fast", "accurate"] | None = Field(
        None, description="fast: the rules alone; accurate: the rules and the learned tagger (default: the server's)")


@router.post("/analyze", responses=ERRORS, summary="Analyse a text (nothing stored)")
def analyze_text(request: Request, body: AnalyzeRequest) -> ArticleRecord:
    """The record of the text: statements, speakers, repeated passages, places, times.

    At most the server's ``max_analyses`` run at once (503 with ``Retry-After`` beyond),
    each on a text of at most ``max_analyze_chars`` (413 beyond).
    """
    return analyze_request(request, ArticleInput(body.text, body.published), engine=body.engine)


class ArticleIn(BaseModel):
    """One article to add to the corpus."""

    text: str = Field(min_length=1, max_length=5_000_000)
    published: date | None = None
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    site: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=500)
    doc_id: str | None = Field(None, max_length=500, description="your id for it; recorded as its source")


class IngestRequest(BaseModel):
    """Articles to add to the corpus."""

    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)


def require_token(request: Request) -> None:
    """Writing needs the configured token; without one configured, writing is off."""
    expected = request.app.state.settings.token
    scheme, _, given = request.headers.get("authorization", "").strip().partition(" ")
    given = given.strip() if scheme.lower() == "bearer" else ""  # the scheme is case-insensitive
    if not expected:
        raise HTTPException(401, "writing is disabled on this server: set ONRECORD_TOKEN to enable it")
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong API token (send Authorization: Bearer TOKEN)")


@router.post("/articles", responses=ERRORS, response_model=IngestSummary, summary="Add articles (needs the API token)",
             dependencies=[Depends(require_token)])
def add_articles(request: Request, body: IngestRequest) -> dict:
    """Ingest articles: duplicates collapse into appearances, as on the command line."""
    for a in body.articles:
        check_length(request, a.text)
    loaded = [Loaded(a.doc_id or f"api:{sha256(a.text)[:16]}",
                     ArticleInput(a.text, a.published, doc_id=a.doc_id, title=a.title, url=a.url, site=a.site,
                                  author=a.author), sha256=sha256(a.text))
              for a in body.articles]
    with analysis_slot(request):
        summary = Ingestor(request.app.state.writer, limits=request.app.state.settings.limits).ingest_loaded(loaded)
    return {"ok": True, "read": summary.read, "new": summary.new, "duplicate": summary.duplicate,
            "unchanged": summary.unchanged, "failed": summary.failed,
            "failures": [{"source": s, "reason": r} for s, r in summary.failures]}

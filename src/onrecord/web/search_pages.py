"""The search page: statements matching words and filters, with facets and pagination, the
words the search matched marked, the sentence around each statement, and downloads of
every result (CSV, JSON Lines) with the same filters and order.

Every filter lives in the query string, so a search is a link: the form is filled from it,
the facets, chips, pages and downloads keep it.
"""

from __future__ import annotations

from typing import get_args

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import QueryParams

from ..corpus import StatementFilter
from ..model import Kind, StatementType
from . import download
from .deps import Page, connection, page_params, statement_filter
from .deps import corpus as corpus_door
from .links import local_path, with_params
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)


SAMPLE_FACETS = ("speaker", "type", "source", "day")
#: The statement types and kinds the engine gives, for the form's choice lists.
TYPES = [t.value for t in StatementType]
KINDS = list(get_args(Kind))
#: How the chips of the active filters name them (the query parameter's name otherwise).
CHIP_LABELS = {"speaker_id": "speaker id", "article_id": "article", "min_confidence": "confidence at least"}
#: Query parameters that are not filters: a download holds every page, at no page size.
NOT_FILTERS = ("page", "size")


@twin(router, "/search")
def search_page(request: Request, f: StatementFilter = Depends(statement_filter),
                page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """Statements matching a search, with facets as links, matched words, contexts and pagination."""
    total = corpus.count_statements(f, conn=conn)
    rows = corpus.find_statements(f, limit=page.size, offset=page.offset, conn=conn)
    _add_hits_and_context(corpus, conn, rows, f.query)
    corpus.label_statements(rows, conn=conn)  # an untitled story by its first words
    filters = {k: v for k, v in vars(f).items() if v not in (None, "")}
    chips = [{"name": k, "label": CHIP_LABELS.get(k, k), "value": v, "href": with_params(request.url, **{k: None})}
             for k, v in filters.items() if k != "query"]
    data = {"filters": filters, "chips": chips, "query": f.query, "rows": rows, "total": total,
            "page": page.page, "pages": page_count(total, page.size), "facets": _facets(request, corpus, conn, f),
            "choices": {"type": _choices(TYPES, f.type), "kind": _choices(KINDS, f.kind)},
            "downloads": download_links(request), "download_max": download.max_rows(request)}
    return respond(request, "search.html", data)


@router.get("/search.csv")
def search_csv(request: Request, f: StatementFilter = Depends(statement_filter), conn=Depends(connection),
               corpus=Depends(corpus_door)):
    """Every statement of the search as CSV: the API's rows and columns, streamed."""
    return download.download(request, f, "csv", corpus.count_statements(f, conn=conn))


@router.get("/search.jsonl")
def search_jsonl(request: Request, f: StatementFilter = Depends(statement_filter),
                 conn=Depends(connection), corpus=Depends(corpus_door)):
    """Every statement of the search as JSON Lines: one API row a line, streamed."""
    return download.download(request, f, "jsonl", corpus.count_statements(f, conn=conn))


def download_links(request: Request) -> dict[str, str]:
    """The downloads of the current search: its filters, without page or page size."""
    params = [(k, v) for k, v in QueryParams(request.url.query).multi_items() if k not in NOT_FILTERS]
    query = str(QueryParams(params))
    return {fmt: local_path(f"/search.{fmt}", query) for fmt in download.FORMATS}


def _add_hits_and_context(corpus, conn, rows: list[dict], query: str) -> None:
    """Each row's matched words (offsets into its content) and its sentence in the article,
    one query each for the whole page."""
    ids = [row["statement_id"] for row in rows]
    hits = corpus.matched_spans(ids, query, conn=conn)
    contexts = corpus.statement_contexts(ids, conn=conn)
    for row in rows:
        row["hits"] = hits.get(row["statement_id"], [])
        row["context"] = contexts.get(row["statement_id"])


def _facets(request: Request, corpus, conn, f: StatementFilter) -> dict[str, list[dict]]:
    """The most frequent values of each sample facet, each a link to the search narrowed by it."""
    facets = {name: corpus.statement_facets(f, name, limit=8, conn=conn) for name in SAMPLE_FACETS}
    for name, values in facets.items():
        for value in values:
            narrowed = {"since": value["value"], "until": value["value"]} if name == "day" else {name: value["value"]}
            value["href"] = with_params(request.url, **narrowed)
    return facets


def _choices(known: list[str], current: str | None) -> list[dict]:
    """Options of a choice list, the current one selected; a value the URL gives that the
    engine does not know stays listed (and selected), so the form shows what the page shows."""
    values = known + ([current] if current and current not in known else [])
    return [{"value": v, "selected": v == current} for v in values]

"""The search page: statements matching words and filters, with facets and pagination."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ..store import queries
from .links import with_params
from .deps import Page, connection, page_params, statement_filter
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)


SAMPLE_FACETS = ("speaker", "type", "source", "day")


@twin(router, "/search")
def search_page(request: Request, f: queries.StatementFilter = Depends(statement_filter),
                page: Page = Depends(page_params), conn=Depends(connection)):
    """Statements matching a search, with facets as links and pagination."""
    total = queries.count_statements(conn, f)
    facets = {name: queries.facet_counts(conn, f, name, limit=8) for name in SAMPLE_FACETS}
    for name, values in facets.items():
        for value in values:  # each facet value links to the search narrowed by it
            narrowed = {"since": value["value"], "until": value["value"]} if name == "day" else {name: value["value"]}
            value["href"] = with_params(request.url, **narrowed)
    filters = {k: v for k, v in vars(f).items() if v not in (None, "")}
    chips = [{"name": k, "value": v, "href": with_params(request.url, **{k: None})}
             for k, v in filters.items() if k != "query"]
    data = {"filters": filters, "chips": chips, "query": f.query,
            "rows": queries.find_statements(conn, f, limit=page.size, offset=page.offset),
            "total": total, "page": page.page, "pages": page_count(total, page.size), "facets": facets}
    return respond(request, "search.html", data)

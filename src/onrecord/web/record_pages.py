"""The record across articles: disputes (and quotations), each with its evidence."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ..store import queries
from .deps import Page, connection, page_params
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)


@twin(router, "/disputes")
def disputes_page(request: Request, page: Page = Depends(page_params), conn=Depends(connection)):
    """Each claim beside the statements that deny it."""
    total = queries.count_disputes(conn)
    rows = queries.dispute_table(conn, limit=page.size, offset=page.offset)
    return respond(request, "disputes.html", {"rows": rows, "total": total, "page": page.page,
                                              "pages": page_count(total, page.size)})

"""The speaker page: everything a speaker said, in time order."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from ..store import queries
from .deps import Page, RowId, connection, page_params
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)


@twin(router, "/speakers/{speaker_id:int}")
def speaker_page(request: Request, speaker_id: RowId, page: Page = Depends(page_params),
                 conn=Depends(connection)):
    """Everything a speaker said, in time order, each line linked to its passage."""
    data = queries.speaker(conn, speaker_id)
    if data is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    f = queries.StatementFilter(speaker_id=speaker_id)
    total = queries.count_statements(conn, f)
    return respond(request, "speaker.html", {
        "speaker": data, "rows": queries.find_statements(conn, f, limit=page.size, offset=page.offset, order="time"),
        "total": total, "page": page.page, "pages": page_count(total, page.size)})

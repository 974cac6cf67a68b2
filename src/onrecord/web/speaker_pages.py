"""The speaker pages: the index of every speaker, and one speaker's record (a timeline,
filters by type and date, who they dispute and who disputes them, why the articles' speakers
were joined into one, and everything they said, in time order)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from ..store import index_queries, queries
from .deps import Page, RowId, connection, page_params
from .errors import wants_json
from .index_pages import day_param
from .links import local_path
from .timeline import timeline_svg, weeks_with_gaps
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)

#: Most disputes a speaker page lists (each side of each pair links to its article).
MAX_DISPUTES = 50
#: Most kinds the speaker index offers as choices (the commonest first).
KINDS_SHOWN = 20


@twin(router, "/speakers")
def speakers_page(request: Request, q: str = Query("", max_length=200, description="part of a name or alias"),
                  kind: str = Query("", max_length=16, pattern="^[a-z]*$"),
                  sort: str = Query("statements", pattern="^(|statements|name)$"),
                  descriptions: bool = Query(False, description="also list descriptions such as 'the ministry'"),
                  page: Page = Depends(page_params), conn=Depends(connection)):
    """Every speaker of the corpus, most statements first or by name, searchable by name,
    filtered by kind; descriptions that name no one only when asked for."""
    sort = sort or "statements"
    name, kind_ = q.strip() or None, kind or None
    kinds = index_queries.speaker_kinds(conn, name=name, descriptions=descriptions, limit=None)
    total = index_queries.kinds_total(kinds, kind_)  # one count over the corpus serves both
    rows = index_queries.speaker_index(conn, name=name, kind=kind_, sort=sort, descriptions=descriptions,
                                       limit=page.size, offset=page.offset)
    return respond(request, "speakers.html", {
        "filters": {"q": q, "kind": kind_, "sort": sort, "descriptions": descriptions},
        "kinds": kinds[:KINDS_SHOWN],
        "rows": rows, "total": total, "page": page.page, "pages": page_count(total, page.size)})


@twin(router, "/speakers/{speaker_id:int}")
def speaker_page(request: Request, speaker_id: RowId,
                 type: str = Query("", max_length=40, description="assertion, denial, appeal ..."),
                 since: str = Query("", max_length=10, description="from this day (YYYY-MM-DD)"),
                 until: str = Query("", max_length=10, description="to this day (YYYY-MM-DD)"),
                 page: Page = Depends(page_params), conn=Depends(connection)):
    """A speaker's record: statements by week, who they dispute and who disputes them, the
    evidence of each join across articles, and what they said in time order, all narrowed by
    the type and date filters (the URL carries them). An article speaker joined into an
    identity is sent to the identity's page, so that one person has one address."""
    identity_id = queries.identity_of(conn, speaker_id)
    if identity_id is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    if identity_id != speaker_id:  # temporary: a split can make the member its own identity again
        suffix = ".json" if request.url.path.endswith(".json") else ""
        return RedirectResponse(local_path(f"/speakers/{identity_id}{suffix}", request.url.query), status_code=307)
    data = queries.speaker(conn, speaker_id)
    first, last = day_param(since, "since"), day_param(until, "until")
    f = queries.StatementFilter(speaker_id=data["id"], type=type or None, since=first, until=last)
    filtered = f.type or f.since or f.until
    total = queries.count_statements(conn, f) if filtered else data["statements"]  # unfiltered: counted already
    rows = index_queries.label_statement_rows(conn, queries.add_context(
        conn, queries.find_statements(conn, f, limit=page.size, offset=page.offset, order="time")))
    timeline = index_queries.statements_by_week(conn, f)
    timeline["weeks"] = weeks_with_gaps(timeline["weeks"])
    disputes = index_queries.speaker_disputes(conn, data["id"], limit=MAX_DISPUTES)
    out = {"speaker": data, "filters": {"type": type or None, "since": first, "until": last},
           "timeline": timeline, "disputes": disputes, "disputes_limit": MAX_DISPUTES, "rows": rows, "total": total,
           "page": page.page, "pages": page_count(total, page.size)}
    if not wants_json(request):
        out["chart"] = timeline_svg(timeline["weeks"], data["name"])
    return respond(request, "speaker.html", out)

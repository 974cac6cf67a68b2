"""The speaker pages: the index of every speaker, and one speaker's record (a timeline,
filters by type and date, who they dispute and who disputes them, why the articles' speakers
were joined into one, and everything they said, in time order)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from ..corpus import StatementFilter
from .deps import Page, RowId, connection, page_params
from .deps import corpus as corpus_door
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
                  page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """Every speaker of the corpus, most statements first or by name, searchable by name,
    filtered by kind; descriptions that name no one only when asked for."""
    sort = sort or "statements"
    name, kind_ = q.strip() or None, kind or None
    kinds = corpus.speaker_kinds(name=name, descriptions=descriptions, conn=conn)
    listing = corpus.speakers(name=name, kind=kind_, sort=sort, descriptions=descriptions, limit=page.size,
                              offset=page.offset, kinds=kinds, conn=conn)  # one count over the corpus serves both
    return respond(request, "speakers.html", {
        "filters": {"q": q, "kind": kind_, "sort": sort, "descriptions": descriptions},
        "kinds": kinds[:KINDS_SHOWN],
        "rows": listing.rows, "total": listing.total, "page": page.page,
        "pages": page_count(listing.total, page.size)})


@twin(router, "/speakers/{speaker_id:int}")
def speaker_page(request: Request, speaker_id: RowId,
                 type: str = Query("", max_length=40, description="assertion, denial, appeal ..."),
                 since: str = Query("", max_length=10, description="from this day (YYYY-MM-DD)"),
                 until: str = Query("", max_length=10, description="to this day (YYYY-MM-DD)"),
                 page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """A speaker's record: statements by week, who they dispute and who disputes them, the
    evidence of each join across articles, and what they said in time order, all narrowed by
    the type and date filters (the URL carries them). An article speaker joined into an
    identity is sent to the identity's page, so that one person has one address."""
    identity_id = corpus.identity_of(speaker_id, conn=conn)
    if identity_id is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    if identity_id != speaker_id:  # temporary: a split can make the member its own identity again
        suffix = ".json" if request.url.path.endswith(".json") else ""
        return RedirectResponse(local_path(f"/speakers/{identity_id}{suffix}", request.url.query), status_code=307)
    data = corpus.speaker(speaker_id, conn=conn)
    first, last = day_param(since, "since"), day_param(until, "until")
    f = StatementFilter(speaker_id=data["id"], type=type or None, since=first, until=last)
    filtered = f.type or f.since or f.until
    total = corpus.count_statements(f, conn=conn) if filtered else data["statements"]  # unfiltered: counted already
    found = corpus.find_statements(f, limit=page.size, offset=page.offset, order="time", conn=conn)
    rows = corpus.label_statements(corpus.add_context(found, conn=conn), conn=conn)
    timeline = corpus.statements_by_week(f, conn=conn)
    timeline["weeks"] = weeks_with_gaps(timeline["weeks"])
    disputes = corpus.speaker_disputes(data["id"], limit=MAX_DISPUTES, conn=conn)
    out = {"speaker": data, "filters": {"type": type or None, "since": first, "until": last},
           "timeline": timeline, "disputes": disputes, "disputes_limit": MAX_DISPUTES, "rows": rows, "total": total,
           "page": page.page, "pages": page_count(total, page.size)}
    if not wants_json(request):
        out["chart"] = timeline_svg(timeline["weeks"], data["name"])
    return respond(request, "speaker.html", out)

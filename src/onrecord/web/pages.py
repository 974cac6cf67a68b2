"""The pages: home, search, article, speaker, disputes, analyze.

Every page has a JSON twin, the same URL with ``.json`` (or any URL with ``Accept:
application/json``), that returns the data the page shows. Pages are rendered on the server
and work without JavaScript.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from ..model import ArticleInput, ArticleRecord
from .analysis import analyze_request
from ..store import queries
from .deps import Page, RowId, connection, page_params, statement_filter
from .errors import wants_json
from .links import with_params
from .render import highlight, speaker_colours

router = APIRouter(include_in_schema=False)

SAMPLE_FACETS = ("speaker", "type", "source", "day")


def respond(request: Request, template: str, data: dict, status: int = 200):
    """The page, or its JSON twin."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder({"ok": True, **data}), status_code=status)
    return request.app.state.templates.TemplateResponse(request, template, data, status_code=status)


def twin(path: str, json_path: str | None = None):
    """Register a page at ``path`` and at its ``.json`` twin."""
    def register(handler):
        router.get(path, response_class=HTMLResponse)(handler)
        router.get(json_path or f"{path}.json")(handler)
        return handler
    return register


@twin("/", "/index.json")
def home(request: Request, conn=Depends(connection)):
    """A search box, recent articles and the most active speakers."""
    data = {"counts": queries.corpus_counts(conn),
            "articles": queries.find_articles(conn, queries.ArticleFilter(), limit=10),
            "speakers": queries.speaker_table(conn, limit=10)}
    return respond(request, "home.html", data)


@twin("/search")
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
            "total": total, "page": page.page, "pages": max(1, -(-total // page.size)), "facets": facets}
    return respond(request, "search.html", data)


@twin("/articles/{article_id:int}")
def article_page(request: Request, article_id: RowId, conn=Depends(connection)):
    """An article with its statements highlighted, and the list of its statements."""
    data = queries.article(conn, article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    record = ArticleRecord.model_validate(data.pop("record"))
    global_ids = {row["local_id"]: row["speaker_id"] for row in data["statements"]}
    data["record"] = record
    if wants_json(request):
        return respond(request, "article.html", data)
    return respond(request, "article.html", _article_view(data, record, data["text"], global_ids))


def _article_view(data: dict, record: ArticleRecord, text: str, global_ids: dict) -> dict:
    colours = speaker_colours(record)
    rows = []
    for s in record.statements:
        sp_id = s.speaker.id if s.speaker else None
        rows.append({"statement": s, "colour": colours.get(sp_id, "x"), "speaker_id": global_ids.get(s.id)})
    return {**data, "html": highlight(text, record), "statement_rows": rows}


@twin("/speakers/{speaker_id:int}")
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
        "total": total, "page": page.page, "pages": max(1, -(-total // page.size))})


@twin("/disputes")
def disputes_page(request: Request, page: Page = Depends(page_params), conn=Depends(connection)):
    """Each claim beside the statements that deny it."""
    total = queries.count_disputes(conn)
    rows = queries.dispute_table(conn, limit=page.size, offset=page.offset)
    return respond(request, "disputes.html", {"rows": rows, "total": total, "page": page.page,
                                              "pages": max(1, -(-total // page.size))})


@twin("/analyze")
def analyze_form(request: Request):
    """Paste a story (and its date) to see it analysed."""
    return respond(request, "analyze.html", {"text": "", "published": None})


@router.post("/analyze", response_class=HTMLResponse)
@router.post("/analyze.json")
def analyze_page(request: Request, text: str = Form(..., max_length=5_000_000), published: str = Form(""),
                 engine: str = Form("", pattern="^(|fast|accurate)$")):
    """The article view of a pasted story; nothing is stored."""
    day = None
    if published.strip():
        try:
            day = date.fromisoformat(published.strip())
        except ValueError:
            raise HTTPException(422, "published: use a date like 2025-03-15") from None
    if not text.strip():
        raise HTTPException(422, "text: paste the story to analyse")
    record = analyze_request(request, ArticleInput(text, day), engine=engine or None)
    data = {"title": None, "text": text, "published": day, "record": record, "appearances": [], "id": None,
            "first_published": day.isoformat() if day else None}
    if wants_json(request):
        return respond(request, "article.html", {"record": record})
    return respond(request, "article.html", _article_view(data, record, text, {}))

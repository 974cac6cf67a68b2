"""The pages: home and analyze; the other groups of pages have their own modules.

Every page has a JSON twin, the same URL with ``.json`` (or any URL with ``Accept:
application/json``), that returns the data the page shows. Pages are rendered on the server
and work without JavaScript.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from ..corpus import ArticleFilter
from ..model import ArticleInput
from .analysis import analyze_request
from .deps import connection
from .deps import corpus as corpus_door
from .errors import wants_json
from .article_pages import article_view
from .views import respond, twin

router = APIRouter(include_in_schema=False)


@twin(router, "/", "/index.json")
def home(request: Request, conn=Depends(connection), corpus=Depends(corpus_door)):
    """A search box, recent articles and the most active speakers."""
    recent = corpus.label_articles(corpus.find_articles(ArticleFilter(), limit=10, conn=conn), conn=conn)
    data = {"counts": corpus.counts(conn), "articles": recent,
            "speakers": corpus.speakers(limit=10, conn=conn).rows}
    return respond(request, "home.html", data)


@twin(router, "/analyze")
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
    return respond(request, "article.html", article_view(data, record, text, {}))

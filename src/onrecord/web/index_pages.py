"""The index of every article: by date, outlet and title, filtered by outlet, date range and
title words, paged, sorted by date (or title). Untitled stories are listed by their first
words, never as a bare number."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ..corpus import ArticleIndexFilter
from .deps import Page, connection, page_params
from .deps import corpus as corpus_door
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)


def day_param(value: str | None, name: str) -> str | None:
    """A date filter from the query string: empty means none (a form without JavaScript sends
    its empty date fields), anything else must be a day like 2025-06-02."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: use a date like 2025-06-02") from None


@twin(router, "/articles")
def articles_page(request: Request, title: str = Query("", max_length=200, description="words of the title"),
                  source: str = Query("", max_length=200, description="part of a site or URL where it appeared"),
                  since: str = Query("", max_length=10, description="first published on or after (YYYY-MM-DD)"),
                  until: str = Query("", max_length=10, description="first published on or before (YYYY-MM-DD)"),
                  sort: str = Query("newest", pattern="^(|newest|oldest|title)$"),
                  page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """Every article of the corpus, newest first (or oldest first, or by title)."""
    f = ArticleIndexFilter(source=source.strip() or None, since=day_param(since, "since"),
                           until=day_param(until, "until"), title=title.strip())
    sort = sort or "newest"
    total = corpus.count_article_index(f, conn=conn)
    rows = corpus.article_index(f, sort=sort, limit=page.size, offset=page.offset, conn=conn)
    return respond(request, "articles.html", {
        "filters": {"title": f.title, "source": f.source, "since": f.since, "until": f.until, "sort": sort},
        "outlets": corpus.article_outlets(f, conn=conn), "rows": rows, "total": total, "page": page.page,
        "pages": page_count(total, page.size)})

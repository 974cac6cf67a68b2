"""Request dependencies shared by the API and the pages: a time-limited connection,
pagination, statement filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from pydantic import BeforeValidator

from ..corpus import StatementFilter, deadline


#: Largest id a database row can have (SQLite and PostgreSQL integers are 64-bit).
MAX_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id")]


def corpus(request: Request):
    """The corpus the app serves: the library door every page and API route asks."""
    return request.app.state.corpus


def connection(request: Request):
    """A read connection whose queries stop after the configured time limit."""
    settings = request.app.state.settings
    with request.app.state.corpus.reading() as conn, deadline(conn, settings.query_timeout):
        yield conn


@dataclass
class Page:
    """Which page of rows, and how many a page."""

    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_params(request: Request, page: int = Query(1, ge=1, le=1_000_000, description="page number, from 1"),
                size: int | None = Query(None, ge=1, description="rows a page (at most the server's limit)")) -> Page:
    """Pagination, bounded by the server's page size limit."""
    settings = request.app.state.settings
    size = size or settings.default_page_size
    if size > settings.max_page_size:
        raise HTTPException(422, f"size: at most {settings.max_page_size} rows a page")
    return Page(page, size)


def blank_is_none(value):
    """An empty query value (``since=`` from a form's blank date field) means no filter.

    A search form sent without JavaScript carries every field, filled or not; reading a blank
    one as "not given" is what lets the plain HTML form work at all."""
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(blank_is_none)


def statement_filter(q: Annotated[str, Query(max_length=500, description="words that must occur")] = "",
                     speaker: Annotated[str | None, Query(max_length=200, description="part of a speaker's name"),
                                        Blank] = None,
                     speaker_id: Annotated[int | None, Query(ge=1, le=MAX_ID), Blank] = None,
                     type: Annotated[str | None, Query(max_length=40, description="assertion, denial, appeal ..."),
                                     Blank] = None,
                     kind: Annotated[str | None, Query(pattern="^(direct|indirect|mixed)$"), Blank] = None,
                     since: Annotated[date | None, Query(description="said on or after this day"), Blank] = None,
                     until: Annotated[date | None, Query(description="said on or before this day"), Blank] = None,
                     source: Annotated[str | None, Query(max_length=200, description="part of a site or URL"),
                                       Blank] = None,
                     article_id: Annotated[int | None, Query(ge=1, le=MAX_ID), Blank] = None,
                     min_confidence: Annotated[float | None, Query(ge=0, le=1, description=(
                         "only statements at least this likely right")), Blank] = None,
                     include_not_news: Annotated[bool, Query(description=(
                         "also statements of not-news pages (forums, wikis, tutorials)"))] = False,
                     ) -> StatementFilter:
    """Statement filters from the query string (as the CLI's search options); blank values
    are no filter."""
    return StatementFilter(q, speaker, speaker_id, type, kind, since.isoformat() if since else None,
                           until.isoformat() if until else None, source, article_id, min_confidence,
                           include_not_news)

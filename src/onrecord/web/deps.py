"""Request dependencies shared by the API and the pages: a time-limited connection,
pagination, statement filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request

from ..store import queries
from ..store.db import deadline


#: Largest id a database row can have (SQLite and PostgreSQL integers are 64-bit).
MAX_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id")]


def connection(request: Request):
    """A read connection whose queries stop after the configured time limit."""
    settings = request.app.state.settings
    with request.app.state.engine.connect() as conn, deadline(conn, settings.query_timeout):
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


def statement_filter(q: str = Query("", max_length=500, description="words that must occur"),
                     speaker: str | None = Query(None, max_length=200, description="part of a speaker's name"),
                     speaker_id: int | None = Query(None, ge=1, le=MAX_ID),
                     type: str | None = Query(None, max_length=40, description="assertion, denial, appeal ..."),
                     kind: str | None = Query(None, pattern="^(direct|indirect|mixed)$"),
                     since: date | None = None, until: date | None = None,
                     source: str | None = Query(None, max_length=200, description="part of a site or URL"),
                     article_id: int | None = Query(None, ge=1, le=MAX_ID),
                     min_confidence: float | None = Query(None, ge=0, le=1,
                                                          description="only statements at least this likely right"),
                     ) -> queries.StatementFilter:
    """Statement filters from the query string (as the CLI's search options)."""
    return queries.StatementFilter(q, speaker, speaker_id, type, kind, since.isoformat() if since else None,
                                   until.isoformat() if until else None, source, article_id, min_confidence)

"""Downloading every row of a search, as CSV or JSON Lines, streamed.

The rows are the API's rows (``GET /api/statements``) for the same filters, in the same
order, read with the same query: ``find_statements`` in batches of ``BATCH`` rows (offset
paging over the search's total order: rank then id, or date then id), so memory holds one
batch at a time whatever the size of the result. Every batch is read in one transaction
(a snapshot: SQLite's read transaction, PostgreSQL's REPEATABLE READ), so an ingest while the
download runs cannot shift rows between batches; each batch has the server's query time limit.
A download stops after the server's ``max_download_rows`` (``MAX_ROWS`` unless set), which bounds the work a single request can ask of
the server (offset paging re-reads the rows it skips); ``X-Onrecord-Rows`` says how many
rows the file holds and ``X-Onrecord-Total`` how many the search found.

CSV cells that are text and start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
get a leading apostrophe (OWASP's advice against formula injection), so a spreadsheet shows
them as text instead of running them; numbers (a negative BM25 rank) stay numbers.
JSON Lines (``application/x-ndjson``): one API row a line, exactly as the API gives it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from ..corpus import Corpus, StatementFilter, deadline
from ..safe_output import csv_cell as guarded, csv_writer
from .schemas import StatementRow

#: Rows read from the database at a time.
BATCH = 500
#: Most rows one download holds unless the server's settings say otherwise (the page says so
#: when a search finds more).
MAX_ROWS = 100_000
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def columns(f: StatementFilter) -> list[str]:
    """The API row's fields, in its order; ``rank`` only for a search with words, as the API."""
    ranked = Corpus.ranked(f)
    return [name for name in StatementRow.model_fields if name != "rank" or ranked]


def csv_cell(value) -> str:
    """One CSV cell: empty for null, numbers as Python writes them, text guarded against
    being read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return guarded(str(value))


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at the first one."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # a deferred read transaction: WAL keeps its snapshot
        yield conn


def statement_rows(engine: Engine, f: StatementFilter, *, timeout: float, limit: int | None = None,
                   batch: int | None = None) -> Iterator[dict]:
    """The rows ``f`` selects, in the search's order, ``batch`` at a time, at most ``limit``."""
    limit = MAX_ROWS if limit is None else limit
    batch = batch or BATCH
    corpus = Corpus(engine)  # the door, asked on the snapshot's connection
    with snapshot(engine) as conn:
        done = 0
        while done < limit:
            with deadline(conn, timeout):
                rows = corpus.find_statements(f, limit=min(batch, limit - done), offset=done, conn=conn)
            yield from rows
            done += len(rows)
            if len(rows) < batch:
                return


def max_rows(request: Request) -> int:
    """Most rows one download of this server holds: its ``max_download_rows``."""
    return request.app.state.settings.max_download_rows


def csv_chunks(rows: Iterator[dict], names: list[str]) -> Iterator[str]:
    """A CSV file, a header then one line a row; a UTF-8 byte-order mark first, so that
    spreadsheets read the quotation marks and accents of news text right."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(names)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(row.get(name)) for name in names])
        yield buffer.getvalue()


def jsonl_chunks(rows: Iterator[dict], names: list[str] | None = None) -> Iterator[str]:
    """JSON Lines: one API row a line, with the API row's fields (``names``) in its order: a
    row's other columns (the offsets its context is found by) stay out, as in the API."""
    for row in rows:
        if names is not None:
            row = {name: row[name] for name in names if name in row}
        yield json.dumps(jsonable_encoder(row), ensure_ascii=False) + "\n"


def download(request: Request, f: StatementFilter, fmt: str, total: int) -> StreamingResponse:
    """The streamed file of every row ``f`` selects (``fmt``: ``csv`` or ``jsonl``)."""
    settings = request.app.state.settings
    most = max_rows(request)
    rows = statement_rows(request.app.state.engine, f, timeout=settings.query_timeout, limit=most)
    chunks = csv_chunks(rows, columns(f)) if fmt == "csv" else jsonl_chunks(rows, columns(f))
    name = f"onrecord-statements-{date.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               "X-Onrecord-Total": str(total), "X-Onrecord-Rows": str(min(total, most))}
    return StreamingResponse(chunks, media_type=FORMATS[fmt], headers=headers)

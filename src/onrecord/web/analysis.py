"""Analysis on request, bounded: how many at once, how long a text, how long each may run.

An analysis holds a CPU and some hundreds of megabytes for seconds, so a server runs at
most ``max_analyses`` at a time; a request beyond that is answered at once with 503 and
``Retry-After``, rather than queued (a queue would let a flood of requests hold every
worker thread and the memory with them).

The analyses run in worker processes (``analysis_processes``, on by default): a parse is
pure Python and C under the interpreter lock, and in the server's own process two of them
starved the pages (5 of 387 page requests over 1 s, the worst 6 s). The workers are one
pool per server process, started on the first analysis, each with its own parser; a
worker that dies is replaced and its request answered 500.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from fastapi import HTTPException, Request

from ..analysis.limits import AnalysisLimitError, AnalysisLimits
from ..analysis.pipeline import analyze_stream, make_extractor
from ..model import ArticleInput, ArticleRecord


class AnalysisSlots:
    """At most ``size`` analyses at once; the next is refused, not queued."""

    def __init__(self, size: int):
        self._slots = threading.BoundedSemaphore(max(1, size))

    @contextmanager
    def hold(self, retry_after: int) -> Iterator[None]:
        """Hold a slot for the block, or raise 503 with ``Retry-After`` when none is free."""
        if not self._slots.acquire(blocking=False):
            raise HTTPException(503, "the server is busy analysing other texts; try again shortly",
                                headers={"Retry-After": str(retry_after)})
        try:
            yield
        finally:
            self._slots.release()


@contextmanager
def analysis_slot(request: Request) -> Iterator[None]:
    """A slot of this server's analyses (``AnalysisSlots``) for the block."""
    settings = request.app.state.settings
    with request.app.state.analysis_slots.hold(settings.retry_after):
        yield


def check_length(request: Request, text: str) -> None:
    """Refuse (413) a text longer than the server analyses on request."""
    limit = request.app.state.settings.max_analyze_chars
    if len(text) > limit:
        raise HTTPException(413, f"text: {len(text):,} characters is over this server's limit of {limit:,}")


def analyze_request(request: Request, item: ArticleInput, engine: str | None = None) -> ArticleRecord:
    """The record of one text, within this server's limits (413, 503, 422 or 500 otherwise);
    ``engine`` is fast or accurate (the default engine when None)."""
    check_length(request, item.text)
    settings = request.app.state.settings
    with analysis_slot(request):
        if settings.analysis_processes:
            outcome, value = _WORKERS.run(item, engine, settings.limits, settings.max_analyses)
        else:
            outcome, value = analyze_one(item, engine, settings.limits)
    if outcome == "limit":
        raise HTTPException(422, f"text: {value}")
    if outcome == "error":
        raise HTTPException(500, f"analysis failed ({value})")
    return ArticleRecord.model_validate_json(value)


def analyze_one(item: ArticleInput, engine: str | None, limits: AnalysisLimits) -> tuple[str, str]:
    """One analysis, as plain strings that cross a process boundary whatever went wrong:
    ``("record", JSON)``, ``("limit", why)`` or ``("error", the exception's name)``."""
    try:
        _, result = next(analyze_stream([item], extractor=make_extractor(engine=engine), limits=limits))
    except Exception as exc:  # noqa: BLE001 - reported as a 500, the worker lives on
        return "error", type(exc).__name__
    if isinstance(result, AnalysisLimitError):
        return "limit", str(result)
    if isinstance(result, Exception):
        return "error", type(result).__name__
    return "record", result.model_dump_json()


class AnalysisWorkers:
    """The worker processes of this server process, started on first use (spawned: a fork of
    a server with threads and open connections is unsafe), replaced when one dies."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self, item: ArticleInput, engine: str | None, limits: AnalysisLimits, size: int) -> tuple[str, str]:
        """Run one analysis in a worker and wait for it (the waiting thread holds no CPU)."""
        pool = self._started(size)
        try:
            return pool.submit(analyze_one, item, engine, limits).result()
        except BrokenProcessPool:
            self._replace(pool)
            return "error", "the analysis worker stopped"

    def _started(self, size: int) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=max(1, size),
                                                 mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)


#: One pool a server process: every app in it (tests make many) shares the workers.
_WORKERS = AnalysisWorkers()

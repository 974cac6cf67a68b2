"""Analysis on request, bounded: how many at once, how long a text, how long each may run.

An analysis holds a CPU and some hundreds of megabytes for seconds, so a server runs at
most ``max_analyses`` at a time; a request beyond that is answered at once with 503 and
``Retry-After``, rather than queued (a queue would let a flood of requests hold every
worker thread and the memory with them). The handlers are plain functions, which FastAPI
runs in its thread pool: the event loop stays free to answer pages meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException, Request

from ..analysis.limits import AnalysisLimitError
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
    with analysis_slot(request):
        _, result = next(analyze_stream([item], extractor=make_extractor(engine=engine),
                                        limits=request.app.state.settings.limits))
    if isinstance(result, AnalysisLimitError):
        raise HTTPException(422, f"text: {result}")
    if isinstance(result, Exception):
        raise HTTPException(500, f"analysis failed ({type(result).__name__})")
    return result

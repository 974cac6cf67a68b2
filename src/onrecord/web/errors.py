"""One JSON shape for every error: ``{"ok": false, "error": "...", "status": 404}``.

Pages answer with an HTML page in the same words unless JSON was asked for (a ``.json``
path or ``Accept: application/json``).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from ..corpus import QueryTimeout


#: What FastAPI says when reading a JSON body failed other than by a syntax error.
UNREADABLE_BODY = "There was an error parsing the body"


def wants_json(request: Request) -> bool:
    """Whether the client asked for the JSON twin of a page."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return path.startswith("/api/") or path.endswith(".json") or (
        "application/json" in accept and "text/html" not in accept)


def error_response(request: Request, status: int, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse | HTMLResponse:
    """The error in the shape the client reads (with ``headers`` such as ``Retry-After``)."""
    if wants_json(request):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "invalid request: " + "; ".join(parts)


def install(app) -> None:
    """Register the handlers that give every error its shape."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code == 400 and exc.detail == UNREADABLE_BODY:
            # FastAPI's words when the JSON parser itself gave up (a body nested 100,000 deep):
            # the same answer as any other JSON that cannot be read
            return error_response(request, 422, "invalid request: the JSON body could not be read "
                                                "(nested too deep, or not JSON)")
        return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(QueryTimeout)
    async def too_slow(request: Request, exc: QueryTimeout):
        return error_response(request, 503, f"{exc}; narrow the search")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):  # pragma: no cover - a bug, reported in the shape
        return error_response(request, 500, f"internal error ({type(exc).__name__}); please report it")

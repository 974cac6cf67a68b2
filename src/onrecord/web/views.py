"""What every page module shares: answering with a page or its JSON twin, and registering both.

Each group of pages (home and analysis, articles, speakers, search, the record across
articles) is its own router module; they all answer through ``respond`` so that the HTML
page and its ``.json`` twin always hold the same data.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from .errors import wants_json


def respond(request: Request, template: str, data: dict, status: int = 200):
    """The page, or its JSON twin."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder({"ok": True, **data}), status_code=status)
    return request.app.state.templates.TemplateResponse(request, template, data, status_code=status)


def twin(router: APIRouter, path: str, json_path: str | None = None):
    """Register a page at ``path`` and at its ``.json`` twin on ``router``."""
    def register(handler):
        router.get(path, response_class=HTMLResponse)(handler)
        router.get(json_path or f"{path}.json")(handler)
        return handler
    return register


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` rows fill, at least one."""
    return max(1, -(-total // size))

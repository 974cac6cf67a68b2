"""The web application: ``create_app`` builds it, ``onrecord serve`` runs it.

Safe by construction: templates escape everything, the article view escapes every piece of
text it highlights, links to article URLs are only made for http(s), and every response
carries a Content-Security-Policy that forbids inline scripts, so that text from an article
cannot run in a reader's browser. Request bodies, page sizes and query times are bounded.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from swagger_ui_bundle import swagger_ui_path

from .. import __version__
from ..corpus import Corpus, open_corpus
from . import alert_pages, api, article_pages, errors, index_pages, pages, record_pages, search_pages, speaker_pages
from .analysis import AnalysisSlots
from .limits import BodyLimit, NoNulParams, SecurityHeaders
from jinja2 import pass_context

from .links import json_twin, safe_url, with_params
from .render import mark_hits
from .palette import COLOURS
from .settings import WebSettings

#: The speaker colours, for templates as ``palette``: palette.py's list, their one source.
PALETTE = COLOURS


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The application over the corpus named in ``settings`` (created if missing)."""
    settings = settings or WebSettings.load()
    app = FastAPI(title="onrecord", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Who said what, about whom, when, and who disputes it: the record of a news corpus.")
    app.state.settings = settings
    app.state.corpus = Corpus.open(settings.db)  # every page and /api ask it
    app.state.engine = app.state.corpus.engine
    app.state.writer = open_corpus(settings.db, writer=True)
    app.state.analysis_slots = AnalysisSlots(settings.max_analyses)
    templates = Jinja2Templates(directory=str(resources.files("onrecord.web") / "templates"))
    templates.env.globals.update(safe_url=safe_url, with_params=with_params, json_twin=json_twin, palette=PALETTE,
                                 url_for=_local_url_for, mark_hits=mark_hits)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(resources.files("onrecord.web") / "static")), name="static")
    _add_api_docs(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(NoNulParams)
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    app.include_router(api.router)
    for module in (pages, search_pages, article_pages, speaker_pages, record_pages, index_pages, alert_pages):
        app.include_router(module.router)
    return app


@pass_context
def _local_url_for(context, name: str, /, **path_params) -> str:
    """``url_for`` in templates, as a path on this server (Starlette's is absolute, made
    from the request's ``Host`` header)."""
    request: Request = context["request"]
    path = str(request.app.url_path_for(name, **path_params))
    return request.scope.get("root_path", "").rstrip("/") + path


def _add_api_docs(app: FastAPI) -> None:
    """The API explorer at ``/api/docs``, with Swagger UI served from this server.

    FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script:
    blank for offline users, and at odds with a policy that forbids inline scripts.
    """
    app.mount("/api/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="api_docs_assets")

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        return app.state.templates.TemplateResponse(request, "api_docs.html", {"openapi_url": app.openapi_url})

"""The article page: the text with its statements highlighted, the speakers and where the
article appeared beside it, and the list of its statements below."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from ..model import ArticleRecord
from .deps import RowId, connection
from .deps import corpus as corpus_door
from .errors import wants_json
from .palette import stylesheet
from .render import UNKNOWN_CLASS, highlight, speaker_colours
from .views import respond, twin

router = APIRouter(include_in_schema=False)


@twin(router, "/articles/{article_id:int}")
def article_page(request: Request, article_id: RowId, conn=Depends(connection), corpus=Depends(corpus_door)):
    """An article with its statements highlighted, and the list of its statements."""
    data = corpus.article(article_id, conn=conn)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    record = ArticleRecord.model_validate(data.pop("record"))
    links = corpus.corpus_links([row["id"] for row in data["statements"]], conn=conn)
    for row in data["statements"]:  # the quotation and the threads across stories it is in
        row.update(links.get(row["id"], {"quotation_id": None, "threads": []}))
    global_ids = {row["local_id"]: row["speaker_id"] for row in data["statements"]}
    data["record"] = record
    if wants_json(request):
        return respond(request, "article.html", data)
    view = article_view(data, record, data["text"], global_ids)
    across = {row["local_id"]: row for row in data["statements"]}
    for row in view["statement_rows"]:
        row["across"] = across.get(row["statement"].id)
    return respond(request, "article.html", view)


@router.get("/palette.css", name="palette_css")
def palette_css() -> Response:
    """The speaker colours as a stylesheet, made from ``palette.py``, their one source (the
    Content-Security-Policy allows no inline style to carry them)."""
    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


def article_view(data: dict, record: ArticleRecord, text: str, global_ids: dict) -> dict:
    """What the article template shows: the highlighted text, one row a statement and one a
    speaker (each with its colour class), and the appearances with the first one marked."""
    colours = speaker_colours(record)
    rows = []
    for s in record.statements:
        sp_id = s.speaker.id if s.speaker else None
        rows.append({"statement": s, "colour": colours.get(sp_id, UNKNOWN_CLASS), "speaker_id": global_ids.get(s.id)})
    counts = Counter(s.speaker.id if s.speaker else None for s in record.statements)
    legend = [{"speaker": sp, "colour": colours[sp.id], "statements": counts.get(sp.id, 0)} for sp in record.speakers]
    return {**data, "html": highlight(text, record), "statement_rows": rows, "legend": legend,
            "appearance_rows": appearance_rows(data.get("appearances") or [])}


def appearance_rows(appearances: list[dict]) -> list[dict]:
    """The appearances, each marked ``first`` when it is the earliest dated one (the first
    published copy; the query orders undated ones first, so the first row is not always it)."""
    dated = [n for n, ap in enumerate(appearances) if ap.get("published")]
    first = min(dated, key=lambda n: str(appearances[n]["published"])) if dated else (0 if appearances else None)
    return [{**ap, "first": n == first} for n, ap in enumerate(appearances)]

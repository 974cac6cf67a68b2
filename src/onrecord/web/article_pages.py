"""The article page: the text with its statements highlighted, and the list of them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from ..model import ArticleRecord
from ..store import queries
from .deps import RowId, connection
from .errors import wants_json
from .render import highlight, speaker_colours
from .views import respond, twin

router = APIRouter(include_in_schema=False)


@twin(router, "/articles/{article_id:int}")
def article_page(request: Request, article_id: RowId, conn=Depends(connection)):
    """An article with its statements highlighted, and the list of its statements."""
    data = queries.article(conn, article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    record = ArticleRecord.model_validate(data.pop("record"))
    global_ids = {row["local_id"]: row["speaker_id"] for row in data["statements"]}
    data["record"] = record
    if wants_json(request):
        return respond(request, "article.html", data)
    return respond(request, "article.html", article_view(data, record, data["text"], global_ids))


def article_view(data: dict, record: ArticleRecord, text: str, global_ids: dict) -> dict:
    colours = speaker_colours(record)
    rows = []
    for s in record.statements:
        sp_id = s.speaker.id if s.speaker else None
        rows.append({"statement": s, "colour": colours.get(sp_id, "x"), "speaker_id": global_ids.get(s.id)})
    return {**data, "html": highlight(text, record), "statement_rows": rows}

"""Reading and writing statement vectors (``statement_vectors``): the SQL of the meaning
links across stories."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, delete, func, insert, select

from .schema import articles, news_pages, speakers, statement_vectors, statements

#: How a vector is stored: float16, little endian (a 768-wide vector is 1.5 KB).
STORED = np.dtype("<f2")


def pack(vector: npt.NDArray[np.float32]) -> bytes:
    """A vector as stored."""
    return np.asarray(vector, dtype=STORED).tobytes()


def unpack(blob: bytes) -> npt.NDArray[np.float32]:
    """A stored vector, as float32."""
    return np.frombuffer(blob, dtype=STORED).astype(np.float32)


def statements_without_vectors(conn: Connection, model: str, limit: int = 1000,
                               after: int = 0) -> list[tuple[int, str]]:
    """Statements (id, content) with no vector of ``model``, in id order from ``after`` on."""
    have = select(statement_vectors.c.statement_id).where(statement_vectors.c.model == model)
    query = (select(statements.c.id, statements.c.content)
             .where(statements.c.id > after, statements.c.id.not_in(have))
             .order_by(statements.c.id).limit(limit))
    return [(row.id, row.content) for row in conn.execute(query)]


def count_without_vectors(conn: Connection, model: str) -> int:
    """How many statements have no vector of ``model``."""
    have = select(statement_vectors.c.statement_id).where(statement_vectors.c.model == model)
    return int(conn.execute(select(func.count()).select_from(statements)
                            .where(statements.c.id.not_in(have))).scalar_one())


def write_vectors(conn: Connection, model: str, ids: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
    """Store one vector per statement id (a vector of another model is replaced)."""
    if not ids:
        return
    conn.execute(delete(statement_vectors).where(statement_vectors.c.statement_id.in_(list(ids))))
    conn.execute(insert(statement_vectors),
                 [{"statement_id": i, "model": model, "vector": pack(v)} for i, v in zip(ids, vectors)])


def read_vectors(conn: Connection, model: str, after: int = 0,
                 ids: Collection[int] | None = None) -> tuple[list[int], npt.NDArray[np.float32]]:
    """The stored vectors of ``model`` (statement ids in order, and one row each)."""
    query = (select(statement_vectors.c.statement_id, statement_vectors.c.vector)
             .where(statement_vectors.c.model == model, statement_vectors.c.statement_id > after)
             .order_by(statement_vectors.c.statement_id))
    if ids is not None:
        query = query.where(statement_vectors.c.statement_id.in_(list(ids)))
    found = [(row.statement_id, row.vector) for row in conn.execute(query)]
    if not found:
        return [], np.zeros((0, 0), dtype=np.float32)
    return [i for i, _ in found], np.stack([unpack(blob) for _, blob in found])


def vector_state(conn: Connection, model: str) -> tuple[int, int]:
    """How many vectors of ``model`` are stored and the highest statement id among them
    (an index built from them is current while both agree)."""
    row = conn.execute(select(func.count(), func.max(statement_vectors.c.statement_id))
                       .where(statement_vectors.c.model == model)).one()
    return int(row[0]), int(row[1] or 0)


def statement_rows(conn: Connection, ids: Collection[int], include_not_news: bool = False) -> dict[int, dict]:
    """The statements named, with their speaker and article, by id (not-news pages left out
    unless asked)."""
    if not ids:
        return {}
    query = (select(statements.c.id, statements.c.content, statements.c.type, statements.c.kind,
                    statements.c.article_id, statements.c.speaker_text, speakers.c.name.label("speaker"),
                    speakers.c.identity_id, articles.c.title, articles.c.published, articles.c.site)
             .select_from(statements.join(articles, articles.c.id == statements.c.article_id)
                          .outerjoin(speakers, speakers.c.id == statements.c.speaker_id))
             .where(statements.c.id.in_(list(ids))))
    if not include_not_news:
        query = query.where(news_pages())
    return {row.id: dict(row._mapping) for row in conn.execute(query)}

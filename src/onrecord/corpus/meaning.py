"""The corpus's statements by meaning: their vectors made and kept, and "who else said it".

Vectors are made once per statement and model (``embed_missing``), in batches, each batch
committed, so a stopped run resumes where it stopped; a statement stored later, or a model
changed, has no vector of the model in force and gets one on the next run. The
nearest-neighbour index is a cache beside them (``record.similar.VectorIndex``): loaded,
grown by the statements added since, rebuilt when it holds what the store no longer has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ..analysis.model.assemble import cache_root
from ..record.similar import CANDIDATES, NEAR, VectorIndex, compare_claims
from ..store import vector_queries

#: Statements read, embedded and committed together.
EMBED_BATCH = 256


def model_name() -> str:
    """The sentence model in force, as stored with each vector."""
    from ..analysis.model.sentence import sentence_model_digest

    return sentence_model_digest()


def embed_missing(engine: Engine, progress: Callable[[int, int], None] | None = None,
                  batch: int = EMBED_BATCH) -> int:
    """Make the vector of every statement that has none of the model in force; how many were made."""
    from ..analysis.model.sentence import get_sentence_model

    name = model_name()
    with engine.connect() as conn:
        total = vector_queries.count_without_vectors(conn, name)
    if total == 0:
        return 0
    model = get_sentence_model()
    done, after = 0, 0
    while True:
        with engine.connect() as conn:
            rows = vector_queries.statements_without_vectors(conn, name, limit=batch, after=after)
        if not rows:
            return done
        vectors = model.embed([content for _, content in rows])
        with engine.begin() as conn:
            vector_queries.write_vectors(conn, name, [i for i, _ in rows], vectors)
        done, after = done + len(rows), rows[-1][0]
        if progress is not None:
            progress(done, total)


#: Indexes loaded in this process, by corpus and model (a server asks many questions).
_LOADED: dict[tuple[str, str], VectorIndex] = {}


def current_index(engine: Engine, url: str) -> VectorIndex:
    """The corpus's vector index, up to date with the stored vectors of the model in force."""
    name = model_name()
    with engine.connect() as conn:
        count, max_id = vector_queries.vector_state(conn, name)
        held = _LOADED.get((url, name))
        if held is not None and (held.count, held.max_id) == (count, max_id):
            return held
        path = index_path(url, name)
        index = held or (VectorIndex.load(path, name, _dimensions()) if path is not None else None)
        if index is not None and (index.count, index.max_id) != (count, max_id):
            added: tuple[list[int], Any] = ([], None)
            if count > index.count and max_id > index.max_id:
                added = vector_queries.read_vectors(conn, name, after=index.max_id)
            if added[0] and index.count + len(added[0]) == count:
                index.add(*added)  # statements added since: the index grows
            else:
                index = None  # statements removed or re-embedded: built again
        if index is None:
            index = VectorIndex(_dimensions(), path)
            ids, vectors = vector_queries.read_vectors(conn, name)
            index.add(ids, vectors)
    index.save(name)
    if url and ":memory:" not in url:
        _LOADED[(url, name)] = index
    return index


def _dimensions() -> int:
    """The width of the model's vectors, from its description (the model is not loaded)."""
    import json
    import os

    from ..analysis.model.sentence import OVERRIDE, shipped_sentence_delta

    folder = Path(os.environ[OVERRIDE]) if os.environ.get(OVERRIDE) else shipped_sentence_delta()
    return int(json.loads((folder / "model.json").read_text(encoding="utf-8"))["dimensions"])


class NotEmbedded(LookupError):
    """The statement has no vector yet, and the question may not make one (a reader's)."""


def similar_statements(engine: Engine, url: str, statement_id: int, *, limit: int = 10,
                       near: float = NEAR, include_not_news: bool = False,
                       store: bool = True) -> dict[str, Any] | None:
    """The statements of other stories closest in meaning to ``statement_id`` (at least
    ``near``), closest first, each with its evidence (similarity, shared words, where the two
    differ). None when no such statement is stored. ``store``: make and keep the vectors
    missing first (the command line); a reader (the web) searches what is stored."""
    if store:
        embed_missing(engine)
    name = model_name()
    with engine.connect() as conn:
        here = vector_queries.statement_rows(conn, [statement_id], include_not_news=True).get(statement_id)
        if here is None:
            return None
        ids, vectors = vector_queries.read_vectors(conn, name, ids=[statement_id])
    if not ids:
        raise NotEmbedded(f"statement {statement_id} has no vector yet (onrecord embed makes them)")
    index = current_index(engine, url)
    found = [(i, s) for i, s in index.search(vectors[0], CANDIDATES + limit) if i != statement_id and s >= near]
    with engine.connect() as conn:
        rows = vector_queries.statement_rows(conn, [i for i, _ in found], include_not_news=include_not_news)
    matches = []
    for other, similarity in found:
        row = rows.get(other)
        if row is None or row["article_id"] == here["article_id"]:
            continue  # the same story: its own statements are its record, not another printing
        matches.append({**row, **compare_claims(here["content"], row["content"], similarity).evidence()})
    return {"statement": here, "near": near, "matches": matches[:limit]}


def index_path(corpus_url: str, model: str) -> Path | None:
    """Where a corpus's vector index lives: in onrecord's cache, named by the corpus and the
    model; None for a corpus in memory (its index is built for each question)."""
    if not corpus_url or ":memory:" in corpus_url:
        return None
    key = hashlib.sha256(corpus_url.encode()).hexdigest()[:16]
    return cache_root() / "indexes" / f"{key}-{model}.usearch"

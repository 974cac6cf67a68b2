"""Quantise the assembled tagger's weights to int8 (ONNX Runtime dynamic quantisation, per
channel), some of them only, for measuring speed against quality.

    .venv/bin/python training/quantize_tagger.py --out /tmp/int8ffn --keep ffn
    ONRECORD_MODEL_DIR=/tmp/int8ffn .venv/bin/python benchmarks/eval_dev.py --engine accurate

``--keep ffn`` quantises the feed-forward layers (``intermediate`` and ``output`` dense) of
every encoder layer; ``--keep inner`` every weight projection (q, k, v, o and both dense)
except those of the first and last layer; the classifier and the attention's own products
stay fp32 in both. The folder written is a run-time model folder (``model.onnx`` with its
weights inside, ``tagger.json``, ``tokenizer.json``) that ``ONRECORD_MODEL_DIR`` points at.
Measured (README, "int8, measured and not shipped"): neither keeps dev attribution within
0.01 of fp32, so nothing here ships.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic

from onrecord.analysis.model.tagger import model_folder

PROJECTIONS = ("q/MatMul", "k/MatMul", "v/MatMul", "o/MatMul", "dense/MatMul")


def chosen(names: list[str], keep: str) -> list[str]:
    """The MatMul nodes to quantise."""
    weights = [n for n in names if n.endswith(PROJECTIONS) and "/encoder/" in n]
    if keep == "ffn":
        return [n for n in weights if "/intermediate/" in n or "/output/dense/" in n]
    last = max(int(n.split("/layer.")[1].split("/")[0]) for n in weights)
    return [n for n in weights if "/layer.0/" not in n and f"/layer.{last}/" not in n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=None, help="an assembled model folder (default: the accurate engine's)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--keep", choices=("ffn", "inner"), default="ffn")
    args = ap.parse_args()
    source = args.source or model_folder()
    graph = onnx.load(str(source / "model.onnx"), load_external_data=False)
    names = [n.name for n in graph.graph.node if n.op_type == "MatMul"]
    quantised = chosen(names, args.keep)
    args.out.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(source / "model.onnx"), str(args.out / "model.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, op_types_to_quantize=["MatMul"],
                     nodes_to_exclude=[n for n in names if n not in quantised])
    for name in ("tagger.json", "tokenizer.json"):
        shutil.copy(source / name, args.out / name)
    print(f"{args.out}: {len(quantised)} of {len(names)} MatMuls int8")


if __name__ == "__main__":
    main()

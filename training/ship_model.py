#!/usr/bin/env python3
"""Put a trained tagger where onrecord reads it: one ONNX file of fp16 weights, cast at load.

    python training/ship_model.py --best RUN/best --out FOLDER   # then ONRECORD_MODEL_DIR=FOLDER

Why this form: fp32 weights make a 90 MB file (the word-embedding table alone is 47 MB),
over the 50 MB the package may carry, and int8 quantisation loses a point or more. Here
every float weight is stored as fp16 and followed by a ``Cast`` to fp32; ONNX Runtime folds
those casts into fp32 constants when it loads the model, so it runs at fp32 speed with the
fp16 values (exactly the trained ones: the checkpoint is saved in fp16), and the runtime
needs neither torch nor the onnx package. The script checks the shipped file against the
fp32 export on real windows before writing it, and writes the tokenizer and ``tagger.json``
(tags, window, stride, training facts) beside it.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_onnx as ex  # noqa: E402


def fp16_with_casts(src: Path, dst: Path) -> None:
    """Store each float32 weight (over 16 values) as fp16, with a Cast back to float32."""
    model = onnx.load(str(src))
    graph = model.graph
    kept, casts = [], []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size > 16:
            half = numpy_helper.from_array(arr.astype(np.float16), f"{init.name}__fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                          name=f"{init.name}__cast"))
        else:
            kept.append(init)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def max_difference(a: Path, b: Path, windows: int = 6) -> float:
    """Largest logit difference of two ONNX files on random wordpiece windows."""
    rng = np.random.RandomState(0)
    ids = rng.randint(1000, 30000, size=(windows, 256)).astype(np.int64)
    ids[:, 0], ids[:, -1] = 101, 102
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    out = [ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]).run(None, feed)[0] for p in (a, b)]
    return float(np.abs(out[0] - out[1]).max())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--best", required=True, type=Path, help="OUT/best written by train_attribution.py")
    ap.add_argument("--out", required=True, type=Path, help="the model folder to write")
    args = ap.parse_args()
    model = ex.load_torch(args.best)
    meta = json.loads((args.best / "tagger.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        fp32, shipped = Path(tmp) / "fp32.onnx", Path(tmp) / "model.onnx"
        sample = {"input_ids": torch.full((1, 8), 1000, dtype=torch.long), "attention_mask": torch.ones(1, 8,
                  dtype=torch.long), "token_type_ids": torch.zeros(1, 8, dtype=torch.long)}
        ex.export(model, fp32, sample)
        fp16_with_casts(fp32, shipped)
        diff = max_difference(fp32, shipped)
        print(f"shipped {shipped.stat().st_size / 1e6:.1f} MB; max logit difference to fp32 {diff:.2e}")
        if diff > 1e-2:
            sys.exit("the fp16 file differs from the fp32 export; not written")
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped, args.out / "model.onnx")
    shutil.copyfile(args.best / "tokenizer.json", args.out / "tokenizer.json")
    meta["onnx"] = "model.onnx"
    (args.out / "tagger.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

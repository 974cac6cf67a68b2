#!/usr/bin/env python3
"""Export the best attribution tagger to ONNX and compare smaller variants.

Why: the project ships a file of at most 50 MB and runs it with onnxruntime,
without torch.  fp32 ONNX is about 91 MB (the 30522 x 384 word-embedding table
alone is 47 MB), so this script measures the ways to get under the limit:

* ``fp32``       the reference export (checked against torch within 1e-3);
* ``int8``       onnxruntime dynamic int8 quantisation of every MatMul and the
                 embedding Gather;
* ``int8-ffn``   int8 only for the feed-forward MatMuls (and the embedding
                 Gather, without which it cannot fit), attention stays fp32;
* ``fp16-side``  the graph without weights plus the weights as fp16 in a
                 separate safetensors file, cast to fp32 when loaded.

For each it reports the shipped size, speed (words/s, one thread, over dev
text) and dev lenient content F1, and says which stay within one point of fp32.

Usage:
    python training/export_onnx.py --best RUN/best --dev DEV.jsonl --out RUN/onnx
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable, Sequence  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from onnx import numpy_helper  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from safetensors.numpy import load_file as load_np, save_file as save_np  # noqa: E402
from transformers import AutoModelForTokenClassification, AutoTokenizer  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_attribution as ta  # noqa: E402

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
LogitsFn = Callable[[dict[str, np.ndarray]], np.ndarray]


class Tagger(torch.nn.Module):
    """Encoder + head returning only the logits, so the ONNX graph has one named output."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def load_torch(best: Path) -> torch.nn.Module:
    """The fp16 checkpoint as an fp32 eager-attention model (eager traces cleanly to ONNX)."""
    model = AutoModelForTokenClassification.from_pretrained(best, dtype=torch.float32, attn_implementation="eager")
    return model.eval()


def export(model: torch.nn.Module, path: Path, sample: dict[str, torch.Tensor]) -> None:
    """TorchScript-based export, opset 17, dynamic batch and sequence axes."""
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "logits")}
    # eval() on the wrapper too: the exporter restores the wrapper's mode afterwards, and a
    # fresh Module is in training mode, which would switch dropout back on in ``model``.
    torch.onnx.export(
        Tagger(model).eval(), tuple(sample[n] for n in INPUTS), str(path), input_names=list(INPUTS),
        output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False, do_constant_folding=True,
    )
    model.eval()


def session(model: str | bytes, threads: int) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def ort_logits(sess: ort.InferenceSession) -> LogitsFn:
    names = {i.name for i in sess.get_inputs()}
    return lambda feed: sess.run(["logits"], {k: v for k, v in feed.items() if k in names})[0]


def torch_logits(model: torch.nn.Module) -> LogitsFn:
    @torch.no_grad()
    def run(feed: dict[str, np.ndarray]) -> np.ndarray:
        return model(**{k: torch.from_numpy(v) for k, v in feed.items()}).logits.numpy()

    return run


def feed_of(batch: dict[str, torch.Tensor]) -> dict[str, np.ndarray]:
    ids = batch["input_ids"].numpy()
    return {"input_ids": ids, "attention_mask": batch["attention_mask"].numpy(), "token_type_ids": np.zeros_like(ids)}


def predict_tags(run: LogitsFn, art: ta.EncodedArticle, tokenizer, batch_size: int = 32) -> list[int]:
    """Same windowing and log-prob averaging as training's evaluation, with any backend."""
    n = len(art.ids)
    total = np.zeros((n, len(ta.TAGS)), dtype=np.float64)
    count = np.zeros((n, 1))
    windows = [ta.Window(0, s) for s in ta.window_starts(n)] if n else []
    for k in range(0, len(windows), batch_size):
        chunk = windows[k : k + batch_size]
        logits = run(feed_of(ta.collate(chunk, [art], tokenizer))).astype(np.float64)
        logp = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)
        for row, w in enumerate(chunk):
            width = min(ta.WINDOW, n - w.start)
            total[w.start : w.start + width] += logp[row, 1 : 1 + width]
            count[w.start : w.start + width] += 1
    return (total / np.maximum(count, 1)).argmax(axis=-1).tolist()


def dev_run(run: LogitsFn, dev: Sequence[ta.EncodedArticle], tokenizer) -> dict[str, Any]:
    """Dev lenient content F1 and words/s of one backend (tokenisation excluded: done once)."""
    t0 = time.perf_counter()
    tags = [predict_tags(run, art, tokenizer) for art in dev]
    seconds = time.perf_counter() - t0
    words = sum(len(a.doc["text"].split()) for a in dev)
    res = ta.evaluate_tags(dev, tags)
    return {"lenient_f1": res["lenient"]["f1"], "exact_f1": res["exact"]["f1"],
            "attribution_f1": res["attribution"]["f1"], "words_per_s": round(words / seconds, 1),
            "seconds": round(seconds, 1)}


def check_parity(torch_run: LogitsFn, onnx_run: LogitsFn, dev, tokenizer, n_windows: int = 8) -> float:
    """Largest |logit difference| between torch and ONNX on a few real windows (batch of several)."""
    art = max(dev[:10], key=lambda a: len(a.ids))
    windows = [ta.Window(0, s) for s in ta.window_starts(len(art.ids))][:n_windows]
    feed = feed_of(ta.collate(windows, [art], tokenizer))
    short = {k: v[:1, :40] for k, v in feed.items()}  # another batch and sequence size
    return float(max(np.abs(torch_run(f) - onnx_run(f)).max() for f in (feed, short)))


def ffn_matmuls(path: Path) -> list[str]:
    """Names of the feed-forward MatMul nodes (intermediate and output dense, not attention)."""
    graph = onnx.load(str(path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and ("intermediate" in n.name or (
        "/output/" in n.name and "attention" not in n.name))]


def gather_nodes(path: Path) -> list[str]:
    """The embedding lookups, whose int8 tables make the file fit."""
    graph = onnx.load(str(path), load_external_data=False).graph
    inits = {i.name for i in graph.initializer}
    return [n.name for n in graph.node if n.op_type == "Gather" and n.input[0] in inits]


def split_fp16(src: Path, graph_path: Path, weights_path: Path) -> None:
    """Graph without weights + every float initializer as fp16 in one safetensors file."""
    model = onnx.load(str(src))
    weights: dict[str, np.ndarray] = {}
    keep = []
    for init in model.graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size > 16:
            weights[init.name] = arr.astype(np.float16)
        else:
            keep.append(init)
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)
    onnx.save(model, str(graph_path))
    save_np(weights, str(weights_path))


def load_fp16_side(graph_path: Path, weights_path: Path) -> bytes:
    """Rebuild the fp32 model in memory: cast the fp16 weights back and put them in the graph."""
    model = onnx.load(str(graph_path))
    for name, arr in load_np(str(weights_path)).items():
        model.graph.initializer.append(numpy_helper.from_array(arr.astype(np.float32), name))
    return model.SerializeToString()


def mb(*paths: Path) -> float:
    return round(sum(p.stat().st_size for p in paths) / 1e6, 2)


def build_variants(fp32: Path, out: Path) -> dict[str, tuple[str | bytes, float]]:
    """Write the smaller variants; returns each one's session source and shipped size in MB."""
    int8, ffn = out / "tagger.int8.onnx", out / "tagger.int8-ffn.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"])
    quantize_dynamic(str(fp32), str(ffn), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"],
                     nodes_to_quantize=ffn_matmuls(fp32) + gather_nodes(fp32))
    graph, weights = out / "tagger.graph.onnx", out / "tagger.fp16.safetensors"
    split_fp16(fp32, graph, weights)
    return {
        "fp32": (str(fp32), mb(fp32)),
        "int8": (str(int8), mb(int8)),
        "int8-ffn": (str(ffn), mb(ffn)),
        "fp16-side": (load_fp16_side(graph, weights), mb(graph, weights)),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--best", required=True, type=Path, help="OUT/best written by train_attribution.py")
    ap.add_argument("--dev", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit-articles", type=int, default=None)
    ap.add_argument("--limit-mb", type=float, default=50.0)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    hf_logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(args.best)
    tokenizer.model_max_length = 10**9
    dev = ta.encode_articles(ta.load_jsonl(args.dev, args.limit_articles), tokenizer)
    model = load_torch(args.best)
    fp32 = args.out / "tagger.fp32.onnx"
    export(model, fp32, ta.collate([ta.Window(0, 0)], dev[:1], tokenizer) | {
        "token_type_ids": torch.zeros((1, min(len(dev[0].ids), ta.WINDOW) + 2), dtype=torch.long)})
    onnx.checker.check_model(str(fp32))
    diff = check_parity(torch_logits(model), ort_logits(session(str(fp32), args.threads)), dev, tokenizer)
    ta.log(f"fp32 ONNX {mb(fp32)} MB; max |torch - onnx| logit difference {diff:.2e} "
           f"({'OK' if diff < 1e-3 else 'TOO LARGE'}, limit 1e-3)")
    report: dict[str, Any] = {"parity_max_abs_diff": diff, "best": str(args.best), "threads": args.threads,
                              "variants": {}}
    report["variants"]["torch-fp32"] = dev_run(torch_logits(model), dev, tokenizer)
    ta.log(f"torch-fp32: {report['variants']['torch-fp32']}")
    for name, (src, size) in build_variants(fp32, args.out).items():
        res = dev_run(ort_logits(session(src, args.threads)), dev, tokenizer) | {"mb": size}
        report["variants"][name] = res
        ta.log(f"{name}: {res}")
    base = report["variants"]["fp32"]["lenient_f1"]
    for name, res in report["variants"].items():
        res["within_1pt_of_fp32"] = base - res["lenient_f1"] <= 0.01
        res["fits"] = res.get("mb", 0) <= args.limit_mb
    ta.atomic_json(report, args.out / "export_report.json")
    print(json.dumps(report, indent=2), flush=True)


if __name__ == "__main__":
    main()

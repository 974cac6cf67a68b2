"""Is a statement's confidence what it says? A reliability table on annotated news.

    .venv/bin/python benchmarks/reliability.py PREDICTIONS.jsonl [--gold ../shared/eval/polnear-dev.jsonl]

Matches predictions to the gold attributions exactly as the set's scorer does (one to one,
a content covering at least half of the gold content, best overlap first; right when the
speaker matches too), then prints, for each band of ``confidence`` (0.0-0.1 ... 0.9-1.0),
how many statements fall in it and how many of them are right. A calibrated confidence has
the share right inside its band. Statements without a confidence are counted apart.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def load_scorer(gold: Path):
    spec = importlib.util.spec_from_file_location("score_attribution", gold.parent / "score_attribution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judged(gold_path: Path, pred_path: Path):
    """(confidence, right, kind of the record's statement) for every predicted statement."""
    records = (json.loads(line) for line in pred_path.open(encoding="utf-8") if line.strip())
    for _, _, confidence, right, kind in judged_records(gold_path, records):
        yield confidence, right, kind


def judged_records(gold_path: Path, records):
    """(doc_id, statement index, confidence, right, kind) for every statement of the records
    (onrecord's own, each with its ``doc_id``) whose article the gold file holds."""
    scorer = load_scorer(gold_path)
    golds = {d["doc_id"]: d for d in map(json.loads, gold_path.open(encoding="utf-8")) if d}
    for record in records:
        gold = golds.get(record.get("doc_id"))
        if gold is None:
            continue
        text, quotes = gold["text"], gold["quotes"]
        statements = record["statements"]
        preds = scorer.as_quotes(record)["quotes"]
        pairs = []
        for i, pq in enumerate(preds):
            for j, gq in enumerate(quotes):
                ov = scorer.overlap(pq["content"], gq["content"])
                if ov and ov >= 0.5 * (gq["content"][1] - gq["content"][0]):
                    union = max(pq["content"][1], gq["content"][1]) - min(pq["content"][0], gq["content"][0])
                    pairs.append((ov / union, i, j))
        used_p, used_g, match = set(), set(), {}
        for _, i, j in sorted(pairs, reverse=True):
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                match[i] = j
        for i, (pq, st) in enumerate(zip(preds, statements)):
            right = i in match and scorer.speaker_ok(text, pq, quotes[match[i]])
            yield record["doc_id"], i, st.get("confidence"), right, st["kind"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args()
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    none = [0, 0]
    for confidence, right, _ in judged(args.gold, args.predictions):
        cell = none if confidence is None else bands[min(9, int(confidence * 10))]
        cell[0] += 1
        cell[1] += right
    print("| confidence | statements | right | share right |")
    print("| --- | --- | --- | --- |")
    for band in sorted(bands):
        n, r = bands[band]
        print(f"| {band / 10:.1f}–{(band + 1) / 10:.1f} | {n} | {r} | {r / n:.2f} |")
    if none[0]:
        print(f"| none | {none[0]} | {none[1]} | {none[1] / none[0]:.2f} |")


if __name__ == "__main__":
    main()

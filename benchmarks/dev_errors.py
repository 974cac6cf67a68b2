"""Show where predictions and the development set's gold attributions disagree.

    .venv/bin/python benchmarks/dev_errors.py out/dev-pred.jsonl [--kind direct] [--what missed|spurious|speaker] [--n 30]

A development aid: prints each error with its context so that the language behind it can be
studied. It matches predictions to gold the way the scorer does (>= 50% of the gold content).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent / "shared" / "eval"))
from score_attribution import as_quotes, overlap, speaker_ok  # noqa: E402
from build_attribution_set import quote_kind  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pred")
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"))
    ap.add_argument("--kind", default=None)
    ap.add_argument("--what", default="missed")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    gold = {d["doc_id"]: d for d in map(json.loads, open(args.gold, encoding="utf-8"))}
    preds = {p["doc_id"]: p for p in map(json.loads, open(args.pred, encoding="utf-8"))}
    rows = []
    for doc_id, g in gold.items():
        text = g["text"]
        pq = as_quotes(preds.get(doc_id, {"statements": []}))["quotes"]
        pairs = []
        for i, p in enumerate(pq):
            for j, q in enumerate(g["quotes"]):
                gs = q["content"]
                ov = overlap(p["content"], gs)
                if ov and ov >= 0.5 * (gs[1] - gs[0]):
                    pairs.append((ov / (max(p["content"][1], gs[1]) - min(p["content"][0], gs[0])), i, j))
        pairs.sort(reverse=True)
        up, ug, match = set(), set(), {}
        for _, i, j in pairs:
            if i not in up and j not in ug:
                up.add(i)
                ug.add(j)
                match[j] = i
        for j, q in enumerate(g["quotes"]):
            if args.kind and q["kind"] != args.kind:
                continue
            if args.what == "missed" and j not in match:
                rows.append((text, q, None))
            if args.what == "speaker" and j in match and not speaker_ok(text, pq[match[j]], q):
                rows.append((text, q, pq[match[j]]))
        if args.what == "spurious":
            for i, p in enumerate(pq):
                if i not in up:
                    kind = quote_kind(text, [p["content"]])[0]
                    if not args.kind or kind == args.kind:
                        rows.append((text, None, p))
    random.Random(args.seed).shuffle(rows)
    print(f"{len(rows)} rows")
    for text, q, p in rows[: args.n]:
        span = (q or p)["content"]
        ctx = text[max(0, span[0] - 150): span[1] + 80].replace("\n", " / ")
        print("-" * 100)
        if q:
            print(f"GOLD {q['kind']} src={q['source_text']!r} cue={q['cue_text']!r} content={q['content_text'][:120]!r}")
        if p:
            src = text[p['source'][0]:p['source'][1]] if p.get('source') else None
            cue = text[p['cue'][0]:p['cue'][1]] if p.get('cue') else None
            print(f"PRED src={src!r} name={p.get('source_text')!r} cue={cue!r} content={text[p['content'][0]:p['content'][1]][:120]!r}")
        print("   CTX:", ctx[:600])


if __name__ == "__main__":
    main()

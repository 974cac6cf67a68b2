"""Score onrecord on the development set of real annotated news (PolNeAR dev split).

    .venv/bin/python benchmarks/eval_dev.py [--gold ../shared/eval/polnear-dev.jsonl] [--out out/dev-pred.jsonl]

Runs ``analyze_many`` over every article, writes one record per line (with its doc_id), then
runs the set's own scorer on them and prints its report; the last line is its HEADLINE.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from onrecord import ArticleInput, analyze_many
from onrecord.analysis.pipeline import make_extractor

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "dev-pred.jsonl")
    parser.add_argument("--engine", default=None, help="fast (rules), accurate (rules + tagger) or model (tagger alone)")
    parser.add_argument("--swap", action="append", default=[], metavar="OLD=NEW",
                        help="run step NEW in place of OLD in the engine's list (an ablation), e.g. "
                             "model.join.v1=model.join.v2")
    args = parser.parse_args()
    if not args.gold.exists():
        sys.exit(f"{args.gold}: not found (the development set lives in ../shared/eval/)")
    articles = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    items = [ArticleInput(a["text"], a.get("publication_date"), doc_id=a["doc_id"], title=a.get("title"))
             for a in articles]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with args.out.open("w", encoding="utf-8") as fh:
        for record in analyze_many(items, extractor=_extractor(args.engine, args.swap)):
            fh.write(record.model_dump_json() + "\n")
    print(f"analysed {len(items)} articles in {time.perf_counter() - started:.1f}s -> {args.out}")
    scorer = args.gold.parent / "score_attribution.py"
    subprocess.run([sys.executable, str(scorer), str(args.gold), str(args.out)], check=True)


def _extractor(engine: str | None, swaps: list[str]):
    """The engine's extractor, with steps swapped for an ablation."""
    from onrecord.analysis.engine import DEFAULT_ENGINE, ENGINES

    if not swaps:
        return make_extractor(engine=engine)
    steps = list(ENGINES[engine or DEFAULT_ENGINE])
    for swap in swaps:
        old, _, new = swap.partition("=")
        if old not in steps:
            sys.exit(f"--swap {swap}: no step {old!r} in the {engine} engine")
        steps[steps.index(old)] = new
    return make_extractor(steps=steps, engine=engine)


if __name__ == "__main__":
    main()

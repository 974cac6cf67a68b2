"""Speed of ``analyze`` against the bare spaCy pipeline, on the development texts.

    .venv/bin/python benchmarks/bench_speed.py [--rounds 3] [--gold ../shared/eval/polnear-dev.jsonl]

Both run in this one process over the same texts and with the same batch size,
alternating, so that a busy shared machine slows both alike; the best round of each is
kept, timed in CPU seconds of this process. Prints words per second for each and their ratio (analyze / bare: 1.0 means
extraction costs nothing on top of parsing). A third timing parses exactly the pieces
``analyze`` hands the parser (paragraph groups, repeated passages left out), so that the
cost of extraction alone shows apart from the effect of cutting articles into pieces.
Peak memory is read after one ``analyze`` pass over all texts, before the bare runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

from onrecord import analyze_many
from onrecord.analysis.repeats import find_repeats
from onrecord.analysis.nlp import get_nlp
from onrecord.analysis.pipeline import BATCH_SIZE, make_extractor
from onrecord.analysis.segment import segments

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--accurate", action="store_true",
                    help="also time the accurate engine (rules and the learned tagger), in the same rounds")
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.gold.open(encoding="utf-8") if line.strip()]
    nlp = get_nlp()
    # the bare pipeline parses whole articles; onrecord's own pieces stay under its limit
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
    for _record in analyze_many(texts):
        pass
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = sum(1 for doc in nlp.pipe(texts, batch_size=BATCH_SIZE) for tok in doc
                if not tok.is_space and not tok.is_punct)
    pieces = [t[a:b] for t in texts for a, b in segments(t, [(d.start, d.end) for d in find_repeats(t)])]
    times: dict[str, list[float]] = {"bare": [], "pieces": [], "analyze": []}
    runs = {
        "bare": lambda: nlp.pipe(texts, batch_size=BATCH_SIZE),
        "pieces": lambda: nlp.pipe(pieces, batch_size=BATCH_SIZE),
        "analyze": lambda: analyze_many(texts, extractor=make_extractor(engine="fast")),
    }
    if args.accurate:
        accurate = make_extractor(engine="accurate")
        for _record in analyze_many(texts, extractor=accurate):  # the tagger loaded, outside the timing
            pass
        times["accurate"] = []
        runs["accurate"] = lambda: analyze_many(texts, extractor=accurate)
    wall: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            started, clock = time.process_time(), time.perf_counter()  # CPU time: less swayed by other jobs
            for _item in run():
                pass
            times[name].append(time.process_time() - started)
            wall[name].append(time.perf_counter() - clock)
    rate = {name: words / min(t) for name, t in times.items()}
    print(f"texts={len(texts)} words={words} rounds={args.rounds} batch_size={BATCH_SIZE}")
    print(f"bare spaCy pipeline     : {rate['bare']:7.0f} words/s  (rounds {_rounded(times['bare'])} s)")
    print(f"spaCy on onrecord pieces: {rate['pieces']:7.0f} words/s  (rounds {_rounded(times['pieces'])} s)")
    print(f"onrecord analyze        : {rate['analyze']:7.0f} words/s  (rounds {_rounded(times['analyze'])} s)")
    print(f"ratio analyze/bare      : {rate['analyze'] / rate['bare']:.3f}")
    print(f"ratio analyze/pieces    : {rate['analyze'] / rate['pieces']:.3f}  (extraction alone)")
    if args.accurate:
        print(f"onrecord accurate       : {rate['accurate']:7.0f} words/s  (rounds {_rounded(times['accurate'])} s)")
        print(f"ratio accurate/bare     : {rate['accurate'] / rate['bare']:.3f}  (CPU time; tagger threads: "
              f"{os.environ.get('ONRECORD_MODEL_THREADS', '1')})")
        wall_ratio = min(wall["bare"]) / min(wall["accurate"])
        print(f"ratio accurate/bare     : {wall_ratio:.3f}  (wall clock, rounds {_rounded(wall['accurate'])} s)")
    print(f"peak memory of analyze  : {peak_mb:.0f} MB (whole process, model included; fast engine)")


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 1) for v in values]


if __name__ == "__main__":
    main()

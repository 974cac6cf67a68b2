"""Throughput of sequential ingest against batch on Dask with 1 and 2 workers.

    .venv/bin/python benchmarks/bench_batch.py [--articles 240]

The same inputs (the development articles, plus distinct synthetic articles made of their
sentences to reach ``--articles``) go into a fresh SQLite corpus three ways, one after the
other: ``onrecord ingest``, ``onrecord batch --workers 1`` and ``onrecord batch --workers 2``,
each as a command in its own process so that each pays its own start-up (model loading,
cluster start). Prints wall-clock seconds, articles per second and the scaling ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def build_inputs(gold: Path, count: int, target: Path) -> None:
    texts = [json.loads(line)["text"] for line in gold.open(encoding="utf-8") if line.strip()]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]
    rng = random.Random(5)
    while len(texts) < count:
        texts.append("\n".join(" ".join(rng.sample(sentences, 5)) for _ in range(6)))
    target.write_text("\n".join(json.dumps({"text": t, "doc_id": f"a{n}"}) for n, t in enumerate(texts[:count])),
                      encoding="utf-8")


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    return time.perf_counter() - started, done.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--articles", type=int, default=240)
    args = ap.parse_args()
    onrecord = [sys.executable, "-m", "onrecord.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        build_inputs(args.gold, args.articles, source)
        runs = {
            "ingest (sequential)": onrecord + ["ingest", str(source), "--db", f"{tmp}/seq.db", "-q"],
            "batch, 1 worker": onrecord + ["batch", str(source), "--workers", "1", "--db", f"{tmp}/b1.db", "-q"],
            "batch, 2 workers": onrecord + ["batch", str(source), "--workers", "2", "--db", f"{tmp}/b2.db", "-q"],
        }
        rates = {}
        for name, command in runs.items():
            seconds, summary = timed(command)
            rates[name] = args.articles / seconds
            print(f"{name:22s} {seconds:7.1f} s  {rates[name]:6.2f} articles/s   [{summary.split(': ', 1)[1]}]")
        base = rates["ingest (sequential)"]
        print(f"batch 1 worker / sequential : {rates['batch, 1 worker'] / base:.2f}")
        print(f"batch 2 workers / sequential: {rates['batch, 2 workers'] / base:.2f}")
        print(f"batch 2 workers / 1 worker  : {rates['batch, 2 workers'] / rates['batch, 1 worker']:.2f}")


if __name__ == "__main__":
    main()

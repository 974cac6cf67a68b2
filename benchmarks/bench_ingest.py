"""Cost of ingesting a corpus against analysing the same texts, rerun cost, memory growth.

    .venv/bin/python benchmarks/bench_ingest.py [--rounds 2] [--stream 600]

1. The development articles, written as one JSONL file, are analysed (``analyze_many``) and
   ingested into a fresh SQLite corpus (reading, fingerprints, MinHash, LSH lookups,
   analysis, storage), alternating, in this one process; best round of each, CPU seconds.
   Prints both and ingest/analyze (the target is at most 1.3).
2. The same file ingested again into the same corpus: the rerun's time against the first.
3. ``--stream`` distinct synthetic articles (sentences of the development articles shuffled
   into new paragraphs) are ingested in one run while the process's peak memory is read
   after every 100: a flat line means the corpus streams rather than accumulates.
4. ``--linking`` distinct synthetic articles, dated over two weeks and spread over five
   outlets, are ingested into fresh corpora with the linking across articles (identities,
   quotations, disputes) and without it, alternating; best CPU seconds of each, and the
   ratio (the target is at most 1.2), then ``relink`` alone on the linked corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from onrecord import analyze_many
from onrecord.corpus import Ingestor, open_corpus
from onrecord.analysis.nlp import get_nlp

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--stream", type=int, default=600)
    ap.add_argument("--linking", type=int, default=600)
    ap.add_argument("--only-linking", action="store_true", help="run part 4 alone")
    args = ap.parse_args()
    articles = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    get_nlp()
    if args.only_linking:
        with tempfile.TemporaryDirectory() as tmp:
            linking_cost([a["text"] for a in articles], Path(tmp), args.linking, args.rounds)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "dev.jsonl"
        source.write_text("\n".join(json.dumps({"text": a["text"], "doc_id": a["doc_id"],
                                                "published": a["publication_date"], "title": a["title"]})
                                    for a in articles) + "\n", encoding="utf-8")
        texts = [a["text"] for a in articles]
        analyze_times, ingest_times = [], []
        for n in range(args.rounds):
            analyze_times.append(timed(lambda: list(analyze_many(texts))))
            engine = open_corpus(str(Path(tmp) / f"round{n}.db"))
            ingest_times.append(timed(lambda: Ingestor(engine).ingest([str(source)])))
        rerun = timed(lambda: Ingestor(engine).ingest([str(source)]))
        print(f"articles={len(texts)} rounds={args.rounds}")
        print(f"analyze_many        : {min(analyze_times):6.1f} s  (rounds {[round(t, 1) for t in analyze_times]})")
        print(f"ingest (fresh db)   : {min(ingest_times):6.1f} s  (rounds {[round(t, 1) for t in ingest_times]})")
        print(f"ratio ingest/analyze: {min(ingest_times) / min(analyze_times):.2f}")
        print(f"rerun, same inputs  : {rerun:6.2f} s  = {rerun / min(ingest_times):.1%} of the first run")
        stream_memory(texts, Path(tmp), args.stream)
        linking_cost(texts, Path(tmp), args.linking, args.rounds)


class _Unlinked(Ingestor):
    """Ingest as before the record across articles: no linking step."""

    def link_across(self) -> None:
        pass


def synthetic(texts: list[str], path: Path, count: int, seed: int = 3, dated: bool = False) -> None:
    """``count`` distinct articles made of the development articles' sentences, shuffled."""
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            paras = ["\n".join(rng.sample(sentences, 4)) for _ in range(4)]
            item = {"text": "\n".join(paras), "doc_id": f"s{n}"}
            if dated:
                item.update(published=f"2016-10-{1 + n % 14:02d}", site=f"outlet{n % 5}.example")
            fh.write(json.dumps(item) + "\n")


def linking_cost(texts: list[str], tmp: Path, count: int, rounds: int) -> None:
    """Ingest with and without linking across articles; then relink alone."""
    from onrecord.record.relink import relink

    source = tmp / "linking.jsonl"
    synthetic(texts, source, count, seed=5, dated=True)
    linked, unlinked = [], []
    for n in range(rounds):
        plain = open_corpus(str(tmp / f"unlinked{n}.db"))
        unlinked.append(timed(lambda: _Unlinked(plain).ingest([str(source)])))
        engine = open_corpus(str(tmp / f"linked{n}.db"))
        linked.append(timed(lambda: Ingestor(engine).ingest([str(source)])))
    holder = {}
    again = timed(lambda: holder.setdefault("summary", relink(engine)))
    print(f"{count} dated articles, ingest without linking: {min(unlinked):6.1f} s  (rounds {[round(t, 1) for t in unlinked]})")
    print(f"{count} dated articles, ingest with linking   : {min(linked):6.1f} s  (rounds {[round(t, 1) for t in linked]})")
    print(f"ratio linked/unlinked: {min(linked) / min(unlinked):.3f}")
    print(f"relink alone: {again:.2f} s ({holder['summary'].line()})")


def stream_memory(texts: list[str], tmp: Path, count: int) -> None:
    """Ingest ``count`` distinct synthetic articles; print peak memory every 100."""
    source = tmp / "stream.jsonl"
    synthetic(texts, source, count)
    engine = open_corpus(str(tmp / "stream.db"))
    marks: list[str] = []

    def progress(summary) -> None:
        done = summary.new + summary.duplicate
        if done and done % 100 == 0 and len(marks) < done // 100:
            marks.append(f"{done}: {peak_mb():.0f} MB")

    started = time.perf_counter()
    summary = Ingestor(engine, progress=progress).ingest([str(source)])
    print(f"stream of {count} distinct articles: {summary.line()} in {time.perf_counter() - started:.0f} s")
    print("peak memory after each 100 stored: " + ", ".join(marks))


if __name__ == "__main__":
    main()

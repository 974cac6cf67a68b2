"""The watch against ingest: N local feeds polled, pages ingested, overhead and memory.

    .venv/bin/python benchmarks/bench_watch.py [--sources 200] [--rounds 10] [--new 20]

A local HTTP server on 127.0.0.1 serves ``--sources`` RSS feeds, each listing one article
page at first; every later round ``--new`` feeds gain one more. The articles are distinct
(sentences of the development set, shuffled, as bench_batch.py makes them, or of the
example story when that set is not here), so none is a duplicate of another.

In one process, with one extractor (``--engine``, fast by default) loaded, and one small
watch round and one small ingest run first (into throwaway corpora), so that neither side
pays a process's first-use costs:

1. overhead: the watch's round 1 (every feed polled, its page fetched and ingested into a
   fresh corpus) against ``ingest`` of the same pages saved as HTML files (the ``Ingestor``,
   what ``onrecord ingest DIR`` runs) into another fresh corpus, each twice, in the order
   watch, ingest, ingest, watch, so that a machine's load drifting weighs on both alike; the
   ratio of the sums is the watch's overhead (target: at most 1.2x);
2. rounds 2..R of the first watch: mostly 304s, plus the new pages; resident memory after each round.

Prints items ingested a minute, the overhead ratio, and the resident memory of each round
with its growth from round 2 to the last (flat: a few MB at most). The fetch limits are the
defaults except the pause between two requests to one host and the requests per host,
since every source here is on the same host (127.0.0.1): 0 s and 16.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local news site of the watch's tests

from watch_server import Resource, page, rss, serve  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def articles(count: int, gold: Path) -> list[str]:
    """``count`` distinct article texts (one paragraph a line)."""
    if gold.exists():
        texts = [json.loads(line)["text"] for line in gold.open(encoding="utf-8") if line.strip()]
    else:
        texts = [(ROOT / "examples" / "kursk-ceasefire.txt").read_text(encoding="utf-8")]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]
    rng = random.Random(7)
    return ["\n".join(" ".join(rng.sample(sentences, 4)) for _ in range(5)) for _ in range(count)]


def html(n: int, text: str) -> str:
    return page(f"Story {n}", [p.replace("<", "&lt;") for p in text.splitlines()], published="2025-03-14")


class FolderSite(dict):
    """The site's resources read from files of a folder, as they are when asked."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def get(self, path: str, default=None):
        file = self.folder / path.lstrip("/").replace("/", "__")
        if not file.is_file():
            return default
        kind = "application/rss+xml" if file.name.endswith(".xml") else "text/html; charset=utf-8"
        return Resource(file.read_bytes(), content_type=kind)


def serve_folder(folder: Path) -> None:
    """The local site in a process of its own (its work is the servers', not the watch's)."""
    site = serve()
    site.resources = FolderSite(folder)
    print(site.base, flush=True)
    sys.stdin.read()  # until the benchmark closes the pipe


class Remote:
    """A local site in another process, written through a folder."""

    def __init__(self, folder: Path):
        import subprocess

        self.folder = folder
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", str(folder)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().strip()

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: str, **kwargs) -> None:
        target = self.folder / path.lstrip("/").replace("/", "__")
        temporary = target.with_suffix(target.suffix + ".tmp")
        temporary.write_text(body, encoding="utf-8")
        temporary.replace(target)  # never half-written when the server reads it

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait()


def rss_mb() -> float:
    """Resident memory now (MB), from /proc (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--new", type=int, default=20, help="feeds that gain an item each round after the first")
    ap.add_argument("--engine", choices=["fast", "accurate"], default="fast")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the site's own process
    args = ap.parse_args()
    if args.serve:
        serve_folder(args.serve)
        return

    from onrecord.analysis.pipeline import analyze_many, make_extractor
    from onrecord.corpus import Ingestor, open_corpus
    from onrecord.ingest.html import from_html
    from onrecord.watch import FetchSettings, Source
    from onrecord.watch.loop import Watch, WatchSettings

    texts = articles(args.sources + args.new * (args.rounds - 1), args.gold)
    extractor = make_extractor(engine=args.engine)
    list(analyze_many(texts[:3], extractor=extractor))  # the model loaded and warm before any timing
    from_html(html(0, texts[0]), "warm-up")  # and the HTML reader (trafilatura) imported

    served = tempfile.TemporaryDirectory()
    site = Remote(Path(served.name))
    feeds: dict[int, list[int]] = {i: [i] for i in range(args.sources)}

    def publish() -> None:
        for i, items in feeds.items():
            entries = [(f"/story/{n}", f"Story {n}", "Fri, 14 Mar 2025 10:00:00 GMT") for n in items]
            site.put(f"/feed/{i}.xml", rss(site.base, entries), content_type="application/rss+xml")

    for n, text in enumerate(texts):
        site.put(f"/story/{n}", html(n, text))
    publish()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for n in range(args.sources):
            (folder / f"story-{n:05d}.html").write_text(html(n, texts[n]), encoding="utf-8")
        settings = WatchSettings(fetch=FetchSettings(host_interval=0.0, per_host=16))
        # warm-up: one small watch round and one small ingest into throwaway corpora, so that
        # neither side's timing pays first-use costs (imports, the first queries of a process)
        warm = Path(tmp) / "warm"
        warm.mkdir()
        (warm / "w.html").write_text(html(0, texts[-1]), encoding="utf-8")
        site.put("/warm.xml", rss(site.base, [(f"/story/{len(texts) - 1}", "w", "Fri, 14 Mar 2025 10:00:00 GMT")]),
                 content_type="application/rss+xml")
        Watch(open_corpus(str(Path(tmp) / "warm-watch.db"), writer=True), [Source(site.url("/warm.xml"))],
              extractor=extractor, settings=settings).run_once()
        Ingestor(open_corpus(str(Path(tmp) / "warm-ingest.db"), writer=True), extractor=extractor).ingest([str(warm)])
        sources = [Source(site.url(f"/feed/{i}.xml"), f"feed {i}", "feed", 900) for i in range(args.sources)]

        def first_round(name: str):
            watch = Watch(open_corpus(str(Path(tmp) / name), writer=True), sources, extractor=extractor,
                          settings=settings)
            started = time.perf_counter()
            report = watch.run_once()
            took = time.perf_counter() - started
            print(f"watch round 1 ({name}): {took:.1f} s, {report.line()}")
            return watch, took, report

        def baseline(name: str) -> float:
            ingestor = Ingestor(open_corpus(str(Path(tmp) / name), writer=True), extractor=extractor)
            started = time.perf_counter()
            summary = ingestor.ingest([str(folder)])
            took = time.perf_counter() - started
            print(f"ingest of the same {args.sources} pages ({name}): {took:.1f} s ({summary.line()})")
            return took

        # watch, ingest, ingest, watch: a machine's load drifting during the run weighs on both alike
        watch, watch_a, report = first_round("watch-a.db")
        ingest_a = baseline("ingest-a.db")
        ingest_b = baseline("ingest-b.db")
        _, watch_b, _ = first_round("watch-b.db")
        ratio = (watch_a + watch_b) / (ingest_a + ingest_b)
        print(f"watch round 1 over ingest of the same pages: {ratio:.2f}x (target <= 1.2x)")

        rng = random.Random(3)
        next_story = args.sources
        total_s, total_new, memory = watch_a, report.new, []
        for round_no in range(2, args.rounds + 1):
            for i in rng.sample(range(args.sources), min(args.new, args.sources)):
                feeds[i].append(next_story)
                next_story += 1
            publish()
            started = time.perf_counter()
            report = watch.run_once()
            took = time.perf_counter() - started
            total_s += took
            total_new += report.new
            memory.append(rss_mb())
            print(f"round {round_no}: {took:.1f} s, {report.line()}; resident {memory[-1]:.0f} MB")
        site.close()
        served.cleanup()
    print(f"items ingested a minute: {total_new / total_s * 60:.0f} ({total_new} in {total_s:.1f} s)")
    if len(memory) > 1:
        print(f"resident memory, round 2 to {args.rounds}: {memory[0]:.0f} -> {memory[-1]:.0f} MB "
              f"({memory[-1] - memory[0]:+.0f} MB)")


if __name__ == "__main__":
    main()

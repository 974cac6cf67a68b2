"""Load on loopback: requests/s and latency of the search API and the article page.

    .venv/bin/python benchmarks/bench_web.py [--requests 400] [--concurrency 8] [--seconds 60]
    git worktree add /tmp/base <commit> && .venv/bin/python benchmarks/bench_web.py --baseline /tmp/base

Builds a corpus of the development articles, starts ``onrecord serve`` on a free loopback
port (one uvicorn process), and sends a bounded number of requests (and for at most
``--seconds`` each) from client threads in this process: full-text searches with rotating
words, then the pages (search, article, speaker, the indexes, disputes, quotations) with
rotating ids. With ``--baseline`` an earlier checkout's server is measured first on the same
corpus, and each figure is printed with its ratio to it. The client shares the 2-core machine with the
server, so the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"
WORDS = ["tax", "debate", "police", "election", "climate", "refugees", "russia", "emails", "health", "video",
         "coal", "nato", "voters", "campaign", "court", "economy"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - started, status


def load(urls: list[str], concurrency: int, seconds: float) -> dict:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(lambda u: fetch(u) if time.perf_counter() < deadline else None, url) for url in urls]
        for future in futures:
            result = future.result()
            if result is None:
                continue
            latency, status = result
            latencies.append(latency)
            errors += status != 200
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]}


def endpoints(base: str, requests: int) -> list[tuple[str, list[str]]]:
    """The pages and API calls measured, each a list of URLs rotating over words and ids."""
    ids = [row["id"] for row in json.load(urllib.request.urlopen(base + "/api/articles?size=100"))["rows"]]
    speakers = [row["id"] for row in json.load(urllib.request.urlopen(base + "/api/speakers?size=50"))["rows"]]
    word = [WORDS[n % len(WORDS)] for n in range(requests)]
    return [
        ("search API (/api/statements?q=…&facet=…)",
         [f"{base}/api/statements?q={word[n]}&facet=speaker&facet=type" for n in range(requests)]),
        ("search page (/search?q=…)", [f"{base}/search?q={word[n]}" for n in range(requests)]),
        ("article page (/articles/{id})", [f"{base}/articles/{ids[n % len(ids)]}" for n in range(requests)]),
        ("speaker page (/speakers/{id})", [f"{base}/speakers/{speakers[n % len(speakers)]}" for n in range(requests)]),
        ("speakers index (/speakers?q=…)", [f"{base}/speakers?q={word[n][:2]}" for n in range(requests)]),
        ("articles index (/articles)", [f"{base}/articles?page={1 + n % 4}" for n in range(requests)]),
        ("disputes (/disputes)", [f"{base}/disputes?page={1 + n % 2}" for n in range(requests)]),
        ("quotations (/quotations)", [f"{base}/quotations" for n in range(requests)]),
    ]


def json_twin(url: str) -> str:
    """The JSON twin of a page's URL: ``.json`` after the path, the same query."""
    path, _, query = url.partition("?")
    return f"{path}.json" + (f"?{query}" if query else "")


def serve(db: Path, src: Path) -> tuple[subprocess.Popen, str]:
    """``onrecord serve`` on a free port, with the package from ``src`` first on the path."""
    port = free_port()
    env = {**os.environ, "ONRECORD_TOKEN": "", "PYTHONPATH": str(src / "src")}
    server = subprocess.Popen([sys.executable, "-m", "onrecord.cli", "serve", "--db", str(db), "--port", str(port)],
                              stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/articles?size=1", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def measure(db: Path, src: Path, args) -> dict[str, dict]:
    """Each endpoint's load figures against the server of the tree ``src``; an endpoint that
    tree does not have (an older revision) is left out."""
    server, base = serve(db, src)
    figures = {}
    try:
        for name, urls in endpoints(base, args.requests):
            if fetch(urls[0])[1] == 404:
                continue
            load(urls[:20], args.concurrency, args.seconds)  # warm up
            figures[name] = load(urls, args.concurrency, args.seconds)
            if "/api/" not in urls[0]:  # the page's JSON twin answers too, and as fast
                twins = [fetch(json_twin(u)) for u in urls[:40]]
                figures[name]["twin_errors"] = sum(status != 200 for _, status in twins)
                figures[name]["twin_max_ms"] = 1000 * max(latency for latency, _ in twins)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return figures


def best(kept: dict[str, dict], figures: dict[str, dict]) -> None:
    """Keep, for each endpoint, the round with the most requests a second: noise from other
    work on a shared machine only ever slows a round down."""
    for name, r in figures.items():
        if name not in kept or r["rps"] > kept[name]["rps"]:
            kept[name] = r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rounds", type=int, default=1,
                    help="measure this many times (alternating with the baseline) and keep each endpoint's best")
    ap.add_argument("--baseline", type=Path, metavar="TREE",
                    help="also measure the checkout at TREE (e.g. a git worktree of an earlier commit) in the "
                         "same run, first, and print each figure's ratio to it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "dev.jsonl"
        source.write_text("\n".join(json.dumps({"text": a["text"], "doc_id": a["doc_id"], "title": a["title"],
                                                "published": a["publication_date"], "site": a["publisher"]})
                                    for a in map(json.loads, args.gold.open(encoding="utf-8"))), encoding="utf-8")
        db = Path(tmp) / "web.db"
        subprocess.run([sys.executable, "-m", "onrecord.cli", "ingest", str(source), "--db", str(db), "-q"],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        print(f"{args.requests} requests per endpoint, {args.concurrency} at a time")
        before, after = {}, {}
        for _ in range(args.rounds):  # alternated, so that a busy spell of the machine hits both
            if args.baseline:
                best(before, measure(db, args.baseline, args))
            best(after, measure(db, ROOT, args))
    for name, r in after.items():
        line = (f"{name:44s} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
                f"  ({r['requests']} requests, {r['errors']} errors)")
        if "twin_errors" in r:
            line += f"\n{'  its JSON twin':44s} slowest {r['twin_max_ms']:6.1f} ms of 40, {r['twin_errors']} errors"
        if name in before:
            b = before[name]
            line += (f"\n{'  baseline':44s} {b['rps']:7.1f} req/s  p50 {b['p50_ms']:6.1f} ms  p99 {b['p99_ms']:6.1f} ms"
                     f"  -> req/s ratio {r['rps'] / b['rps']:.2f}")
        print(line)


if __name__ == "__main__":
    main()

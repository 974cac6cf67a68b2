"""Load on loopback: requests/s and latency of the search API and the article page.

    .venv/bin/python benchmarks/bench_web.py [--requests 400] [--concurrency 8] [--seconds 60]

Builds a corpus of the development articles, starts ``onrecord serve`` on a free loopback
port (one uvicorn process), and sends a bounded number of requests (and for at most
``--seconds`` each) from client threads in this process: full-text searches with rotating
words, then article pages with rotating ids. The client shares the 2-core machine with the
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "dev.jsonl"
        source.write_text("\n".join(json.dumps({"text": a["text"], "doc_id": a["doc_id"], "title": a["title"],
                                                "published": a["publication_date"], "site": a["publisher"]})
                                    for a in map(json.loads, args.gold.open(encoding="utf-8"))), encoding="utf-8")
        db = Path(tmp) / "web.db"
        onrecord = [sys.executable, "-m", "onrecord.cli"]
        subprocess.run(onrecord + ["ingest", str(source), "--db", str(db), "-q"], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(onrecord + ["serve", "--db", str(db), "--port", str(port)],
                                  stderr=subprocess.DEVNULL, env={**os.environ, "ONRECORD_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/api/articles?size=1", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            ids = [row["id"] for row in json.load(urllib.request.urlopen(base + "/api/articles?size=100"))["rows"]]
            searches = [f"{base}/api/statements?q={WORDS[n % len(WORDS)]}&facet=speaker&facet=type"
                        for n in range(args.requests)]
            pages = [f"{base}/articles/{ids[n % len(ids)]}" for n in range(args.requests)]
            print(f"{len(ids)} articles; {args.requests} requests per endpoint, {args.concurrency} at a time")
            for name, urls in (("search API (/api/statements?q=…&facet=…)", searches),
                               ("article page (/articles/{id})", pages)):
                load(urls[:20], args.concurrency, args.seconds)  # warm up
                r = load(urls, args.concurrency, args.seconds)
                print(f"{name:44s} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
                      f"  ({r['requests']} requests, {r['errors']} errors)")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

"""A server under hostile analyze requests: its peak memory, and how fast a page answers meanwhile.

Starts ``onrecord serve`` on loopback in a child process, sends ``--clients`` concurrent
``POST /api/analyze`` requests of a worst-case text (a statement every 16 characters, as
long as the server accepts) while requesting ``GET /`` one after another beside them, then
stops the server and reads its peak resident memory (with its analysis workers). Prints one
JSON object.

    python benchmarks/bench_hostile_server.py --clients 8
    python benchmarks/bench_hostile_server.py --clients 2 --compare   # worker processes vs threads, same run
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

WORST_UNIT = "“Yes,” he said. "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, body: bytes | None = None, timeout: float = 120) -> tuple[int, float]:
    """(status, seconds) of one request."""
    started = time.monotonic()
    req = urllib.request.Request(url, data=body, headers={"content-type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return status, time.monotonic() - started


class _watch_memory:
    """The peak resident memory of a process, sampled every 50 ms in a thread."""

    def __init__(self, pid: int):
        import psutil

        self.process, self.peak, self._done = psutil.Process(pid), 0, threading.Event()
        self._gone = psutil.NoSuchProcess
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            try:  # the server and its analysis workers
                family = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in family))
            except self._gone:
                pass
            time.sleep(0.05)

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._done.set()
        self._thread.join()
        return self.peak


def start_server(db: str, port: int, env: dict, config: str | None = None) -> subprocess.Popen:
    extra = ["--config", config] if config else []
    server = subprocess.Popen([sys.executable, "-m", "onrecord.cli", "serve", "--db", db, "--port", str(port), *extra],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def run(clients: int, chars: int, processes: bool = True) -> dict:
    """Measure one server under ``clients`` worst-case analyses of ``chars`` characters,
    analysing in worker processes or (``processes=False``) in its own threads."""
    folder = tempfile.mkdtemp()
    db, port = str(Path(folder) / "c.db"), free_port()
    config = Path(folder) / "onrecord.toml"
    config.write_text(f"[web]\nanalysis_processes = {'true' if processes else 'false'}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    server = start_server(db, port, env, str(config))
    base = f"http://127.0.0.1:{port}"
    request(f"{base}/api/analyze", json.dumps({"text": WORST_UNIT}).encode())  # the model loaded
    body = json.dumps({"text": (WORST_UNIT * (chars // len(WORST_UNIT) + 1))[:chars]}).encode()
    peak = _watch_memory(server.pid)
    results: list[tuple[int, float]] = []
    threads = [threading.Thread(target=lambda: results.append(request(f"{base}/api/analyze", body)))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    pages = []
    while any(thread.is_alive() for thread in threads):
        pages.append(request(f"{base}/")[1])
    for thread in threads:
        thread.join()
    peak_mb = peak.stop() / 2**20
    server.terminate()
    server.wait(30)
    ordered = sorted(pages) or [0.0]
    return {"analysis": "processes" if processes else "threads", "clients": clients, "chars": chars,
            "statuses": sorted(s for s, _ in results),
            "slowest_analyze_s": round(max(t for _, t in results), 2), "pages": len(pages),
            "page_median_s": round(statistics.median(ordered), 3),
            "page_p99_s": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 3),
            "slowest_page_s": round(max(ordered), 3), "pages_over_1s": sum(t > 1 for t in pages),
            "server_peak_mb": round(peak_mb)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--chars", type=int, default=100_000, help="text length (the server's default limit)")
    parser.add_argument("--compare", action="store_true", help="also run with analyses in the server's threads")
    args = parser.parse_args()
    print(json.dumps(run(args.clients, args.chars)))
    if args.compare:
        print(json.dumps(run(args.clients, args.chars, processes=False)))


if __name__ == "__main__":
    main()

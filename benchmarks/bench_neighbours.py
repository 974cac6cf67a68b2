"""Nearest statements by meaning at scale: onrecord's vector index (usearch HNSW, float16,
cosine) on synthetic unit vectors, against exact search (numpy) over the same vectors in
the same run.

    .venv/bin/python benchmarks/bench_neighbours.py [--vectors 1000000] [--queries 200] [--threads 1]

Reports the build time, the query time p50/p99 of the index and of exact search, and the
index's recall@10 against the exact answer. The vectors are clustered (many near copies of
a few thousand "claims", as a corpus holds many printings of one statement) so that the
neighbours are not all equally far, as they would be in uniform noise.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from onrecord.record.similar import VectorIndex


def clustered(n: int, dim: int, centres: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` unit vectors scattered around ``centres`` random unit directions."""
    middle = rng.standard_normal((centres, dim)).astype(np.float32)
    middle /= np.linalg.norm(middle, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        picks = rng.integers(0, centres, stop - start)
        block = middle[picks] + 0.06 * rng.standard_normal((stop - start, dim)).astype(np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--dimensions", type=int, default=768)
    ap.add_argument("--threads", type=int, default=1, help="threads to build the index with")
    args = ap.parse_args()
    rng = np.random.default_rng(3)
    vectors = clustered(args.vectors, args.dimensions, max(10, args.vectors // 50), rng)
    queries = vectors[rng.integers(0, args.vectors, args.queries)] + 0.02 * rng.standard_normal(
        (args.queries, args.dimensions)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    index = VectorIndex(args.dimensions)
    start = time.perf_counter()
    ids = np.arange(1, args.vectors + 1, dtype=np.uint64)
    index.index.add(ids, vectors, threads=args.threads)
    index.count, index.max_id = args.vectors, args.vectors
    built = time.perf_counter() - start
    stored = vectors  # float32: numpy has no fast float16 product
    timings, exact_timings, hits = [], [], 0
    for q in queries:
        t = time.perf_counter()
        found = [i for i, _ in index.search(q, 10)]
        timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        exact = np.argpartition(-(stored @ q), 10)[:10] + 1
        exact_timings.append(time.perf_counter() - t)
        hits += len(set(found) & {int(i) for i in exact})
    ms = np.array(timings) * 1000
    exact_ms = np.array(exact_timings) * 1000
    print(f"{args.vectors:,} vectors of {args.dimensions}; index built in {built:.0f} s ({args.threads} thread(s))")
    print(f"index  query p50 {np.percentile(ms, 50):.2f} ms  p99 {np.percentile(ms, 99):.2f} ms  "
          f"recall@10 {hits / (10 * len(queries)):.3f}")
    print(f"exact  query p50 {np.percentile(exact_ms, 50):.2f} ms  p99 {np.percentile(exact_ms, 99):.2f} ms")
    print(f"HEADLINE neighbours n={args.vectors} p50 {np.percentile(ms, 50):.2f} ms p99 {np.percentile(ms, 99):.2f} ms "
          f"(exact {np.percentile(exact_ms, 50):.1f} ms) recall@10 {hits / (10 * len(queries)):.3f}")


if __name__ == "__main__":
    main()

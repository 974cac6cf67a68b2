"""The server's memory under a flood of worst-case analyses stays bounded (issue 12, item 3)."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_hostile_server.py"


def test_web_memory_eight_worst_case_analyses_stay_under_1_5_gb():
    spec = importlib.util.spec_from_file_location("bench_hostile_server", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(clients=8, chars=100_000)  # the server's default longest text
    assert result["server_peak_mb"] < 1536, result
    assert set(result["statuses"]) <= {200, 422, 503} and 503 in result["statuses"], result
    assert result["slowest_page_s"] < 1, result

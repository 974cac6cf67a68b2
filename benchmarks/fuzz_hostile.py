"""The long fuzz run: the properties of ``tests/fuzz_cases.py`` with many more examples than CI.

Each property is run by hypothesis with ``--examples`` examples (analysis and web with a
tenth of them, as each costs milliseconds more); a failing property is shrunk to its
smallest input and reported, and the others still run. Prints one JSON object: for each
property, how many inputs were tried, whether it held, and the smallest failing input.

    python benchmarks/fuzz_hostile.py --examples 5000
    python benchmarks/fuzz_hostile.py --overshoot          # the limits' overshoot alone

``--overshoot`` runs the hostile texts that used to outlast their limits (thousands of
quotes, a megabyte without punctuation, a run of dashes) under a time limit, and prints how
far past it each answer came (the target is at most 10%).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the strategies live with the tests

from fuzz_cases import (NAMES, check_analysis, check_jsonl_lines, check_output, check_reader,  # noqa: E402
                        nasty_bytes, nasty_text)


def _web_check():
    """A check of the web API on a fresh corpus: no input gives a 500."""
    from fastapi.testclient import TestClient

    from onrecord.web import WebSettings, create_app

    client = TestClient(create_app(WebSettings(db=str(Path(tempfile.mkdtemp()) / "c.db"), token="t")),
                        raise_server_exceptions=False)

    def check(text: str) -> None:
        body = json.dumps({"text": text}).encode()
        status = client.post("/api/analyze", content=body, headers={"content-type": "application/json"}).status_code
        assert status in (200, 400, 413, 422, 503), status
        ingest = json.dumps({"articles": [{"text": text or "x", "title": text}]}).encode()
        status = client.post("/api/articles", content=ingest,
                             headers={"content-type": "application/json", "authorization": "Bearer t"}).status_code
        assert status in (200, 400, 413, 422, 503), status

    return check


def properties() -> dict:
    """name -> (check, strategies, share of the examples)."""
    return {
        "readers": (check_reader, (nasty_bytes(), st.sampled_from(NAMES)), 1.0),
        "jsonl_lines": (check_jsonl_lines, (st.lists(nasty_text(60), min_size=1, max_size=5),), 1.0),
        "output": (check_output, (nasty_text(),), 1.0),
        "analysis": (check_analysis, (nasty_text(2000),), 0.1),
        "web": (_web_check(), (nasty_text(400),), 0.1),
    }


def run(name: str, check, strategies, examples: int) -> dict:
    """Run one property; what was tried and what failed."""
    tried = 0

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.tuples(*strategies))
    def prop(args):
        nonlocal tried
        tried += 1
        check(*args)

    started = time.monotonic()
    try:
        prop()
        outcome = {"held": True}
    except Exception as exc:  # noqa: BLE001 - reported: the point of the run
        outcome = {"held": False, "error": f"{type(exc).__name__}: {str(exc)[:500]}",
                   "falsifying": [n for n in getattr(exc, "__notes__", []) if n.strip()][:3]}
    return {"property": name, "tried": tried, "seconds": round(time.monotonic() - started, 1), **outcome}


#: Texts that once worked far past their time limit, by name.
SLOW_TEXTS = {
    "6,000 quotes": "“Yes,” he said. " * 6000,
    "1.9 MB without punctuation": "word " * 380_000,
    "dashes without spaces": "x—" * 49_000,
}


def overshoot(limit_s: float) -> list[dict]:
    """How long each slow text's analysis ran against ``limit_s`` (it must fail at the limit)."""
    from onrecord.analysis.limits import AnalysisLimitError, AnalysisLimits
    from onrecord.analysis.nlp import get_nlp
    from onrecord.analysis.pipeline import analyze_stream

    get_nlp()
    rows = []
    for name, text in SLOW_TEXTS.items():
        started = time.monotonic()
        _, result = next(analyze_stream([text], limits=AnalysisLimits(max_seconds=limit_s)))
        took = time.monotonic() - started
        rows.append({"text": name, "limit_s": limit_s, "answered_s": round(took, 2),
                     "overshoot": f"{max(0.0, took / limit_s - 1):.0%}",
                     "outcome": type(result).__name__ if isinstance(result, AnalysisLimitError) else "record"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (a tenth for the slow ones)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these properties")
    parser.add_argument("--overshoot", action="store_true", help="only report the time limits' overshoot")
    parser.add_argument("--limit", type=float, default=5.0, help="the time limit for --overshoot, seconds")
    args = parser.parse_args()
    if args.overshoot:
        for row in overshoot(args.limit):
            print(json.dumps(row), flush=True)
        return
    logging.disable(logging.WARNING)  # trafilatura logs every unparsable page
    report = []
    for name, (check, strategies, share) in properties().items():
        if args.only and name not in args.only:
            continue
        report.append(run(name, check, strategies, max(10, int(args.examples * share))))
        print(json.dumps(report[-1]), flush=True)
    print(json.dumps({"failed": [r["property"] for r in report if not r["held"]],
                      "tried": sum(r["tried"] for r in report)}))


if __name__ == "__main__":
    main()

"""The record across stories on the benchmark week (``benchmarks/week``): a denial in other
words, a denial through a restated quotation and one through a restated claim of a body's
head, a surname decided by a quotation beside a namesake, a wire story first: every link
right and nothing extra, on SQLite and PostgreSQL (``benchmarks/eval_week.py`` scores it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from eval_week import evaluate  # noqa: E402


def test_week_every_link_right_and_nothing_extra(db_url):
    figures, errors = evaluate(db_url, "fast")
    assert errors == []
    assert figures["disputes"] == {"made": 3, "right": 3, "gold": 3, "precision": 1.0, "recall": 1.0}
    assert figures["speakers"] == {"joins_right": 3, "joins": 3, "apart_right": 1, "apart": 1}
    assert figures["quotations"] == {"right": 2, "gold": 2, "extra": 0}

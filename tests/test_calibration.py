"""Fitting the accurate engine's confidence: cells, back-off to coarser cells, and the
expected calibration error, on statements made up here (no model runs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))
import calibrate_confidence as cal  # noqa: E402


def _rows(n: int, right: int, **sort) -> list[dict]:
    base = {"origin": "joined", "prob": 0.97, "kind": "direct", "status": "named", "confidence": 0.9}
    return [{**base, **sort, "right": i < right} for i in range(n)]


def test_calibration_band_of_a_probability():
    from onrecord.analysis.rules.confidence import band_of

    assert [band_of(p) for p in (0.1, 0.7, 0.85, 0.949, 0.99)] == ["0.0", "0.7", "0.8", "0.9", "0.98"]


def test_calibration_a_full_cell_decides_and_a_thin_one_backs_off():
    rows = (_rows(40, 30) + _rows(10, 0, kind="mixed")            # mixed: too few of its own
            + _rows(60, 30, origin="rules", prob=None, status="pronoun", kind="indirect"))
    table = cal.fit(rows)
    assert cal.share(table, rows[0]) == 0.75                   # joined|direct|resolved|0.95
    toml = cal.as_toml(table)
    assert '[accurate.joined.direct.resolved]\n"0.95" = 0.75  # 40 statements' in toml
    assert "accurate.joined.mixed" not in toml                 # 10 statements: not written
    assert cal.share(table, rows[45]) == pytest.approx(30 / 50)  # joined|*|resolved|0.95, kinds pooled
    assert cal.share(table, rows[-1]) == 0.5                   # rules|indirect|pronoun
    unresolved = {**rows[0], "status": "unresolved"}
    assert cal.share(table, unresolved) == pytest.approx(30 / 50)  # no unresolved cell: the band's


def test_calibration_expected_error_is_zero_when_confidence_is_the_share_right():
    calibrated = [(0.75, True)] * 3 + [(0.75, False)]
    assert cal.ece(calibrated) == pytest.approx(0.0)
    assert cal.ece([(0.9, False)] * 2 + [(0.3, True)] * 2) == pytest.approx(0.8)
    assert cal.ece([]) == 0.0
    assert cal.reliability(calibrated)[2] == "| 0.7–0.8 | 4 | 0.75 |"


def test_calibration_a_band_too_thin_takes_the_share_of_the_band_below():
    rows = _rows(40, 20, origin="tagger", prob=0.96, kind="indirect") + _rows(5, 5, origin="tagger", prob=0.99)
    table = cal.fit(rows)
    rare = {**rows[-1], "kind": "mixed"}
    assert cal.share(table, rare) == pytest.approx(0.5)  # no counted 0.98 cell: the 0.95 band's, not a guess
    assert cal.share(table, {**rare, "prob": 0.75}) is None  # nothing at or below 0.7 counted: none


def test_calibration_shipped_table_is_the_fit_of_the_committed_out_of_fold_statements():
    """The [accurate] tables of data/confidence.toml are reproducible from what the repository keeps."""
    root = Path(__file__).resolve().parents[1]
    folds = sorted((root / "training" / "calibration").glob("fold*.jsonl.gz"))
    assert folds
    table = cal.fit(r for rows in cal.load_rows(folds) for r in rows)
    shipped = (root / "src" / "onrecord" / "data" / "confidence.toml").read_text(encoding="utf-8")
    assert shipped[shipped.index("[accurate."):] == cal.as_toml(table)

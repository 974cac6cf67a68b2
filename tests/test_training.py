"""Training the tagger: the code path runs for a few steps on a tiny slice, and resumes.

It needs the ``train`` extra (torch, transformers, the MiniLM package); without it these
tests are skipped, except where ``ONRECORD_REQUIRE_TRAIN=1`` (as ``.ci/run`` sets) requires
them. The articles are our own sentences in the training file's schema: no corpus text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "training" / "train_attribution.py"

if os.environ.get("ONRECORD_REQUIRE_TRAIN") != "1":
    pytest.importorskip("torch", reason="the train extra is not installed")
    pytest.importorskip("transformers", reason="the train extra is not installed")

sys.path.insert(0, str(ROOT / "training"))
import train_attribution as ta  # noqa: E402

# -- the tag scheme and the decoder, on a made-up sentence ------------------------------------


TEXT = '"We will win," Smith said, "and soon." Jones thinks taxes will rise.'


def _span(sub: str, start: int = 0) -> list[int]:
    s = TEXT.index(sub, start)
    return [s, s + len(sub)]


def _doc() -> dict:
    c1, c2 = _span("We will win,"), _span("and soon.")
    return {"text": TEXT, "quotes": [
        {"content": [c1[0], c2[1]], "content_spans": [c1, c2], "source": _span("Smith"),
         "source_spans": [_span("Smith")], "cue": _span("said"), "cue_spans": [_span("said")], "kind": "direct"},
        {"content": _span("taxes will rise"), "content_spans": [_span("taxes will rise")],
         "source": _span("Jones"), "source_spans": [_span("Jones")], "cue": _span("thinks"),
         "cue_spans": [_span("thinks")], "kind": "indirect"},
    ]}


def _word_offsets() -> list[tuple[int, int]]:
    """Whitespace-and-punctuation 'wordpieces', enough to exercise the logic without a tokenizer."""
    import re

    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", TEXT)]


def test_training_second_fragment_starts_with_i_content() -> None:
    offsets = _word_offsets()
    tags = [ta.TAGS[t] for t in ta.wordpiece_tags(offsets, _doc())]
    words = [TEXT[s:e] for s, e in offsets]
    assert tags[words.index("We")] == "B-CONTENT"
    assert tags[words.index("and")] == "I-CONTENT"  # continuation, not a new content
    assert tags[words.index("Smith")] == "B-SOURCE"
    assert tags[words.index("taxes")] == "B-CONTENT"


def test_training_gold_tags_decode_back_to_the_gold_attributions() -> None:
    doc = _doc()
    offsets = _word_offsets()
    atts = ta.pair_attributions(TEXT, ta.decode_spans(ta.wordpiece_tags(offsets, doc), offsets))
    assert [list(a.content) for a in atts] == [q["content"] for q in doc["quotes"]]
    assert [TEXT[a.source[0]:a.source[1]] for a in atts] == ["Smith", "Jones"]
    assert [TEXT[a.cue[0]:a.cue[1]] for a in atts] == ["said", "thinks"]


def test_training_windows_cover_the_article() -> None:
    assert ta.window_starts(100) == [0]
    starts = ta.window_starts(600)
    assert starts[0] == 0 and starts[-1] + ta.WINDOW == 600
    assert all(b - a <= ta.STRIDE for a, b in zip(starts, starts[1:]))


def test_training_lenient_match_is_one_to_one() -> None:
    assert ta.lenient_match([(0, 10), (0, 10)], [[0, 10]]) == {0: 0} or ta.lenient_match(
        [(0, 10), (0, 10)], [[0, 10]]) == {1: 0}


# -- a real run, a few steps ----------------------------------------------------------------
def _article(n: int) -> dict:
    text = (f'“We will open the new clinic in spring {n},” the mayor said, “and hire twelve nurses.” '
            f"Council members expect the budget to pass by {n} votes.")
    def span(sub: str) -> list[int]:
        i = text.index(sub)
        return [i, i + len(sub)]
    a, b = span(f"We will open the new clinic in spring {n},"), span("and hire twelve nurses.")
    return {"doc_id": f"made-up-{n}", "text": text, "quotes": [
        {"content": [a[0], b[1]], "content_spans": [a, b], "source": span("the mayor"), "cue": span("said"),
         "kind": "direct"},
        {"content": span(f"the budget to pass by {n} votes"), "source": span("Council members"),
         "cue": span("expect"), "kind": "indirect"}]}


def _run(folder: Path, data: Path, steps: int = 2) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, str(SCRIPT), "--train", str(data), "--dev", str(data), "--out",
                           str(folder), "--epochs", "1", "--max-steps", str(steps), "--batch-size", "2",
                           "--checkpoint-every", "1", "--log-every", "1", "--seed", "7"],
                          capture_output=True, text=True, env=env, timeout=600)


def _checksum(output: str) -> str:
    return output.rsplit("param checksum", 1)[1].split()[0]


def test_training_runs_a_few_steps_resumes_and_is_deterministic(tmp_path):
    data = tmp_path / "tiny.jsonl"
    data.write_text("\n".join(json.dumps(_article(n)) for n in range(6)) + "\n", encoding="utf-8")
    first = _run(tmp_path / "run", data)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "step 2/2" in first.stdout and "eta" in first.stdout and "lenient" in first.stdout
    assert (tmp_path / "run" / "checkpoint").exists() and (tmp_path / "run" / "best" / "tagger.json").exists()
    again = _run(tmp_path / "run", data)  # the same command again: it resumes, it does not start over
    assert again.returncode == 0, again.stdout + again.stderr
    assert "resumed from" in again.stdout and "step 2/2" in again.stdout
    twin = _run(tmp_path / "twin", data)  # a fresh run with the same seed: the same weights
    assert _checksum(twin.stdout) == _checksum(first.stdout)

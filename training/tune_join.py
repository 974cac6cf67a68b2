#!/usr/bin/env python3
"""Score ways of joining the learned tagger with the rules on dev, the tagger run once.

    ONRECORD_MODEL_DIR=FOLDER .venv/bin/python training/tune_join.py \
        --config join=model.join.v1 --config join=model.join.v2,boundary=0.5,added=0.6

Each ``--config`` names the join step (or ``engine=model``: the tagger alone) and, optionally, the two thresholds of
``analysis/model/steps.py`` (``added``: least confidence of a tagger attribution that no
rule found; ``boundary``: least confidence of a tagger content whose edges replace a rule
draft's; ``listed``: least confidence of a tagger attribution ``model.join.v3`` lists;
``decode=viterbi``: tags read under the tag grammar, not piece by piece, with
``transitions=FILE`` (``training/tag_transitions.py``) weighing in at ``weight``;
``edges=tagger``, ``missed=drop``, ``speaker=tagger``: the join's measuring switches
(``analysis/model/steps.py``); ``unsaid=drop`` with ``engine=model``: the rules' "will say"
filter on the tagger alone;
``mixed=tagger``: v3 takes the tagger's edges for partly quoted drafts too; ``nested=drop``:
v3 drops a rule draft the tagger missed when it overlaps any listed statement). The tagger's probabilities are computed once per text and reused by every
config (``--probs-cache DIR`` keeps them between runs; ``--stride N`` reads with windows N
pieces apart); each config is scored with the development set's own scorer. Global settings
only: nothing here looks at single sentences.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from onrecord import ArticleInput, analyze_many
from onrecord.analysis.engine import ENGINES
from onrecord.analysis.model import decode as model_decode
from onrecord.analysis.model import steps as model_steps
from onrecord.analysis.model import tagger as tagger_module
from onrecord.analysis.pipeline import make_extractor

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"


def cache_tagger(folder: Path | None = None) -> None:
    """Make the shipped tagger remember each text's probabilities (one tagger run per text);
    with ``folder``, also on disk, so that later runs of decoding variants skip the tagger."""
    tagger = tagger_module.get_tagger()
    compute = tagger.probabilities

    @lru_cache(maxsize=None)
    def remembered(text: str):
        if folder is None:
            return compute(text)
        path = folder / (hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".npz")
        if path.exists():
            with np.load(path) as saved:
                return tagger_module.TagProbabilities(saved["offsets"], saved["probs"])
        probs = compute(text)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(path, offsets=probs.offsets, probs=probs.probs)
        return probs

    def probabilities(text: str):
        probs = remembered(text)
        return type(probs)(probs.offsets.copy(), probs.probs)

    tagger.probabilities = probabilities


def scorer():
    spec = importlib.util.spec_from_file_location("score_attribution", GOLD.parent / "score_attribution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_config(text: str) -> dict:
    config = {"join": "model.join.v1"}
    for part in text.split(","):
        key, _, value = part.partition("=")
        config[key.strip()] = value.strip()
    return config


def run(config: dict, items: list[ArticleInput], gold: list[dict], score_module) -> dict:
    model_steps.MIN_ADDED_CONFIDENCE = float(config.get("added", 0.8))
    model_steps.MIN_BOUNDARY_CONFIDENCE = float(config.get("boundary", 0.6))
    model_steps.MIN_LISTED_CONFIDENCE = float(config.get("listed", 0.7))
    model_steps.TAGGER_EDGES_FOR_MIXED = config.get("mixed", "rules") == "tagger"
    model_steps.TAGGER_EDGES_ALWAYS = config.get("edges", "rules") == "tagger"
    model_steps.KEEP_MISSED_RULES = config.get("missed", "keep") == "keep"
    model_steps.TAGGER_SPEAKER_FIRST = config.get("speaker", "rules") == "tagger"
    model_steps.KEEP_NESTED_RULES = config.get("nested", "keep") == "keep"
    model_decode.DECODING = config.get("decode", "argmax")
    if config.get("transitions"):
        model_decode.TRANSITIONS = np.asarray(json.loads(Path(config["transitions"]).read_text())["between"])
        model_decode.TRANSITION_WEIGHT = float(config.get("weight", 0.5))
    else:
        model_decode.TRANSITIONS = None
    if config.get("engine") == "model":  # the tagger alone, speakers by onrecord's resolver
        steps = list(ENGINES["model"])
        if config.get("unsaid") == "drop":  # the rules' "will announce" is not said yet
            steps.insert(steps.index("model.only.v1") + 1, "unsaid.v1")
    else:
        steps = [config["join"] if s.startswith("model.join.") else s for s in ENGINES["accurate"]]
    started = time.perf_counter()
    records = {r.doc_id: score_module.as_quotes(json.loads(r.model_dump_json()))
               for r in analyze_many(items, extractor=make_extractor(steps=steps, engine="accurate"))}
    c, _, kind_attr, matched, speaker_right, _, _ = score_module.score(gold, records)
    f1 = lambda n: round(score_module.prf(n.tp, n.pred, n.gold)[2], 4)  # noqa: E731
    return {"config": config, "seconds": round(time.perf_counter() - started, 1),
            "attribution": f1(c["attr"]), "lenient": f1(c["lenient"]), "exact": f1(c["exact"]),
            **{k: f1(v) for k, v in kind_attr.items()}, "pred": c["attr"].pred, "tp": c["attr"].tp,
            "speaker_on_matched": round(speaker_right / matched, 4) if matched else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", action="append", required=True)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--out", type=Path, default=None, help="append one JSON line a config here")
    ap.add_argument("--stride", type=int, default=None,
                    help="windows start this many pieces apart (default: the model's own)")
    ap.add_argument("--window", type=int, default=None,
                    help="windows of this many pieces (default: the model's own, as trained)")
    ap.add_argument("--probs-cache", type=Path, default=None,
                    help="keep the tagger's probabilities here (by text digest; delete it when the model changes)")
    args = ap.parse_args()
    gold = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    items = [ArticleInput(a["text"], a.get("publication_date"), doc_id=a["doc_id"], title=a.get("title"))
             for a in gold]
    if args.stride:
        tagger_module.get_tagger().stride = args.stride
    if args.window:
        tagger_module.get_tagger().window = args.window
    cache_tagger(args.probs_cache)
    module = scorer()
    for text in args.config:
        result = run(parse_config(text), items, gold, module)
        line = json.dumps(result, default=str)
        print(line, flush=True)
        if args.out:
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")


if __name__ == "__main__":
    sys.exit(main())

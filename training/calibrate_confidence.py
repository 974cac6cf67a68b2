#!/usr/bin/env python3
"""Fit the accurate engine's confidence on out-of-fold predictions of the training split.

A statement's confidence should be the share of statements like it that are right. For
the accurate engine "like it" is who found it (the tagger alone, a rule's draft the tagger
read too, or a rule's draft alone: ``analysis/rules/confidence.py``, ``origin``), its kind,
the tagger's probability and how its speaker was found. Those shares must be counted on
annotated news the tagger did not learn from: out-of-fold. Each fold's tagger is trained on
the rest of the training split with the shipped recipe (``train_attribution.py --fold K/N
--stop-after-epoch 2``) and reads the fold it never saw; the shipped table is fold 0 of 2
(``training/calibration/``, training/README.md "Out-of-fold confidence"). Dev is never used
to fit, only to check.

    # 1. a fold's held-out articles, read by that fold's tagger (ships and assembles its best/)
    .venv/bin/python training/calibrate_confidence.py collect --gold ../shared/eval/polnear-train.jsonl \\
        --fold 0/2 --run runs/oof2/fold0 --encoder runs/all-mpnet-base-v2 --out runs/oof2/fold0/statements.jsonl
    # 2. the table, from every fold collected (cross-validated: each fold also scored by the others' table)
    .venv/bin/python training/calibrate_confidence.py fit training/calibration/fold*.jsonl.gz --out runs/oof2/table.json
    # 3. dev, read by the shipped tagger: reliability and expected calibration error, before and after
    .venv/bin/python training/calibrate_confidence.py collect --gold ../shared/eval/polnear-dev.jsonl \\
        --out runs/oof2/dev-statements.jsonl
    .venv/bin/python training/calibrate_confidence.py check runs/oof2/table.json runs/oof2/dev-statements.jsonl
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "training"))

#: A cell with fewer statements than this is not written: its statements take a coarser cell's share.
MIN_CELL = 25
#: Equal-width bins of the expected calibration error.
ECE_BINS = 10


# -- collect ------------------------------------------------------------------------------------

def assembled_fold(run: Path, encoder: Path) -> Path:
    """The run's best adapters shipped as a delta and assembled (once) into ``run/cache``."""
    delta = run / "delta"
    if not (delta / "tagger.json").exists():
        subprocess.run([sys.executable, str(ROOT / "training" / "ship_lora.py"), "--best", str(run / "best"),
                        "--encoder", str(encoder), "--out", str(delta)], check=True)
    from onrecord.analysis.model.assemble import assemble

    return assemble(delta, run / "cache")


def collect(gold_path: Path, fold: tuple[int, int] | None, out: Path, limit: int | None = None) -> int:
    """Run the accurate engine on the articles and write one line per statement: its sort
    and whether it is right (content and speaker, as the set's scorer judges)."""
    from reliability import judged_records
    from train_attribution import held_out, load_jsonl

    from onrecord import ArticleInput, analyze_many
    from onrecord.analysis.engine import ENGINES
    from onrecord.analysis.pipeline import make_extractor
    from onrecord.analysis.registry import step
    from onrecord.analysis.rules.confidence import origin, speaker_status

    docs = load_jsonl(gold_path)
    if fold is not None:
        docs = held_out(docs, fold)
    docs = docs[:limit]
    sorts: dict[str, list[dict[str, Any]]] = {}

    @step("calibration.sorts.v1", needs=("drafts", "entities", "kinds"))
    def remember_sorts(ctx: Any) -> tuple[()]:
        rows = []
        for draft, entity, kind in zip(ctx.drafts, ctx.entities, ctx.kinds):
            found_by, prob = origin(draft)
            rows.append({"origin": found_by, "prob": prob, "kind": kind, "status": speaker_status(draft, entity)})
        sorts[ctx.text] = rows
        return ()  # it makes no product: it only looks

    extractor = make_extractor(steps=[*ENGINES["accurate"], "calibration.sorts.v1"], engine="accurate")
    items = [ArticleInput(d["text"], d.get("publication_date"), doc_id=d["doc_id"], title=d.get("title"))
             for d in docs]
    texts = {d["doc_id"]: d["text"] for d in docs}
    records = []
    for n, record in enumerate(analyze_many(items, extractor=extractor), 1):
        records.append(json.loads(record.model_dump_json()))
        if n % 20 == 0:
            print(f"{n}/{len(items)} articles", file=sys.stderr, flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc_id, i, confidence, right, _ in judged_records(gold_path, records):
            row = {"doc_id": doc_id, "i": i, **sorts[texts[doc_id]][i], "confidence": confidence, "right": bool(right)}
            fh.write(json.dumps(row) + "\n")
            count += 1
    return count


# -- fit and check ------------------------------------------------------------------------------

def keys(row: dict[str, Any], bands_below: bool = True) -> list[str]:
    """A statement's cells, most specific first (``analysis/rules/confidence.py``); with
    ``bands_below``, also the lower bands it backs off to when looked up."""
    from onrecord.analysis.rules.confidence import cells

    return cells(row["origin"], row["prob"], row["kind"], row["status"], bands_below=bands_below)


def fit(rows: Iterable[dict[str, Any]]) -> dict[str, list[float]]:
    """Every cell's [statements, right, share right] (a statement counted in its own band only)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for key in keys(row, bands_below=False):
            counts[key][0] += 1
            counts[key][1] += row["right"]
    return {k: [n, r, round(r / n, 3)] for k, (n, r) in sorted(counts.items())}


def share(table: dict[str, list[float]], row: dict[str, Any]) -> float | None:
    """The share right of the first of a statement's cells that holds ``MIN_CELL`` statements."""
    for key in keys(row):
        cell = table.get(key)
        if cell is not None and cell[0] >= MIN_CELL:
            return cell[2]
    return None


def as_toml(table: dict[str, list[float]]) -> str:
    """The cells with enough statements, as ``confidence.toml``'s ``[accurate]`` tables."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, (n, _, value) in table.items():
        if n >= MIN_CELL:
            *path, last = key.split("|")
            groups[".".join(["accurate", *path])].append(f'"{last}" = {value}  # {int(n)} statements')
    return "\n\n".join(f"[{name}]\n" + "\n".join(lines) for name, lines in sorted(groups.items())) + "\n"


def ece(pairs: Sequence[tuple[float, bool]]) -> float:
    """Expected calibration error: per equal-width bin, |share right - mean confidence|, weighted."""
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for conf, right in pairs:
        bins[min(ECE_BINS - 1, int(conf * ECE_BINS))].append((conf, right))
    total = len(pairs)
    return sum(abs(sum(r for _, r in cell) / len(cell) - sum(c for c, _ in cell) / len(cell)) * len(cell) / total
               for cell in bins.values()) if total else 0.0


def reliability(pairs: Sequence[tuple[float, bool]]) -> list[str]:
    """The reliability table as Markdown rows: band, statements, share right."""
    bins: dict[int, list[bool]] = defaultdict(list)
    for conf, right in pairs:
        bins[min(ECE_BINS - 1, int(conf * ECE_BINS))].append(right)
    rows = ["| confidence | statements | share right |", "| --- | --- | --- |"]
    for b in sorted(bins):
        cell = bins[b]
        rows.append(f"| {b / ECE_BINS:.1f}–{(b + 1) / ECE_BINS:.1f} | {len(cell)} | {sum(cell) / len(cell):.2f} |")
    return rows


def load_rows(paths: Sequence[Path]) -> list[list[dict[str, Any]]]:
    """Each file's collected statements (JSON Lines, or gzipped as the repository keeps them)."""
    def lines(p: Path) -> Iterable[str]:
        with (gzip.open(p, "rt", encoding="utf-8") if p.suffix == ".gz" else p.open(encoding="utf-8")) as fh:
            yield from fh
    return [[json.loads(line) for line in lines(p) if line.strip()] for p in paths]


def report(label: str, table: dict[str, list[float]], rows: list[dict[str, Any]]) -> None:
    """ECE before and after, and the refitted reliability table. A statement none of whose
    cells the table counts keeps the confidence it has now, as ``confidence.v2`` does."""
    before = [(r["confidence"], r["right"]) for r in rows if r["confidence"] is not None]
    shares = [share(table, r) for r in rows]
    fitted = [(s if s is not None else r["confidence"], r["right"])
              for s, r in zip(shares, rows) if s is not None or r["confidence"] is not None]
    kept = sum(s is None for s in shares)
    print(f"== {label}: {len(rows)} statements ({kept} outside the table keep their confidence); "
          f"ECE now {ece(before):.3f}, refitted {ece(fitted):.3f}")
    print("\n".join(reliability(fitted)))


def main(argv: Sequence[str] | None = None) -> None:
    from train_attribution import parse_fold

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect", help="statements of the accurate engine, their sorts, right or not")
    c.add_argument("--gold", type=Path, required=True)
    c.add_argument("--fold", type=parse_fold, default=None, metavar="K/N", help="only the articles fold K holds out")
    c.add_argument("--run", type=Path, default=None, help="a fold's training run (its best/ is the tagger)")
    c.add_argument("--encoder", type=Path, default=None, help="the base the run was trained on (with --run)")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--limit", type=int, default=None, help="the first N articles only (a quick look)")
    c.add_argument("--probs-cache", type=Path, default=None,
                   help="tagger probabilities kept by tune_join.py for this same model (skips the tagger)")
    f = sub.add_parser("fit", help="the table from collected out-of-fold statements, each fold checked by the rest")
    f.add_argument("collected", type=Path, nargs="+")
    f.add_argument("--out", type=Path, required=True)
    k = sub.add_parser("check", help="a fitted table on other statements (dev): reliability and ECE")
    k.add_argument("table", type=Path)
    k.add_argument("collected", type=Path)
    args = ap.parse_args(argv)
    if args.command == "collect":
        if args.run is not None:
            if args.encoder is None:
                ap.error("--run needs --encoder, the base folder it was trained on")
            os.environ["ONRECORD_MODEL_DIR"] = str(assembled_fold(args.run, args.encoder))
        if args.probs_cache is not None:
            from tune_join import cache_tagger

            cache_tagger(args.probs_cache)
        print(f"wrote {collect(args.gold, args.fold, args.out, args.limit)} statements to {args.out}")
    elif args.command == "fit":
        folds = load_rows(args.collected)
        for n, held in enumerate(folds):
            if len(folds) > 1:
                report(f"{args.collected[n]} by the other folds' table",
                       fit(r for m, rows in enumerate(folds) if m != n for r in rows), held)
        table = fit(r for rows in folds for r in rows)
        args.out.write_text(json.dumps(table, indent=1))
        args.out.with_suffix(".toml").write_text(as_toml(table))
        report("all folds, in-sample", table, [r for rows in folds for r in rows])
        print(f"wrote {args.out} and {args.out.with_suffix('.toml')} (for data/confidence.toml)")
    else:
        report(str(args.collected), json.loads(args.table.read_text()), load_rows([args.collected])[0])


if __name__ == "__main__":
    main()

"""Score the record across stories on a week of stories of our own (``benchmarks/week/``):
dispute links across stories, speaker joins and namesakes kept apart, quotations and their
first printing, against what a careful reader links (``week/gold.json``).

    .venv/bin/python benchmarks/eval_week.py                  # SQLite, the fast engine
    .venv/bin/python benchmarks/eval_week.py --engine accurate
    .venv/bin/python benchmarks/eval_week.py --db postgresql://127.0.0.1/test   # an empty database

Prints precision and recall of the corpus dispute links (every link the record makes is
counted, so an extra link costs precision), joins right / wrong, quotations right, and every
error with the record's evidence; ``--json`` prints the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

HERE = Path(__file__).parent / "week"
sys.path.insert(0, str(HERE))

from stories import write_jsonl  # noqa: E402

from onrecord.cli import main  # noqa: E402


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    if result.exit_code != 0:
        raise SystemExit(f"onrecord {' '.join(args)} failed: {result.output}")
    return result.stdout


def _statements(db: str) -> list[dict]:
    """Every statement, with ``statement_id``, ``doc_id``, ``content``, the article speaker's
    name (``speaker``) and its identity's name (``identity``)."""
    identities = {row["id"]: row["name"] for row in json.loads(
        _run("speakers", "--db", db, "--format", "json", "--limit", "100000", "--descriptions"))}
    rows = [json.loads(line) for line in _run("export", "statements", "--db", db).splitlines() if line.strip()]
    return [{"statement_id": r["id"], "doc_id": r["doc_id"], "content": r["content"], "speaker": r["speaker"],
             "identity_id": r["identity_id"], "identity": identities.get(r["identity_id"])} for r in rows]


def _find(statements: list[dict], doc: str, words: str) -> dict | None:
    return next((s for s in statements if s["doc_id"] == doc and words.lower() in s["content"].lower()), None)


def score_disputes(db: str, gold: list[dict], statements: list[dict]) -> tuple[dict, list[str]]:
    """Precision and recall of the links across stories, and the errors."""
    made = [r for r in json.loads(_run("disputes", "--db", db, "--format", "json", "--limit", "10000"))
            if r["scope"] == "corpus"]
    by_id = {s["statement_id"]: s for s in statements}
    right, errors, found = 0, [], set()
    for link in made:
        denial, claim = by_id.get(link["denial"]["statement_id"]), by_id.get(link["claim"]["statement_id"])
        match = next((n for n, g in enumerate(gold) if denial and claim
                      and denial["doc_id"] == g["denial"][0] and g["denial"][1].lower() in denial["content"].lower()
                      and claim["doc_id"] == g["claim"][0] and claim["identity"] == g["claim"][1]), None)
        if match is not None and match not in found:
            right += 1
            found.add(match)
        else:
            errors.append(f"extra link: {link['claim']['doc_id']} ({link['claim']['speaker']}) <- "
                          f"{link['denial']['doc_id']} ({link['denial']['speaker']}) {link.get('evidence')}")
    errors += [f"missed: {g['claim']} <- {g['denial']} ({g['why']})" for n, g in enumerate(gold) if n not in found]
    return {"made": len(made), "right": right, "gold": len(gold),
            "precision": round(right / len(made), 3) if made else 1.0,
            "recall": round(right / len(gold), 3) if gold else 1.0}, errors


def score_speakers(gold: dict, statements: list[dict]) -> tuple[dict, list[str]]:
    """Joins right (the surname-only speaker's statements are the identity's) and namesakes kept apart."""
    errors, right = [], 0
    for g in gold["joins"]:
        doc, name = g["speaker"]
        said = [s for s in statements if s["doc_id"] == doc and s["speaker"] == name]
        if said and all(s["identity"] == g["identity"] for s in said):
            right += 1
        else:
            errors.append(f"not joined: '{name}' of {doc} to {g['identity']} ({g['why']}); "
                          f"its identities are {sorted({str(s['identity']) for s in said})}")
    apart = 0
    for g in gold["apart"]:
        doc, name = g["speaker"]
        if any(s["identity"] == g["not"] for s in statements if s["doc_id"] == doc and s["speaker"] == name):
            errors.append(f"joined wrongly: '{name}' of {doc} to {g['not']} ({g['why']})")
        else:
            apart += 1
    return {"joins_right": right, "joins": len(gold["joins"]), "apart_right": apart, "apart": len(gold["apart"])}, errors


def score_quotations(db: str, gold: list[dict]) -> tuple[dict, list[str]]:
    """Quotations grouped with every printing and the right first printing."""
    made = json.loads(_run("quotes", "--db", db, "--format", "json", "--limit", "10000"))
    errors, right = [], 0
    for g in gold:
        q = next((q for q in made if q["speaker"]["name"] == g["speaker"] and g["words"].lower() in q["text"].lower()),
                 None)
        if q is None:
            errors.append(f"no quotation of {g['speaker']}: {g['words']!r}")
            continue
        printed = sorted(a["doc_id"] for a in q["appearances"])
        if q["first"]["doc_id"] == g["first"] and printed == sorted(g["printed_in"]):
            right += 1
        else:
            errors.append(f"quotation {g['words']!r}: first {q['first']['doc_id']} ({q['first']['why']}), "
                          f"printed in {printed}; wanted first {g['first']}, printed in {sorted(g['printed_in'])}")
    extra = [q for q in made if not any(q["speaker"]["name"] == g["speaker"] and g["words"].lower() in q["text"].lower()
                                        for g in gold)]
    errors += [f"extra quotation: {q['speaker']['name']}: {q['text'][:60]!r}" for q in extra]
    return {"right": right, "gold": len(gold), "extra": len(extra)}, errors


def evaluate(db: str, engine: str) -> tuple[dict, list[str]]:
    """Ingest the week into ``db`` and score what the record links."""
    gold = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        _run("ingest", str(write_jsonl(Path(folder) / "week.jsonl")), "--db", db, "--engine", engine, "-q")
    statements = _statements(db)
    disputes, e1 = score_disputes(db, gold["disputes"], statements)
    speakers, e2 = score_speakers(gold, statements)
    quotations, e3 = score_quotations(db, gold["quotations"])
    return {"engine": engine, "disputes": disputes, "speakers": speakers, "quotations": quotations}, e1 + e2 + e3


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--db", help="an empty database URL (default: a new SQLite file)")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures, errors = evaluate(args.db or str(Path(folder) / "week.db"), args.engine)
    if args.json:
        print(json.dumps(figures))
        return
    d, s, q = figures["disputes"], figures["speakers"], figures["quotations"]
    print(f"engine {args.engine}: disputes across stories P {d['precision']:.3f} R {d['recall']:.3f} "
          f"({d['right']} right of {d['made']} made, {d['gold']} in the gold)")
    print(f"speaker joins {s['joins_right']}/{s['joins']} right, namesakes apart {s['apart_right']}/{s['apart']}")
    print(f"quotations {q['right']}/{q['gold']} right (first printing and every printing), {q['extra']} extra")
    for error in errors:
        print("  " + error)


if __name__ == "__main__":
    main_()

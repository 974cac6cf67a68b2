"""Validate benchmarks/claims/pairs.jsonl and print counts by kind and label.

Usage: python benchmarks/claims/check_pairs.py [path]
Exits non-zero on any problem.
"""
import collections
import json
import pathlib
import sys

KIND_LABEL = {
    "paraphrase": "same",
    "restatement": "same",
    "same_topic": "different",
    "negation": "different",
    "number": "different",
    "unrelated": "different",
}
FIELDS = {"id", "a", "b", "label", "kind", "note"}


def main(path):
    errors = []
    rows = []
    for n, line in enumerate(pathlib.Path(path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad JSON: {e}")
            continue
        if not isinstance(r, dict) or set(r) != FIELDS:
            errors.append(f"line {n}: fields {sorted(r) if isinstance(r, dict) else type(r)}")
            continue
        if r["kind"] not in KIND_LABEL:
            errors.append(f"line {n}: unknown kind {r['kind']!r}")
        elif KIND_LABEL[r["kind"]] != r["label"]:
            errors.append(f"line {n}: kind {r['kind']} needs label {KIND_LABEL[r['kind']]}")
        for k in ("a", "b"):
            if not isinstance(r[k], str) or not r[k].strip() or r[k] != r[k].strip():
                errors.append(f"line {n}: empty or unstripped {k}")
        if r["a"] == r["b"]:
            errors.append(f"line {n}: a == b")
        if r["kind"] != "unrelated" and not r["note"].strip():
            errors.append(f"line {n}: missing note")
        rows.append(r)
    ids = collections.Counter(r["id"] for r in rows)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    pairs = collections.Counter(frozenset((r["a"], r["b"])) for r in rows)
    errors += [f"duplicate pair {sorted(p)}" for p, c in pairs.items() if c > 1]

    by_kind = collections.Counter(r["kind"] for r in rows)
    by_label = collections.Counter(r["label"] for r in rows)
    lens = [len(r[k].split()) for r in rows for k in ("a", "b")]
    print(f"pairs: {len(rows)}")
    for label in ("same", "different"):
        print(f"  {label}: {by_label[label]}")
        for kind, lab in KIND_LABEL.items():
            if lab == label:
                print(f"    {kind}: {by_kind[kind]}")
    if lens:
        print(f"statement length in words: min {min(lens)}, max {max(lens)}, "
              f"mean {sum(lens) / len(lens):.1f}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    default = pathlib.Path(__file__).with_name("pairs.jsonl")
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))

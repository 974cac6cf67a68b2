"""Compare two files of onrecord records byte for byte, the ``extractor`` field set aside.

    python benchmarks/compare_records.py BEFORE.jsonl AFTER.jsonl

A refactoring of the engine must not change what it extracts: run ``onrecord extract
--jsonl`` (or ``--json``) before and after, then compare. New fields such as ``extractor``
are removed from AFTER before comparing; every other byte must be the same. Prints the first
differing record and exits 1 when they differ.
"""

from __future__ import annotations

import re
import sys

# the extractor field is the record's last: `,"extractor":{...}` (or its indented form)
_EXTRACTOR = re.compile(r',\s*"extractor":\s*(\{[^{}]*\}|null)(?=\s*\}\s*$)', re.S)


def strip_extractor(record: str) -> str:
    """A record's JSON text without its ``extractor`` field."""
    return _EXTRACTOR.sub("", record)


def split_records(text: str) -> list[str]:
    """Records of a file: one per line, or one indented object for the whole file."""
    stripped = text.strip()
    if stripped.startswith("{") and "\n" in stripped and stripped.count("\n{") == 0 and '\n  "' in stripped:
        return [stripped]
    return [line for line in text.splitlines() if line.strip()]


def main() -> int:
    before_path, after_path = sys.argv[1:3]
    before = split_records(open(before_path, encoding="utf-8").read())
    after = [strip_extractor(r) for r in split_records(open(after_path, encoding="utf-8").read())]
    if len(before) != len(after):
        print(f"different number of records: {len(before)} before, {len(after)} after")
        return 1
    for n, (a, b) in enumerate(zip(before, after), 1):
        if a != b:
            k = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y) if any(x != y for x, y in zip(a, b)) else min(len(a), len(b))
            print(f"record {n} differs at character {k}:\n  before: ...{a[max(0, k - 150):k + 150]}\n  after:  ...{b[max(0, k - 150):k + 150]}")
            return 1
    print(f"identical: {len(before)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A newsroom's list of people (or Wikidata ids) that pins identities: ``id,name,aliases,...``."""

from __future__ import annotations

import csv
import json
import re

from sqlalchemy.engine import Engine

from ..store import user_queries

KINDS = ("person", "organization", "place")


class PeopleFileError(ValueError):
    """A people file onrecord cannot read, with the line at fault."""


def read_people(path: str) -> list[dict]:
    """The rows of a people CSV, checked: ``id`` and ``name`` on every row, ids unique."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "id" not in fields or "name" not in fields:
            raise PeopleFileError(f"{path}: the first line must name the columns, with at least id and name "
                                  f"(found: {', '.join(fields) or 'nothing'})")
        rows, seen = [], set()
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not row.get("id") or not row.get("name"):
                raise PeopleFileError(f"{path}:{line}: every person needs an id and a name")
            if row["id"] in seen:
                raise PeopleFileError(f"{path}:{line}: id {row['id']!r} is given twice")
            kind = row.pop("kind", "") or "person"
            if kind not in KINDS:
                raise PeopleFileError(f"{path}:{line}: kind {kind!r} is not one of {', '.join(KINDS)}")
            seen.add(row["id"])
            aliases = [a.strip() for a in re.split(r"[;|]", row.pop("aliases", "")) if a.strip()]
            rows.append({"id": row.pop("id"), "name": row.pop("name"), "aliases": json.dumps(aliases),
                         "kind": kind, "extra": json.dumps(row, ensure_ascii=False)})
    return rows


def import_people(engine: Engine, path: str) -> int:
    """Store (or update by id) the people of a CSV file; returns how many."""
    rows = read_people(path)
    with engine.begin() as conn:
        user_queries.replace_people(conn, rows)
    return len(rows)

"""Exports carry what the record holds: a round trip through each format, read back with pyarrow
(and the csv module), compared with the database itself."""

from __future__ import annotations

import csv
import json

import pyarrow.json as pj
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from corpus_data import FLOOD, REPAIRS
from sqlalchemy import func, select

from onrecord.cli import main
from onrecord.store.db import database_url, make_engine
from onrecord.store.queries import EXPORT_COLUMNS
from onrecord.store.schema import disputes, speaker_aliases, statements


@pytest.fixture
def db(tmp_path, db_url):
    lines = [{"text": FLOOD, "doc_id": "flood", "published": "2025-03-11", "authors": ["Rita Gomez", "Ann Lee"]},
             {"text": REPAIRS, "doc_id": "repairs", "published": "2025-03-12", "site": "wire.example"}]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(tmp_path / "wire.jsonl"), "--db", db_url]).exit_code == 0
    return db_url


def _truth(db_url):
    with make_engine(database_url(db_url)).connect() as conn:
        links = set(conn.execute(select(disputes.c.denial_id, disputes.c.claim_id)).all())
        aliases: dict[int, set[str]] = {}
        for speaker_id, alias in conn.execute(select(speaker_aliases.c.speaker_id, speaker_aliases.c.alias)):
            aliases.setdefault(speaker_id, set()).add(alias)
        counts = dict(conn.execute(select(statements.c.speaker_id, func.count())
                                   .where(statements.c.speaker_id.is_not(None)).group_by(statements.c.speaker_id)).all())
        n = conn.execute(select(func.count()).select_from(statements)).scalar()
    return links, aliases, counts, n


def _export(db_url, table, fmt, path):
    result = CliRunner().invoke(main, ["export", table, "--format", fmt, "--out", str(path), "--db", db_url])
    assert result.exit_code == 0, result.output


def _read(path, fmt) -> list[dict]:
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    if fmt == "jsonl":
        return pj.read_json(path).to_pylist()
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:  # CSV: lists are ;-joined, numbers text
        for key in ("denies", "denied_by"):
            if key in row:
                row[key] = [int(x) for x in row[key].split(";") if x]
        if "aliases" in row:
            row["aliases"] = [x for x in row["aliases"].split(";") if x]
        for key in ("id", "statements"):
            if key in row:
                row[key] = int(row[key])
    return rows


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trip_matches_the_database(db, tmp_path, fmt):
    links, aliases, counts, n = _truth(db)
    assert links  # the council's denial of the residents' accusation
    _export(db, "statements", fmt, tmp_path / f"s.{fmt}")
    rows = _read(tmp_path / f"s.{fmt}", fmt)
    assert len(rows) == n and list(rows[0]) == EXPORT_COLUMNS["statements"]
    exported = {(r["id"], c) for r in rows for c in r["denies"]}
    assert exported == links
    assert {(c, r["id"]) for r in rows for c in r["denied_by"]} == links
    assert {r["doc_id"] for r in rows} == {"flood", "repairs"}
    _export(db, "speakers", fmt, tmp_path / f"p.{fmt}")
    speakers = _read(tmp_path / f"p.{fmt}", fmt)
    assert {r["id"]: set(r["aliases"]) for r in speakers if r["id"] in aliases} == aliases
    assert {r["id"]: r["statements"] for r in speakers if r["statements"]} == counts
    by_type = speakers[0]["by_type"]
    by_type = json.loads(by_type) if isinstance(by_type, str) else by_type
    assert sum(v or 0 for v in by_type.values()) == speakers[0]["statements"]  # pyarrow fills absent keys
    _export(db, "articles", fmt, tmp_path / f"a.{fmt}")
    articles = _read(tmp_path / f"a.{fmt}", fmt)
    assert [(a["doc_id"], a["author"]) for a in articles] == [("flood", "Rita Gomez, Ann Lee"), ("repairs", None)
                                                              if fmt != "csv" else ("repairs", "")]
    assert sum(int(a["statements"]) for a in articles) == n


def test_export_empty_corpus_still_names_its_columns(tmp_path):
    db = str(tmp_path / "empty.db")
    CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", db])  # nothing there: the corpus is created
    out = CliRunner().invoke(main, ["export", "statements", "--format", "csv", "--db", db]).stdout
    assert out.splitlines() == [",".join(EXPORT_COLUMNS["statements"])]

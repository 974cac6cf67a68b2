"""Exports for researchers: JSON lines, CSV or Parquet, streamed in batches."""

from __future__ import annotations

import json
import sys
from itertools import islice

from sqlalchemy import Connection

from .safe_output import csv_cell, csv_writer, json_safe
from .store.queries import EXPORT_COLUMNS, LIST_COLUMNS, export_rows

BATCH = 2000


def write_export(conn: Connection, table: str, fmt: str, out: str | None, keep_formulas: bool = False) -> int:
    """Write every row of ``table`` to ``out`` (standard output if None); returns the count.

    CSV cells that a spreadsheet would run as formulas get a leading ``'`` unless
    ``keep_formulas`` (OWASP's rule; see ``onrecord.safe_output``).
    """
    rows = export_rows(conn, table)
    if fmt == "parquet":
        return _parquet(rows, out)
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        return _jsonl(rows, handle) if fmt == "jsonl" else _csv(rows, handle, EXPORT_COLUMNS[table], keep_formulas)
    finally:
        if out:
            handle.close()


def _jsonl(rows, handle) -> int:
    count = 0
    for row in rows:
        handle.write(json_safe(json.dumps(row, ensure_ascii=False, default=str)) + "\n")
        count += 1
    return count


def csv_value(value):
    """A value as a CSV cell holds it: a list ``;``-joined, a table of counts as JSON."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv(rows, handle, columns: list[str], keep_formulas: bool = False) -> int:
    count = 0
    writer = csv_writer(handle)
    writer.writerow(columns)  # an empty export still says its columns
    for row in rows:
        plain = [csv_value(row.get(c)) for c in columns]
        writer.writerow(plain if keep_formulas else [csv_cell(v) for v in plain])
        count += 1
    return count


def _typed(field):
    """A column's type where the first batch leaves it open: lists of ids or of text, else text."""
    import pyarrow as pa

    if field.name in LIST_COLUMNS:
        return pa.field(field.name, pa.list_(pa.int64() if LIST_COLUMNS[field.name] == "int" else pa.string()))
    if pa.types.is_null(field.type):
        return pa.field(field.name, pa.string())
    return field


def _parquet(rows, out: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    count = 0
    writer = None
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        for row in batch:  # a table of counts (a speaker's by_type) as JSON text: its keys vary
            for key, value in row.items():
                if isinstance(value, dict):
                    row[key] = json.dumps(value, ensure_ascii=False)
        table = pa.Table.from_pylist(batch)
        if writer is None:
            # a column empty in the first batch has no type yet: text is the safe guess
            schema = pa.schema([_typed(f) for f in table.schema])
            writer = pq.ParquetWriter(out, schema)
        writer.write_table(table.cast(writer.schema))
        count += len(batch)
    if writer is None:
        pq.write_table(pa.table({}), out)
    else:
        writer.close()
    return count

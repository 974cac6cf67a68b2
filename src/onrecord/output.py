"""Readable output of records for people at a terminal, and rows as JSON or CSV.

Text from articles is shown with its control characters escaped in tables, and CSV cells a
spreadsheet would take for formulas are neutralised (``onrecord.safe_output``).
"""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .model import ArticleRecord
from .safe_output import csv_cell, csv_writer, json_safe, one_line, terminal_safe


def print_table(record: ArticleRecord, source: str, console: Console | None = None) -> None:
    """A table of the record's statements: speaker, type, kind, content.

    The heading line is never wrapped: a long path broken over two lines cannot be copied or grepped.
    """
    console = console or Console(soft_wrap=False)
    speakers = {s.id: s for s in record.speakers}
    console.print(f"{terminal_safe(source)}: {len(record.statements)} statement(s), {len(record.speakers)} speaker(s)",
                  highlight=False, markup=False, soft_wrap=True)
    table = Table(show_lines=False, expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=28)
    table.add_column("type", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("content", overflow="fold")
    for statement in record.statements:
        speaker = "—"
        if statement.speaker:
            ref = statement.speaker
            speaker = ref.name or f"{ref.text} (unresolved)"
            kind = speakers.get(ref.id).kind if ref.id in speakers else None
            if kind == "anonymous":
                speaker += " (anonymous)"
        extra = []
        if statement.when:
            extra.append(f"when: {statement.when.text}" + (f" = {statement.when.date}" if statement.when.date else ""))
        if statement.denies:
            extra.append("denies " + ", ".join(statement.denies))
        content = statement.content.text
        if extra:
            content += "  [" + "; ".join(extra) + "]"
        table.add_row(statement.id, escape(terminal_safe(speaker)), statement.type, statement.kind,
                      escape(terminal_safe(content)))
    console.print(table)
    if record.duplicates:
        for dup in record.duplicates:
            console.print(f"  repeated passage {dup.start}-{dup.end} repeats {dup.same_as.start}-{dup.same_as.end}"
                          f" ({'exactly' if dup.exact else 'nearly'}); its statements are not counted twice")


FORMATS = ("table", "json", "jsonl", "csv")
#: Columns of long text, given the room in tables.
WIDE_COLUMNS = {"content", "claim", "denial", "title", "aliases", "by_type", "value"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def _plain(value):
    """A value as CSV holds it: nested values as JSON."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _shown(value):
    """A CSV value as a terminal may show it."""
    return terminal_safe(value) if isinstance(value, str) else value


def emit_rows(rows: list[dict], columns: list[str], fmt: str, out=None, title: str | None = None,
              keep_formulas: bool = False) -> None:
    """Rows as a table, a JSON array, JSON lines or CSV, with ``columns`` in that order.

    CSV cells that start like a formula get a leading ``'`` unless ``keep_formulas``.
    """
    out = out or sys.stdout
    if fmt == "json":
        out.write(json_safe(json.dumps([{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False,
                                       indent=2, default=str)) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json_safe(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False, default=str)) + "\n")
    elif fmt == "csv":
        writer = csv_writer(out)
        writer.writerow(columns)
        cell = _plain if keep_formulas else (lambda value: csv_cell(_plain(value)))
        if out.isatty():  # CSV read on a terminal: controls shown, not sent
            cell = (lambda guarded: lambda value: _shown(guarded(value)))(cell)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
    else:
        console = Console(file=out, soft_wrap=False, width=None if out.isatty() else 160)
        if title:
            console.print(one_line(title), highlight=False, markup=False, soft_wrap=True)  # one line, whole
        table = Table(expand=False)
        for column in columns:
            wide = column in WIDE_COLUMNS
            table.add_column(column, overflow="fold", min_width=24 if wide else None, max_width=70 if wide else 24,
                             ratio=3 if wide else None)
        for row in rows:
            table.add_row(*(escape(terminal_safe(_cell(row.get(c)))) for c in columns))
        console.print(table)

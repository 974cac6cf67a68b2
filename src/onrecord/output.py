"""Readable output of records for people at a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .model import ArticleRecord


def print_table(record: ArticleRecord, source: str, console: Console | None = None) -> None:
    """A table of the record's statements: speaker, type, kind, content."""
    console = console or Console(soft_wrap=False)
    speakers = {s.id: s for s in record.speakers}
    console.print(f"{source}: {len(record.statements)} statement(s), {len(record.speakers)} speaker(s)",
                  highlight=False, markup=False)
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
        table.add_row(statement.id, speaker, statement.type, statement.kind, content)
    console.print(table)
    if record.duplicates:
        for dup in record.duplicates:
            console.print(f"  repeated passage {dup.start}-{dup.end} repeats {dup.same_as.start}-{dup.same_as.end}"
                          f" ({'exactly' if dup.exact else 'nearly'}); its statements are not counted twice")

"""The ``onrecord`` command line: a thin layer over ``onrecord.analyze_stream``.

It parses arguments, reads inputs, prints records; the work is done by the library.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from . import __version__
from .extract.timex import parse_date
from .ingest import InputError, read_path
from .ingest.readers import MAX_CHARS
from .model import ArticleRecord
from .output import print_table

EXTRACT_EXAMPLE = """
\b
Examples:
  onrecord extract examples/kursk-ceasefire.txt --published 2025-03-15
  onrecord extract story.txt --json > story.json
  onrecord extract articles.jsonl --jsonl > records.jsonl
  cat story.txt | onrecord extract - --published 2025-03-15
"""


def _published(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onrecord")
def main() -> None:
    """onrecord: who said what, about whom, when, and who disputes it.

    \b
    Reads English news and records every statement in it: the speaker, the words
    (quoted or reported), the cue, the type (assertion, denial, appeal ...), when it
    was said, and which claims it denies. Every span points back to the exact
    characters of the input.

    \b
    Example:
      onrecord extract examples/kursk-ceasefire.txt --published 2025-03-15
    """


@main.command(epilog=EXTRACT_EXAMPLE)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--published", callback=_published, metavar="DATE",
              help="Publication date (YYYY-MM-DD) that anchors 'on Thursday' and 'yesterday'. "
                   "A JSONL line's own date wins.")
@click.option("--json", "as_json", is_flag=True, help="Print one input's record as one JSON object.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON record per line, with its doc_id.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Text encoding of the inputs (default: UTF-8, falling back to Windows-1252).")
@click.option("--max-chars", default=MAX_CHARS, show_default=True, type=click.IntRange(min=1),
              help="Longest article accepted, in characters.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no notes on stderr.")
def extract(files: tuple[str, ...], published: str | None, as_json: bool, as_jsonl: bool,
            encoding: str | None, max_chars: int, quiet: bool) -> None:
    """Extract the statements of news articles.

    FILE is a plain-text article, a .jsonl file with one article per line (field
    "text", optional "doc_id", "published", "title"), or - for standard input.
    Without --json or --jsonl a readable table is printed. Inputs that cannot be
    read are reported on stderr and the others go on; the exit code is 1 when any
    input failed.
    """
    from .pipeline import analyze_stream

    if as_json and as_jsonl:
        raise click.UsageError("choose one of --json and --jsonl")
    if as_json and len(files) > 1:
        raise click.UsageError("--json prints one record; use --jsonl for several inputs")
    failures = 0
    sources: dict[int, str] = {}

    def articles() -> Iterator:
        nonlocal failures
        for path in files:
            for loaded in read_path(path, encoding=encoding, max_chars=max_chars):
                if isinstance(loaded, InputError):
                    failures += 1
                    _error(str(loaded))
                    continue
                if loaded.note and not quiet:
                    click.echo(f"onrecord: note: {loaded.source}: {loaded.note}", err=True)
                if published and not loaded.article.published:
                    loaded.article.published = published
                if loaded.article.published:
                    try:
                        parse_date(loaded.article.published)
                    except ValueError:
                        if not quiet:
                            click.echo(f"onrecord: note: {loaded.source}: unrecognised date "
                                       f"{loaded.article.published!r}; times left unresolved", err=True)
                        loaded.article.published = None
                sources[id(loaded.article)] = loaded.source
                yield loaded.article

    printed = 0
    with _progress(quiet) as advance:
        for article, result in analyze_stream(articles()):
            source = sources.pop(id(article), article.doc_id or "?")
            advance()
            if isinstance(result, Exception):
                failures += 1
                _error(f"{source}: analysis failed ({type(result).__name__}: {result}); please report this")
                continue
            if as_json and printed:
                failures += 1
                _error(f"{source}: --json prints one record; use --jsonl for inputs with several articles")
                continue
            _emit(result, source, as_json, as_jsonl)
            printed += 1
    sys.exit(1 if failures else 0)


def _emit(record: ArticleRecord, source: str, as_json: bool, as_jsonl: bool) -> None:
    if as_json:
        click.echo(record.model_dump_json(indent=2))
    elif as_jsonl:
        click.echo(record.model_dump_json())
    else:
        print_table(record, source)


def _error(message: str) -> None:
    click.echo(f"onrecord: error: {message}", err=True)


class _progress:
    """A spinner with a count of analysed articles on a terminal; nothing otherwise."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.count = 0

    def __enter__(self):
        if self.enabled:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("analysed {task.completed} article(s)"),
                                 TimeElapsedColumn(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("analyse", total=None)
        return self.advance

    def advance(self) -> None:
        self.count += 1
        if self.enabled:
            self._bar.update(self._task, completed=self.count)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._bar.stop()


if __name__ == "__main__":  # pragma: no cover
    main()

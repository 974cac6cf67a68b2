"""Commands on single stories, nothing stored: ``extract`` and ``steps``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from ..dates import parse_date
from ..ingest import InputError, read_path
from ..ingest.readers import MAX_CHARS
from ..layout import give
from ..model import ArticleRecord
from ..safe_output import json_safe
from ..output import print_table
from .base import (
    _engine,
    _error,
    _extractor,
    _given,
    _limits,
    _note,
    _progress,
    encoding_option,
    engine_option,
    given_options,
    lexicon_option,
    limits_option,
    main,
)

EXTRACT_EXAMPLE = """
\b
Examples:
  onrecord extract examples/kursk-ceasefire.txt --published 2025-03-15
  onrecord extract story.txt --json > story.json
  onrecord extract articles.jsonl --jsonl > records.jsonl
  cat story.txt | onrecord extract - --published 2025-03-15
"""




@main.command(epilog=EXTRACT_EXAMPLE)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@given_options
@click.option("--json", "as_json", is_flag=True, help="Print one input's record as one JSON object.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON record per line, with its doc_id.")
@encoding_option
@click.option("--max-chars", default=MAX_CHARS, show_default=True, type=click.IntRange(min=1),
              help="Longest article accepted, in characters.")
@lexicon_option
@engine_option
@limits_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no notes on stderr.")
def extract(files: tuple[str, ...], published: str | None, site: str | None, title: str | None, as_json: bool,
            as_jsonl: bool, encoding: str | None, max_chars: int, lexicon, engine: str | None, quiet: bool) -> None:
    """Extract the statements of news articles.

    FILE is a plain-text article, a .jsonl file with one article per line (field
    "text", optional "doc_id", "published", "title"), or - for standard input.
    Without --json or --jsonl a readable table is printed. Inputs that cannot be
    read are reported on stderr and the others go on; the exit code is 1 when any
    input failed.
    """
    from ..analysis.limits import AnalysisLimitError
    from ..analysis.pipeline import analyze_stream

    if as_json and as_jsonl:
        raise click.UsageError("choose one of --json and --jsonl")
    if as_json and len(files) > 1:
        raise click.UsageError("--json prints one record; use --jsonl for several inputs")
    given = _given(files, published, site, title)
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
                    _note(f"{loaded.source}: {loaded.note}")
                give(loaded.article, **given)
                if loaded.article.published:
                    try:
                        parse_date(loaded.article.published)
                    except ValueError:
                        if not quiet:
                            _note(f"{loaded.source}: unrecognised date "
                                  f"{loaded.article.published!r}; times left unresolved")
                        loaded.article.published = None
                sources[id(loaded.article)] = loaded.source
                yield loaded.article

    printed = 0
    with _progress(quiet) as advance:
        for article, result in analyze_stream(articles(), extractor=_extractor(lexicon, engine), limits=_limits()):
            source = sources.pop(id(article), article.doc_id or "?")
            advance()
            if isinstance(result, AnalysisLimitError):
                failures += 1
                _error(f"{source}: {result} (see --max-seconds and --max-statements)")
                continue
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
        click.echo(json_safe(record.model_dump_json(indent=2)))
    elif as_jsonl:
        click.echo(json_safe(record.model_dump_json()))
    else:
        print_table(record, source)




@main.command(epilog="\b\nExamples:\n  onrecord steps\n  onrecord steps --engine accurate --format json\n"
                     "  onrecord steps --corpus")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A readable list, or JSON.")
@click.option("--corpus", "across", is_flag=True,
              help="The linkers across articles instead (identities, quotations, disputes), in order.")
@engine_option
@lexicon_option
def steps(fmt: str, across: bool, engine: str | None, lexicon) -> None:
    """List the steps of the analysis, in order: name and version, what each reads and makes.

    A record's "extractor" field names these steps with a digest of the words and
    settings in force; a change of any of them makes stored records stale
    (onrecord reanalyze --where-stale).
    """
    if across:
        from ..lexicon import using

        with using(lexicon):
            _linkers(fmt)
        return
    from ..analysis.pipeline import make_extractor

    extractor = make_extractor(lexicon, engine=_engine(engine))
    if fmt == "json":
        click.echo(json.dumps({"extractor": extractor.info.model_dump(),
                               "steps": [{"id": s.id, "needs": list(s.needs), "produces": list(s.produces),
                                          "doc": s.doc} for s in extractor.steps]}, indent=2))
        return
    for n, step in enumerate(extractor.steps, 1):
        click.echo(f"{n:2d}. {step.id:<24} {', '.join(step.needs) or '-':<38} -> {', '.join(step.produces)}")
        click.echo(f"    {step.doc}")
    click.echo(f"engine {extractor.engine}; extractor {extractor.info.id} (onrecord {extractor.info.version}, "
               f"lexicon {extractor.info.lexicon}, settings {extractor.info.settings}"
               f"{', model ' + extractor.info.model if extractor.info.model else ''})")




def _linkers(fmt: str) -> None:
    """The linkers a relink runs, in order, with the digest of the words they use."""
    from ..record import relink  # noqa: F401 - registers the linkers
    from ..record.linkers import resolve_linkers, words_digest

    chosen = resolve_linkers()
    if fmt == "json":
        click.echo(json.dumps({"linkers": [{"id": k.id, "produces": k.produces, "doc": k.doc.strip()}
                                           for k in chosen], "words": words_digest()}, indent=2))
        return
    for n, k in enumerate(chosen, 1):
        click.echo(f"{n:2d}. {k.id:<16} -> {k.produces}")
        click.echo(f"    {k.summary}")
    click.echo(f"words {words_digest()} (a corpus linked with others is stale: onrecord relink --where-stale)")

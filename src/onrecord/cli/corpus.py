"""Commands on a stored corpus: ingest, batch, reanalyze, search, show, export and serve."""

from __future__ import annotations

import json
import sys

import click

from ..ingest.readers import MAX_CHARS
from ..safe_output import json_safe
from ..neardup import DEFAULT_THRESHOLD
from .base import (
    _CountProgress,
    _db_hint,
    _error,
    _extractor,
    _given,
    _limits,
    _note,
    _corpus,
    _open_existing,
    _published,
    _rows,
    csv_formulas_option,
    db_option,
    encoding_option,
    engine_option,
    format_option,
    given_options,
    lexicon_option,
    limits_option,
    main,
)

INGEST_EXAMPLE = """
\b
Examples:
  onrecord ingest saved-pages/ feeds/*.xml --db news.db
  onrecord ingest articles.jsonl.gz
  cat story.txt | onrecord ingest -
"""


@main.command(epilog=INGEST_EXAMPLE)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@given_options
@click.option("--threshold", type=click.FloatRange(0.05, 0.99), default=DEFAULT_THRESHOLD, show_default=True,
              help="Similarity (estimated Jaccard of word 5-shingles) above which two articles are one story.")
@encoding_option
@click.option("--max-chars", default=MAX_CHARS, show_default=True, type=click.IntRange(min=1),
              help="Longest article accepted, in characters.")
@lexicon_option
@engine_option
@limits_option
@click.option("--follow-symlinks", is_flag=True,
              help="Read links inside a folder that lead out of it (by default they are reported, not read).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], db: str | None, published: str | None, site: str | None, title: str | None,
           threshold: float, encoding: str | None, max_chars: int, lexicon, engine: str | None,
           follow_symlinks: bool, quiet: bool) -> None:
    """Add articles to the corpus: files, directories, globs, - for stdin.

    Plain text, saved HTML pages, JSONL (one article per line), RSS/Atom feeds and
    gzip files of these are recognised by content as well as by name. Copies of a
    story already held (exact, or near: other headline, trimmed paragraph, edited
    words) become appearances of it; its statements are stored once. Inputs already
    ingested are skipped, so running again is cheap and finishes an interrupted run.
    Every input is recorded with its outcome; failed ones are listed and the exit
    code is 1.
    """
    from ..corpus import Ingestor, open_corpus
    from ..store.db import describe

    given = _given(paths, published, site, title)
    corpus = open_corpus(db, writer=True)
    with _IngestProgress(quiet, paths) as progress:
        summary = Ingestor(corpus, threshold, progress=progress.update, extractor=_extractor(lexicon, engine),
                           limits=_limits(), given=given, on_file=progress.file_read).ingest(
            paths, encoding=encoding, max_chars=max_chars, follow_symlinks=follow_symlinks)
    _nothing_read(summary, paths)
    for source, note in summary.notes:
        if not quiet:
            _note(f"{source}: {note}")
    if summary.stale and not quiet:
        more = f" and {len(summary.stale) - 3} more" if len(summary.stale) > 3 else ""
        _note(f"{', '.join(summary.stale[:3])}{more}: already held, but the stored "
              f"record was made by another extractor (an older onrecord, other words or settings); "
              f"bring it up to date with: onrecord reanalyze --where-stale{_db_hint(db)}")
    for source, reason in summary.failures:
        _error(f"{source}: {reason}")
    click.echo(f"{describe(db)}: {summary.line()}")
    sys.exit(1 if summary.failed else 0)


class _IngestProgress:
    """A live line on a terminal: the counts, and for files the bytes read of the total and
    the time left (the files are counted first); nothing when piped, for stdin or quiet."""

    def __init__(self, quiet: bool, paths=()):
        self.enabled = not quiet and sys.stderr.isatty()
        self.total = _input_bytes(paths) if self.enabled else None
        self.done = 0
        self._sizes: dict[str, int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), DownloadColumn(), TextColumn("left"), TimeRemainingColumn()]
            self._bar = Progress(*columns, TimeElapsedColumn(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("starting", total=self.total or None)
        return self

    def update(self, summary) -> None:
        if self.enabled:
            self._bar.update(self._task, description=summary.line())

    def file_read(self, path: str) -> None:
        """One input file is read through: its bytes count as done."""
        if self.enabled and self.total:
            import os

            try:
                self.done += os.path.getsize(path)
            except OSError:
                return
            self._bar.update(self._task, completed=min(self.done, self.total))

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._bar.stop()


def _input_bytes(paths) -> int | None:
    """The bytes of every file the paths name (counted before reading); None for stdin."""
    import os

    from ..ingest.sources import expand

    total = 0
    for path, problem in expand(list(paths)):
        if path == "-":
            return None
        if problem is None:
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
    return total


def _nothing_read(summary, paths) -> None:
    """``ingest`` or ``batch`` of nothing (an empty folder, a pattern of no files): said, exit 1."""
    if summary.read == 0:
        _error(f"nothing to read in {', '.join(paths)}: no files there (onrecord reads text, HTML, "
               "JSONL, RSS/Atom and gzip files)")
        sys.exit(1)


SEARCH_EXAMPLE = """
\b
Examples:
  onrecord search ceasefire --speaker Putin --since 2025-03-01
  onrecord search "troops surrounded" --type denial --format json
  onrecord search --source reuters --format csv > reuters.csv
"""


@main.command(epilog=SEARCH_EXAMPLE)
@click.argument("query", required=False, default="")
@click.option("--speaker", metavar="NAME", help="Only statements by speakers whose name or alias contains NAME.")
@click.option("--type", "type_", metavar="TYPE", help="Only statements of this type (assertion, denial, appeal ...).")
@click.option("--since", callback=_published, metavar="DATE", help="Only statements made on or after DATE.")
@click.option("--until", callback=_published, metavar="DATE", help="Only statements made on or before DATE.")
@click.option("--source", metavar="SITE", help="Only articles that appeared on a site (or URL) containing SITE.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="P",
              help="Only statements at least this likely right (0-1; see the README's reliability table).")
@click.option("--include-not-news", is_flag=True,
              help="Also statements of pages that are not news (forums, wikis, tutorials, shops).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most rows shown.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Rows skipped first (for paging).")
@db_option
@format_option
def search(query: str, speaker, type_, since, until, source, min_confidence, include_not_news: bool, limit: int,
           offset: int, db, fmt: str) -> None:
    """Full-text search of statements, best matches first.

    Every word of QUERY must occur in the statement or its speaker's name. Each hit
    shows the speaker, type, date, article title and source. Without QUERY, the
    filters alone select statements, newest first.
    """
    rows = _corpus(db).search(query, speaker=speaker, type=type_, since=since, until=until, source=source,
                              min_confidence=min_confidence, limit=limit, offset=offset,
                              include_not_news=include_not_news)
    columns = (["statement_id", "article_id", "speaker", "type", "kind", "confidence", "date", "title", "source",
                "content"] if fmt == "table" else
               ["statement_id", "article_id", "doc_id", "speaker", "speaker_id", "person_id", "type", "kind",
                "confidence", "date", "published", "title", "site", "source", "content"])
    _rows(rows, columns, fmt, empty="no statements match (fewer filters, or see onrecord speakers)"
          if not offset else f"no statements match past the first {offset}")


STATEMENT_COLUMNS = ["statement_id", "article_id", "local_id", "doc_id", "title", "published", "site", "speaker",
                     "speaker_id", "speaker_text", "type", "kind", "confidence", "cue", "content", "content_start",
                     "content_end", "context", "when_text", "when_date", "channel", "denies", "denied_by",
                     "factchecks"]


@main.command(epilog="\b\nExamples:\n  onrecord show 12\n  onrecord show saved/story.html --format json\n"
                     "  onrecord show --statement 123")
@click.argument("article_ref", metavar="ARTICLE", required=False)
@click.option("--statement", "statement_id", type=click.IntRange(min=1), metavar="ID", default=None,
              help="Show one statement (the statement_id of a search row) with its article and links.")
@db_option
@format_option
def show(article_ref: str | None, statement_id: int | None, db, fmt: str) -> None:
    """One article with its appearances and its statements, or one statement.

    ARTICLE is an article id (a search row's article_id), or the path, path:line or URL
    of any input that carried it. --statement ID shows one statement: its article,
    speaker, cue, spans, the sentence around it, time, the statements it denies or
    that deny it, and fact-checkers' verdicts on its claim (onrecord factchecks import).
    """
    if (article_ref is None) == (statement_id is None):
        raise click.UsageError("give an ARTICLE, or --statement ID")
    corpus = _corpus(db)
    if statement_id is not None:
        data = corpus.statement(statement_id)
        if data is None:
            raise click.UsageError(f"no statement {statement_id} in this corpus (see onrecord search)")
        if fmt == "table":
            # a checker's verdict, as the checker wrote it, with its link: never onrecord's own
            data = {**data, "factchecks": "; ".join(f"{c['verdict']} ({c['checker']}: {c['url']})"
                                                     for c in data.get("factchecks") or []) or None}
            _rows([{"field": c, "value": data.get(c)} for c in STATEMENT_COLUMNS], ["field", "value"], fmt,
                  title=f"statement {statement_id} of article {data['article_id']} (onrecord show "
                        f"{data['article_id']})")
        else:
            _rows([data], STATEMENT_COLUMNS, fmt)
        return
    with corpus.reading() as conn:
        article_id = corpus.find_article(article_ref, conn=conn)
        data = corpus.article(article_id, conn=conn) if article_id is not None else None
    if data is None:
        raise click.UsageError(f"no article {article_ref!r} in this corpus (see onrecord search)")
    if fmt in ("json", "jsonl"):
        click.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None, default=str)))
        return
    header = (f"article {data['id']}: {data['title'] or '(no title)'} — first published "
              f"{data['first_published'] or 'unknown'}, {len(data['appearances'])} appearance(s)")
    if fmt == "table":
        _rows(data["appearances"], ["published", "site", "title", "url", "source", "similarity"], fmt,
                  title=header)
    _rows(data["statements"], ["local_id", "speaker", "type", "kind", "when_date", "content"], fmt,
          empty="this article holds no statements")


EXPORT_EXAMPLE = """
\b
Examples:
  onrecord export statements --format parquet --out statements.parquet
  onrecord export speakers --format csv > speakers.csv
  onrecord export articles --format jsonl --out articles.jsonl
  onrecord export quotes --format csv > quotes.csv
  onrecord export disputes --format jsonl --out disputes.jsonl
"""


@main.command(epilog=EXPORT_EXAMPLE)
@click.argument("table", type=click.Choice(["statements", "speakers", "articles", "quotes", "disputes"]),
                default="statements")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="File format; parquet needs --out.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
@db_option
@csv_formulas_option
def export(table: str, fmt: str, out: str | None, db) -> None:
    """Export statements, speakers, articles, quotes (one row per appearance of a quotation)
    or disputes (one row per claim/denial pair) for pandas, R or a spreadsheet."""
    from ..export import write_export

    if fmt == "parquet" and not out:
        raise click.UsageError("parquet is binary: give a file with --out")
    with _open_existing(db).connect() as conn:
        count = write_export(conn, table, fmt, out,
                             keep_formulas=click.get_current_context().meta.get("keep_formulas", False))
    if out:
        click.echo(f"{out}: {count} {table}", err=True)


BATCH_EXAMPLE = """
\b
Examples:
  onrecord batch archive/2024/ --workers 2 --db news.db
  onrecord batch 'feeds/*.jsonl.gz' --scheduler tcp://10.0.0.5:8786 --db postgresql://news@db/news
  onrecord batch dump.jsonl --out results/      # Parquet shards in results/, state in results/corpus.db
"""


@main.command(epilog=BATCH_EXAMPLE)
@click.argument("paths", nargs=-1, required=True, metavar="INPUT...")
@given_options
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Address of a running Dask scheduler (tcp://host:8786); without it a local cluster starts.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 512),
              help="Workers of the local cluster (one process each, one model each).")
@db_option
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Write Parquet shards to this folder instead of a database (state kept in it).")
@click.option("--shard-size", default=16, show_default=True, type=click.IntRange(1, 10_000),
              help="New stories per task sent to a worker.")
@click.option("--threshold", type=click.FloatRange(0.05, 0.99), default=DEFAULT_THRESHOLD, show_default=True,
              help="Similarity above which two articles are one story.")
@engine_option
@limits_option
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
def batch(paths, published, site, title, scheduler, workers: int, db, out, shard_size: int, threshold: float,
          engine: str | None, quiet: bool) -> None:
    """Ingest many inputs with the parsing spread over a Dask cluster.

    Inputs are read and duplicates settled here, as by ingest; new stories go to
    the workers in shards (each worker loads the model once), and come back to be
    stored. A failed shard is retried, then its stories are reported as failed; a
    rerun skips what is done. The corpus left is the one ingest would leave.
    """
    from ..batch import Cluster, run_batch
    from ..store.db import describe

    if db and out:
        raise click.UsageError("choose one of --db and --out")
    given = _given(paths, published, site, title)
    with _IngestProgress(quiet, paths) as progress, Cluster(scheduler, workers) as cluster:
        summary = run_batch(paths, cluster, db=db, out=out, threshold=threshold, shard_size=shard_size,
                            progress=progress.update, limits=_limits(), engine_name=engine, given=given,
                            on_file=progress.file_read)
    _nothing_read(summary, paths)
    for source, reason in summary.failures:
        _error(f"{source}: {reason}")
    click.echo(f"{out or describe(db)}: {summary.line()}")
    sys.exit(1 if summary.failed else 0)





REANALYZE_EXAMPLE = """
\b
Examples:
  onrecord reanalyze --where-stale --db news.db
  onrecord reanalyze --lexicon newsroom-words.toml
"""


@main.command(epilog=REANALYZE_EXAMPLE)
@db_option
@click.option("--where-stale", is_flag=True,
              help="Only stories whose record another extractor made (another onrecord version, "
                   "other steps, words or settings).")
@lexicon_option
@engine_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def reanalyze(db: str | None, where_stale: bool, lexicon, engine: str | None, quiet: bool) -> None:
    """Run the analysis again on the stories of a corpus.

    Article ids, appearances and speakers' ids stay; each story's statements,
    mentions and links are replaced in one transaction, so an interrupted run
    leaves every story either old or new, and running again finishes it.
    """
    from ..corpus import reanalyze as run
    from ..store.db import describe

    corpus = _open_existing(db)
    with _CountProgress(quiet, "reanalysing") as progress:
        summary = run(corpus, _extractor(lexicon, engine), where_stale=where_stale, progress=progress.update)
    for article_id, reason in summary.failures:
        _error(f"article {article_id}: {reason}")
    click.echo(f"{describe(db)}: {summary.line()}")
    sys.exit(1 if summary.failed else 0)




SERVE_EXAMPLE = """
\b
Examples:
  onrecord serve --db news.db            # then open http://127.0.0.1:8000/
  ONRECORD_TOKEN=secret onrecord serve   # allow POST /api/articles with that token
"""


@main.command(epilog=SERVE_EXAMPLE)
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 opens it to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TOML file with a [web] table (token, limits such as max_page_size, max_download_rows, "
                   "query_timeout; see the README). A value of the wrong kind is refused by name.")
def serve(db, host: str, port: int, config) -> None:
    """Serve the corpus: pages to read and search it, and a JSON API (/api, /api/docs).

    Reading is open; adding articles (POST /api/articles) needs the token from
    ONRECORD_TOKEN or the config file.
    """
    import uvicorn

    from ..web import WebSettings, create_app

    try:
        settings = WebSettings.load(db=db, config=config)
    except (ValueError, OSError) as exc:
        raise click.UsageError(str(exc)) from exc
    from ..store.db import describe

    click.echo(f"onrecord: serving {describe(settings.db)} at http://{host}:{port}/", err=True)
    from ..web.protocol import server_options

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", **server_options())


"""What every command shares: the ``onrecord`` group and its one-line errors, the options,
notes, the row printer and the progress displays."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from ..dates import parse_date
from ..output import FORMATS, emit_rows
from ..safe_output import terminal_safe


def _published(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _lexicon(ctx, param, value: str | None):
    """Load a lexicon file now, so that a bad key is a usage error before any input is read."""
    if value is None:
        return None
    from ..lexicon import LexiconError, load_lexicon

    try:
        return load_lexicon(value)
    except LexiconError as exc:
        raise click.BadParameter(str(exc)) from exc


def lexicon_option(func):
    """``--lexicon``: a TOML file that extends (or replaces) the built-in word lists."""
    return click.option("--lexicon", "lexicon", callback=_lexicon, metavar="FILE.toml", default=None,
                        help="Word lists that extend the built-in ones, e.g. [cues.assertion] "
                             "clause = [\"opine\"] (see onrecord.lexicon).")(func)


def engine_option(func):
    """``--engine``: the rules alone (fast) or the rules and the learned tagger (accurate)."""
    return click.option("--engine", type=click.Choice(["fast", "accurate"]), default=None,
                        help="fast: the rules alone; accurate: the rules and the learned attribution "
                             "tagger (slower). Default: see onrecord steps.")(func)


def given_options(func):
    """``--published``, ``--site``, ``--title``, ``--kind``: what the inputs do not say of themselves."""
    from ..ingest.kind import KINDS

    func = click.option("--kind", type=click.Choice(KINDS), default=None, expose_value=False, callback=_remember,
                        help="The kind of page every input is (by default each is classified from its "
                             "metadata and text; the statements of not-news pages stay out of listings).")(func)
    func = click.option("--title", metavar="TEXT", default=None,
                        help="Title of the article (one input file only); beats a headline guessed "
                             "from the text.")(func)
    func = click.option("--site", metavar="NAME", default=None,
                        help="Site or publisher the inputs come from, where they do not say.")(func)
    return click.option("--published", callback=_published, metavar="DATE",
                        help="Publication date (YYYY-MM-DD) that anchors 'on Thursday' and 'yesterday', "
                             "for inputs that carry none (a JSONL line's or page's own date wins; a date "
                             "guessed from a dateline does not).")(func)


def _given(paths, published, site, title) -> dict:
    """The given fields, checked: ``--title`` names one article, so it needs one input file."""
    if title is not None and (len(paths) != 1 or paths[0] != "-" and not Path(paths[0]).is_file()):
        raise click.UsageError("--title names one article: give it with one input file")
    kind = click.get_current_context().meta.get("kind")
    return {"published": published, "site": site, "title": title, "kind": kind}


def _remember(ctx, param, value):
    ctx.meta[param.name] = value
    return value


def limits_option(func):
    """``--max-seconds`` and ``--max-statements``: the limits of one article's analysis."""
    from ..analysis.limits import DEFAULT_LIMITS

    func = click.option("--max-statements", type=click.IntRange(min=1), default=DEFAULT_LIMITS.max_statements,
                        show_default=True, expose_value=False, callback=_remember,
                        help="Most statements one article may hold; an article with more fails.")(func)
    return click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True),
                        default=DEFAULT_LIMITS.max_seconds, show_default=True, expose_value=False,
                        callback=_remember, help="Longest one article's analysis may take; a slower one fails.")(func)


def _limits():
    """The analysis limits this command was given."""
    from ..analysis.limits import AnalysisLimits

    meta = click.get_current_context().meta
    return AnalysisLimits(max_seconds=meta["max_seconds"], max_statements=meta["max_statements"])


def _extractor(lexicon, engine: str | None = None):
    """The extractor for a command: the shipped one, or one with the user's words or engine."""
    from ..analysis.pipeline import make_extractor

    extractor = make_extractor(lexicon, engine=_engine(engine))
    if any(s.id.startswith("model.") for s in extractor.steps):
        _load_model()
    return extractor


#: The engine a command runs when none is given: ``ONRECORD_ENGINE``, else ``DEFAULT_ENGINE``.
ENGINE_VAR = "ONRECORD_ENGINE"
#: ``auto``: the accurate engine where its model can run here (shipped delta, base installed), else fast.
DEFAULT_ENGINE = "auto"


def _engine(engine: str | None) -> str:
    """The engine of this command: the one asked for, else ``$ONRECORD_ENGINE``, else the default
    (with ``auto``, accurate where its model can run here, and a note when it cannot)."""
    import os

    chosen = engine or os.environ.get(ENGINE_VAR) or DEFAULT_ENGINE
    if chosen not in ("fast", "accurate", "auto"):
        raise click.UsageError(f"{ENGINE_VAR}={chosen!r}: use fast, accurate or auto")
    if chosen != "auto":
        return chosen
    from ..analysis.model.tagger import accurate_ready

    ready, why = accurate_ready()
    if not ready:
        _note(f"using the fast engine: {why}")
    return "accurate" if ready else "fast"


def _load_model() -> None:
    """Load (and, the first time, assemble) the learned tagger before any input is read, so
    that a missing or damaged model ends the command with one line that names the fix,
    not one failure an article."""
    from ..analysis.model.tagger import ModelMissingError, accurate_ready, get_tagger

    if accurate_ready()[1] == "base installed, not yet assembled":
        _note("building the accurate engine's model from its base encoder (once; about a minute)")
    try:
        get_tagger()
    except ModelMissingError as exc:
        raise click.ClickException(str(exc)) from None


class _Main(click.Group):
    """The command group: a database that cannot be opened or used ends the command with
    one line that says what to do (and exit code 1), not a traceback."""

    def invoke(self, ctx: click.Context):
        from ..store.explain import explain

        try:
            return super().invoke(ctx)
        except Exception as exc:  # noqa: BLE001 - only failures explain() recognises are caught
            message = explain(exc, ctx.meta.get("db"))
            if message is None:
                raise
            _error(message)
            ctx.exit(1)


def _encoding(ctx, param, value: str | None) -> str | None:
    """Check ``--encoding`` before any input is read: an unknown name is a usage error."""
    import codecs

    if value is None:
        return None
    try:
        info = codecs.lookup(value)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise click.BadParameter(f"unknown text encoding {value!r} (try utf-8, cp1252, latin-1, utf-16)")
    return info.name


def encoding_option(func):
    """``--encoding``: the text encoding of the inputs."""
    return click.option("--encoding", default=None, metavar="NAME", callback=_encoding,
                        help="Text encoding of the inputs (default: UTF-8, falling back to Windows-1252).")(func)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onrecord")
def main() -> None:
    """onrecord: who said what, about whom, when, and who disputes it.

    \b
    Reads English news and records every statement in it: the speaker, the words
    (quoted or reported), the cue, the type (assertion, denial, appeal ...), when it
    was said, and which claims it denies. Every span points back to the exact
    characters of the input.

    \b
    Examples:
      onrecord extract examples/kursk-ceasefire.txt --published 2025-03-15
      onrecord ingest saved-pages/ --db news.db
      onrecord search ceasefire --speaker Putin --db news.db
    """




def _error(message: str) -> None:
    click.echo(f"onrecord: error: {terminal_safe(message)}", err=True)


def _note(message: str) -> None:
    click.echo(f"onrecord: note: {terminal_safe(message)}", err=True)


class _progress:
    """A spinner with a count of analysed articles on a terminal; nothing otherwise."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.count = 0

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

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


# -- the corpus ------------------------------------------------------------------------------

def _remember_db(ctx, param, value: str | None) -> str | None:
    ctx.meta["db"] = value  # for the one-line error should the database fail (``_Main``)
    return value


def db_option(func):
    """``--db``: the corpus database (file or URL); ``ONRECORD_DB`` or onrecord.db by default."""
    return click.option("--db", metavar="FILE|URL", envvar="ONRECORD_DB", default=None, callback=_remember_db,
                        help="Corpus database: a SQLite file or a SQLAlchemy URL "
                             "(default: $ONRECORD_DB, else onrecord.db here).")(func)


def format_option(func):
    """``--format``: how a read command prints its rows (and ``--csv-formulas``)."""
    func = csv_formulas_option(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output as a table, a JSON array, JSON lines or CSV.")(func)


def _keep_formulas(ctx, param, value: bool) -> bool:
    ctx.meta["keep_formulas"] = value
    return value


def csv_formulas_option(func):
    """``--csv-formulas``: write CSV cells as they are, even those a spreadsheet would run."""
    return click.option("--csv-formulas", is_flag=True, expose_value=False, callback=_keep_formulas,
                        help="In CSV, keep cells that start with = + - @ tab or CR as they are "
                             "(by default a ' is put in front so spreadsheets do not run them).")(func)


def _rows(rows: list[dict], columns: list[str], fmt: str, empty: str | None = None, **kwargs) -> None:
    """``emit_rows`` with this command's ``--csv-formulas``. With no rows, ``empty`` is said on
    stderr, and a table prints nothing (JSON, JSON lines and CSV stay valid, and empty)."""
    keep = click.get_current_context().meta.get("keep_formulas", False)
    if not rows and empty:
        _note(empty)
        if fmt == "table":
            return
    emit_rows(rows, columns, fmt, keep_formulas=keep, **kwargs)


def _open_existing(db: str | None):
    """The corpus's engine for a read command (see ``_corpus``)."""
    return _corpus(db).engine


def _corpus(db: str | None):
    """The corpus for a read command; a missing SQLite file is an error, not a new corpus."""
    from ..corpus import Corpus
    from ..store.db import database_url

    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise click.UsageError(f"no corpus at {url.removeprefix('sqlite:///')}; "
                               "create one with: onrecord ingest FILES... (or pass --db)")
    return Corpus.open(db)


def _listing(listing, columns: list[str], fmt: str, empty: str, rows: list[dict] | None = None) -> None:
    """A ``Listing``'s rows (or ``rows``, the same reshaped for a table), then, on stderr,
    a note when it stopped short of the whole answer and how to see the rest."""
    _rows(listing.rows if rows is None else rows, columns, fmt, empty=empty)
    note = listing.stopped_early()
    if note:
        _note(note)


def _db_hint(db: str | None) -> str:
    return f" --db {db}" if db else ""



class _CountProgress:
    """A progress bar with a total and time left on a terminal; nothing when piped or quiet."""

    def __init__(self, quiet: bool, label: str):
        self.enabled = not quiet and sys.stderr.isatty()
        self.label = label

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=None)
        return self

    def update(self, summary, total: int) -> None:
        if self.enabled:
            self._bar.update(self._task, completed=summary.reanalysed + summary.failed, total=total)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._bar.stop()



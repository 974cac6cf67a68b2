"""``onrecord watch``: follow sources, ingest what is new, alert on what was said; ``watch
status`` and ``watch import-opml``. Registered on ``onrecord.cli.main``."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import click

from .base import (_error, _extractor, _limits, _note, _rows, db_option, engine_option, lexicon_option, limits_option,
                   main)

WATCH_EXAMPLE = """
\b
Examples:
  onrecord watch --sources sources.toml --rules rules.toml --db news.db
  onrecord watch --sources feeds.opml --once          # one round, for cron and CI
  onrecord watch status --db news.db
  onrecord watch import-opml feeds.opml > sources.toml
"""


@main.group(invoke_without_command=True, epilog=WATCH_EXAMPLE)
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="The sources to follow: a TOML sources file ([[source]] url = ...) or an OPML export.")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Alert rules and where alerts go: a TOML file of [[rule]] and [[sink]] tables.")
@click.option("--once", is_flag=True, help="Poll every source once, ingest, alert, and exit (for cron and CI).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
              help="Seconds one HTTP response may take, whole.")
@click.option("--max-bytes", type=click.IntRange(1000), default=10_000_000, show_default=True,
              help="Largest response read, in bytes; larger ones are errors of their source.")
@click.option("--host-interval", type=click.FloatRange(0, 3600), default=1.0, show_default=True,
              help="Seconds between two requests to one host (robots.txt's Crawl-delay can make it longer).")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Tries again after a timeout, a failed connection, 429 or 5xx, with growing pauses.")
@db_option
@lexicon_option
@engine_option
@limits_option
@click.option("-q", "--quiet", is_flag=True, help="No line a round on stderr.")
@click.pass_context
def watch(ctx, sources_path: str | None, rules_path: str | None, once: bool, timeout: float, max_bytes: int,
          host_interval: float, retries: int, db: str | None, lexicon, engine: str | None, quiet: bool) -> None:
    """Follow news sources: ingest every new story, alert on what was said.

    Sources are RSS/Atom feeds, news sitemaps and pages. Each new item's page is fetched
    once (politely: robots.txt, conditional requests, a pause between requests to a host)
    and ingested as ingest does; the watch's state is kept in the corpus, so a restart
    resumes where it stopped. New statements are checked against the rules, and each
    alert goes to the rules file's sinks (JSONL, webhook, e-mail). Ctrl-C or SIGTERM
    finishes the item in hand, then stops. See onrecord watch status.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not sources_path:
        raise click.UsageError("give the sources to follow: --sources sources.toml (or an OPML file); "
                               "see onrecord watch --help")
    from ..corpus import open_corpus
    from ..store.db import describe
    from ..watch import FetchSettings, load_rules, load_sinks, load_sources
    from ..watch.loop import Watch, WatchSettings, stop_on_signals

    sources, rules, sinks = _load(sources_path, rules_path, load_sources, load_rules, load_sinks)
    fetch = FetchSettings(timeout=timeout, max_bytes=max_bytes, host_interval=host_interval, retries=retries)
    watcher = Watch(open_corpus(db, writer=True), sources, rules, sinks, extractor=_extractor(lexicon, engine),
                    limits=_limits(), settings=WatchSettings(fetch=fetch))
    stop = threading.Event()
    stop_on_signals(stop, _note)
    if once:
        report = watcher.run_once(stop)
        for where, problem in report.errors:
            _error(f"{where}: {problem}")
        click.echo(f"{describe(db)}: {report.line()}")
        sys.exit(1 if report.source_errors or report.item_errors or report.failed else 0)
    if not quiet:
        _note(f"watching {len(sources)} source(s) into {describe(db)}; Ctrl-C to stop")

    def said(report) -> None:
        if not quiet:
            _note(report.line())
            for where, problem in report.errors:
                _note(f"{where}: {problem}")

    watcher.run(stop, said)
    click.echo(f"{describe(db)}: watch stopped")


def _load(sources_path: str, rules_path: str | None, load_sources, load_rules, load_sinks):
    """The sources, rules and sinks, or a usage error that says what to fix in which file."""
    from ..watch import RuleSet, RulesError, SinksConfigError, SourcesError

    try:
        sources = load_sources(sources_path)
        rules = load_rules(rules_path) if rules_path else RuleSet()
        sinks = load_sinks(rules.sinks, Path(rules_path).parent if rules_path else None)
    except (SourcesError, RulesError, SinksConfigError) as exc:
        raise click.UsageError(str(exc)) from None
    return sources, rules, sinks


STATUS_COLUMNS = ["source", "kind", "polls", "items_seen", "pending", "failed", "last_success", "last_error",
                  "next_poll"]
SINK_COLUMNS = ["name", "delivered", "failed", "last_success_at", "last_error_at", "last_error"]


@watch.command("status", epilog="\b\nExamples:\n  onrecord watch status --db news.db\n"
                                "  onrecord watch status --format json")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Tables, or one JSON object with the sources, the sinks and the alerts' counts.")
@click.option("--all", "show_all", is_flag=True, help="Also the sources no longer in the sources file.")
def status(db: str | None, fmt: str, show_all: bool) -> None:
    """Each source's last success, last error, items seen and next poll; each sink's
    deliveries and failures; how many alerts were made."""
    from ..watch.state import status as watch_status

    from .base import _corpus

    state = watch_status(_corpus(db).engine)
    if not show_all:
        state["sources"] = [s for s in state["sources"] if s["active"]]
    if fmt == "json":
        click.echo(json.dumps(state, ensure_ascii=False, indent=2, default=str))
        return
    _rows(state["sources"], STATUS_COLUMNS, "table",
          empty="no sources watched yet (start with: onrecord watch --sources sources.toml)")
    if state["sinks"]:
        _rows(state["sinks"], SINK_COLUMNS, "table")
    alerts = state["alerts"]
    click.echo(f"alerts: {alerts['total']} ({alerts['undelivered']} not yet delivered)")


@watch.command("import-opml", epilog="\b\nExamples:\n  onrecord watch import-opml feeds.opml > sources.toml")
@click.argument("opml", type=click.Path(dir_okay=False, exists=True), metavar="FILE.opml")
def import_opml(opml: str) -> None:
    """Print a sources file (TOML) with the feeds of an OPML file, as feed readers export them."""
    from ..watch.sources import SourcesError, from_opml, to_toml

    try:
        sources = from_opml(Path(opml).read_bytes(), opml)
    except SourcesError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(to_toml(sources), nl=False)

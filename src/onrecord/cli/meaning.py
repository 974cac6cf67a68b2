"""Commands on statements by meaning: ``embed`` (make the vectors) and ``similar`` (who
else said something like it). Registered on ``onrecord.cli.main``."""

from __future__ import annotations

import json

import click

from .base import _corpus, db_option, main

SIMILAR_EXAMPLE = """
\b
Examples:
  onrecord similar 1234
  onrecord similar 1234 --near 0.7 --limit 20 --format json
"""


def _model_or_exit() -> None:
    """Stop with the fix in one line where the sentence model cannot be built here."""
    from ..analysis.model.sentence import sentence_model_ready

    ready, why = sentence_model_ready()
    if not ready:
        raise click.ClickException(f"statements cannot be compared by meaning here: {why}")


@main.command(epilog="\b\nExamples:\n  onrecord embed\n  onrecord embed --db news.db -q")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@db_option
def embed(quiet: bool, db) -> None:
    """Make the sentence-model vector of every statement that has none (all-mpnet-base-v2,
    from the pinned base the accurate engine uses). Stopped, it resumes where it stopped;
    'similar' makes what is missing itself, so this is for doing it ahead of time."""
    _model_or_exit()
    corpus = _corpus(db)

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"\rembedded {done:,} of {total:,} statements", nl=False, err=True)

    made = corpus.embed_statements(progress=progress)
    if made and not quiet:
        click.echo("", err=True)
    click.echo(f"{corpus.name}: {made:,} statement vectors made" if made else
               f"{corpus.name}: every statement has its vector already")


@main.command(epilog=SIMILAR_EXAMPLE)
@click.argument("statement_id", type=click.IntRange(min=1), metavar="STATEMENT")
@click.option("--near", type=click.FloatRange(-1.0, 1.0), default=None,
              help="Least similarity listed (cosine; default 0.60).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Most rows shown.")
@click.option("--include-not-news", is_flag=True, help="Also statements of pages that are not news.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to print the result.")
def similar(statement_id: int, near: float | None, limit: int, include_not_news: bool, db, fmt: str) -> None:
    """Statements of other stories closest in meaning to STATEMENT (an id from 'search'
    or 'show'), closest first, the words side by side, with what they share and where
    they differ (other figures; one side a denial).

    Closeness is not sameness: a story on the same topic with another claim can be as close
    as a paraphrase (see the README's measures). Read both before calling them one claim."""
    _model_or_exit()
    found = _corpus(db).similar(statement_id, limit=limit, near=near, include_not_news=include_not_news)
    if found is None:
        raise click.ClickException(f"no statement {statement_id} in this corpus (ids: onrecord search)")
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    here = found["statement"]
    click.echo(f"statement {statement_id} · {here['speaker'] or '?'} · article {here['article_id']}"
               f" ({here['published'] or '?'}):\n  {here['content']}")
    if not found["matches"]:
        click.echo(f"nothing in other stories at similarity {found['near']:.2f} or more")
        return
    for row in found["matches"]:
        notes = "; ".join(row["differs"]) or "no difference found in figures or polarity"
        click.echo(f"\n{row['similarity']:.2f}  statement {row['id']} · {row['speaker'] or '?'} · "
                   f"article {row['article_id']} ({row['published'] or '?'})\n  {row['content']}\n"
                   f"  shared: {', '.join(row['shared_words']) or '-'} · {notes}")

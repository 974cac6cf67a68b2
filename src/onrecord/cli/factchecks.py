"""``onrecord factchecks``: fact-checkers' verdicts imported, listed, and shown beside the
statements that make the reviewed claims. Registered on ``onrecord.cli.main``."""

from __future__ import annotations

from pathlib import Path

import click

from .base import _corpus, _listing, db_option, format_option, main

FACTCHECKS_EXAMPLE = """
\b
Examples:
  onrecord factchecks import reviews.jsonld
  onrecord factchecks import export.json checks.csv --db news.db
  onrecord factchecks list --format json
"""


@main.group(epilog=FACTCHECKS_EXAMPLE)
def factchecks() -> None:
    """Fact-checkers' verdicts (schema.org ClaimReview): import them, list them; 'show'
    and the API give each statement the verdicts on the claim it makes.

    A verdict is the checker's, shown as the checker wrote it with its link; onrecord makes
    none of its own. A statement is matched to a review when its speaker is the review's
    claimant and it says the reviewed claim's words (the match keeps that evidence)."""


@factchecks.command("import", epilog="\b\nExamples:\n  onrecord factchecks import reviews.jsonld\n"
                                     "  onrecord factchecks import checks.csv --db news.db")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def import_(files: tuple[Path, ...], db) -> None:
    """Import the reviews of FILES: ClaimReview JSON-LD (an object, a list, an @graph, one a
    line, or a saved page's ld+json), a fact-check search export ({"claims": [...]}), or CSV
    (claim, claimant, verdict, checker, url; claim_date, review_date optional).

    A file with an incomplete review is refused whole, with the line and the field; the
    other files are imported. A review imported twice is kept once."""
    from ..corpus import Corpus
    from ..record.factchecks import FactCheckFileError, read

    corpus = Corpus.open(db, writer=True)
    failed = 0
    for path in files:
        try:
            reviews = read(path.read_bytes(), str(path))
        except FactCheckFileError as exc:
            click.echo(f"onrecord: refused {exc}", err=True)
            failed += 1
            continue
        new, held, matched = corpus.import_factchecks(reviews, str(path))
        click.echo(f"{path}: {len(reviews)} reviews, {new} new, {held} held already; "
                   f"{matched} statements make a reviewed claim")
    if failed:
        raise click.exceptions.Exit(1)


@factchecks.command("list", epilog="\b\nExamples:\n  onrecord factchecks list\n"
                                   "  onrecord factchecks list --format csv > checks.csv")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000), help="Most rows shown.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Rows skipped first.")
@db_option
@format_option
def list_(limit: int, offset: int, db, fmt: str) -> None:
    """The imported reviews, newest first: the claim, its claimant, the checker's verdict and
    link, and how many statements of the corpus make the claim."""
    listing = _corpus(db).factchecks(limit=limit, offset=offset)
    _listing(listing, ["id", "checker", "verdict", "claimant", "claim", "statements", "review_date", "url"], fmt,
             empty="no fact-checks imported (onrecord factchecks import FILE)")

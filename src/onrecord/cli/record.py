"""Commands on the record across articles: speakers (with import, merge, split), quotes,
disputes and relink. Registered on ``onrecord.cli.main``."""

from __future__ import annotations

import json

import click

from .base import _corpus, _listing, _open_existing, db_option, format_option, lexicon_option, main

SPEAKER_COLUMNS = ["id", "name", "kind", "person_id", "statements", "by_type", "aliases", "joined"]

SPEAKERS_EXAMPLE = """
\b
Examples:
  onrecord speakers
  onrecord speakers --name trump --format json
  onrecord speakers show 25
  onrecord speakers import people.csv
  onrecord speakers merge 497 79
  onrecord speakers split 524
"""


@main.group(invoke_without_command=True, epilog=SPEAKERS_EXAMPLE)
@click.option("--name", metavar="TEXT", help="Only speakers whose name or an alias contains TEXT.")
@click.option("--kind", type=click.Choice(["person", "organization", "place", "anonymous"]), default=None,
              help="Only speakers of this kind.")
@click.option("--descriptions", is_flag=True,
              help="List speakers that are only described (the ministry, officials) too.")
@click.option("--include-not-news", is_flag=True,
              help="Count statements of pages that are not news (forums, wikis, tutorials, shops) too.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000), help="Most rows shown.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Rows skipped first (for paging).")
@db_option
@format_option
@click.pass_context
def speakers(ctx, name, kind: str | None, descriptions: bool, include_not_news: bool, limit: int, offset: int, db,
             fmt: str) -> None:
    """Who speaks most across the corpus: one row a person or body, however many stories
    named it and however they spelt it, with counts by type and its names.

    Each article's speakers are joined to corpus-wide identities (same name or spelling,
    a surname-only mention to the one full-named candidate near that time, a pinned
    person); "joined" counts the article speakers each row holds, and "speakers show ID"
    gives the evidence of each join.
    """
    if ctx.invoked_subcommand is not None:
        return
    listing = _corpus(db).speakers(name=name, kind=kind, descriptions=descriptions, limit=limit, offset=offset,
                                   include_not_news=include_not_news)
    empty = f"no speakers{' named like ' + repr(name) if name else ''}{' of kind ' + kind if kind else ''} in this corpus"
    _listing(listing, SPEAKER_COLUMNS, fmt, empty=empty)


@speakers.command("show", epilog="\b\nExamples:\n  onrecord speakers show 25\n  onrecord speakers show 25 --format json")
@click.argument("speaker_id", type=click.IntRange(min=1), metavar="ID")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A readable listing, or JSON.")
def show_speaker(speaker_id: int, db, fmt: str) -> None:
    """One speaker across the corpus: its names and why each article speaker was joined in."""
    data = _corpus(db).speaker(speaker_id)
    if data is None:
        raise click.UsageError(f"no speaker {speaker_id} in this corpus (see: onrecord speakers)")
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    pinned = f", {data['person_id']} in the people file" if data["person_id"] else ""
    click.echo(f"{data['id']}  {data['name']} ({data['kind']}{pinned}): {data['statements']} statements")
    click.echo(f"  names: {'; '.join(data['aliases'])}")
    for j in data["joins"]:
        click.echo(f"  + speaker {j['speaker_id']} '{j['name']}' [{j['rule']}, {j['confidence']:.2f}] {j['evidence']}")


@speakers.command("import", epilog="\b\nExamples:\n  onrecord speakers import people.csv\n\n\b\npeople.csv:\n  id,name,aliases,kind\n  Q3874799,Volodymyr Zelenskyy,Vladimir Zelensky;Zelenskiy,person")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
def import_people(path: str, db) -> None:
    """Pin identities from a CSV of people: columns id,name and optionally aliases (separated
    by ; or |), kind (person, organization, place) and any others (kept with the person).
    Importing again updates the people by id. The corpus is relinked."""
    from ..record.people import PeopleFileError
    from ..record.people import import_people as load
    from ..record.relink import relink

    engine = _open_existing(db)
    try:
        count = load(engine, path)
    except PeopleFileError as exc:
        raise click.UsageError(str(exc)) from None
    summary = relink(engine)
    click.echo(f"{path}: {count} people; {summary.line()}")


@speakers.command("merge", epilog="\b\nExamples:\n  onrecord speakers merge 497 79 --note 'one Obama'")
@click.argument("speaker_id", type=click.IntRange(min=1), metavar="ID")
@click.argument("into_id", type=click.IntRange(min=1), metavar="INTO")
@click.option("--note", default=None, help="Why (kept with the merge).")
@db_option
def merge(speaker_id: int, into_id: int, note: str | None, db) -> None:
    """Join speaker ID into speaker INTO, whatever the rules say. Kept across re-analysis and
    relinks (by the speakers' keys); undo with: onrecord speakers split ID."""
    _override(db, "merge", speaker_id, into_id, note)


@speakers.command("split", epilog="\b\nExamples:\n  onrecord speakers split 524")
@click.argument("speaker_id", type=click.IntRange(min=1), metavar="ID")
@click.option("--note", default=None, help="Why (kept with the split).")
@db_option
def split(speaker_id: int, note: str | None, db) -> None:
    """Take article speaker ID out of the identity it was joined to (see speakers show), and
    keep it out of every automatic join; a user's merge of it still holds."""
    _override(db, "split", speaker_id, None, note)


def _override(db, action: str, speaker_id: int, into_id: int | None, note: str | None) -> None:
    """Record a user's merge or split, then relink so that every output shows it at once."""
    from ..record.overrides import OverrideError, record_override
    from ..record.relink import relink

    engine = _open_existing(db)
    try:
        record_override(engine, action, speaker_id, into_id, note)
    except OverrideError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(relink(engine).line())


QUOTE_COLUMNS = ["id", "speaker", "text", "first", "appearances"]


@main.command(epilog="\b\nExamples:\n  onrecord quotes\n  onrecord quotes --speaker ruiz --altered --format json")
@click.option("--speaker", metavar="NAME", help="Only quotations of speakers whose name contains NAME.")
@click.option("--altered", is_flag=True, help="Only quotations that some story printed with other words.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000), help="Most rows shown.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Rows skipped first (for paging).")
@db_option
@format_option
def quotes(speaker: str | None, altered: bool, limit: int, offset: int, db, fmt: str) -> None:
    """Quotations printed by several stories: where each first appeared, every later
    appearance, and how its words relate to the first (exact, partial, altered: with the
    words that differ)."""
    corpus = _corpus(db)
    listing = corpus.quotations(speaker=speaker, altered=altered, limit=limit, offset=offset)
    rows = None
    if fmt == "table":
        rows = [{**r, "speaker": r["speaker"]["name"],
                 "first": f"{r['first']['published'] or '?'} {r['first']['site'] or ''} (article {r['first']['article_id']})"
                          + (f": {r['first']['why']}" if r['first'].get('why') else ""),
                 "appearances": "; ".join(_appearance_line(a) for a in r["appearances"][1:])} for r in listing.rows]
    _listing(listing, QUOTE_COLUMNS, fmt, rows=rows, empty=_no_quotations(corpus, speaker, altered))


def _no_quotations(corpus, speaker: str | None, altered: bool) -> str:
    """What an empty quotation listing means: with filters, how many quotations there are without them."""
    if not (speaker or altered):
        return "no quotation printed by two stories in this corpus"
    wanted = " and ".join(w for w in (f"of a speaker named like {speaker!r}" if speaker else "",
                                      "printed with other words" if altered else "") if w)
    total = corpus.quotations(limit=1).total
    return (f"no quotation {wanted}; {total} quotation(s) printed by two stories or more in all"
            f"{' (see: onrecord quotes)' if total else ''}")


def _appearance_line(a: dict) -> str:
    changes = ", ".join(f"{c['first']!r}→{c['this']!r}" for c in a.get("changes") or [])
    return f"{a['published'] or '?'} {a['site'] or ''}: {a['relation']}{' ' + changes if changes else ''}"


DISPUTE_COLUMNS = ["claim", "denial", "scope", "score", "evidence"]


@main.command(epilog="\b\nExamples:\n  onrecord disputes\n  onrecord disputes --scope corpus --format json")
@click.option("--scope", type=click.Choice(["all", "article", "corpus"]), default="all", show_default=True,
              help="Links within one article, across articles, or both.")
@click.option("--include-not-news", is_flag=True,
              help="Also pairs on pages that are not news (forums, wikis, tutorials, shops).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000), help="Most rows shown.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Rows skipped first (for paging).")
@db_option
@format_option
def disputes(scope: str, include_not_news: bool, limit: int, offset: int, db, fmt: str) -> None:
    """Claims beside the statements that deny them (one row a pair), within one story or
    across stories, each with its score and evidence."""
    listing = _corpus(db).disputes(scope=None if scope == "all" else scope, limit=limit, offset=offset,
                                   include_not_news=include_not_news)
    rows = None
    if fmt == "table":
        rows = [{**r, "claim": _said_line(r["claim"]), "denial": _said_line(r["denial"]),
                 "evidence": json.dumps(r["evidence"], ensure_ascii=False) if r["evidence"] else ""}
                for r in listing.rows]
    _listing(listing, DISPUTE_COLUMNS, fmt, rows=rows,
             empty=f"no disputes{' across articles' if scope == 'corpus' else ''}"
                   f"{' within articles' if scope == 'article' else ''} in this corpus")


def _said_line(s: dict) -> str:
    return f"{s['speaker'] or '?'} ({s['published'] or '?'}, article {s['article_id']}): {s['text']}"


@main.command(epilog="\b\nExamples:\n  onrecord relink\n  onrecord relink --where-stale --db news.db\n"
                     "  onrecord relink --lexicon newsroom-words.toml")
@click.option("--where-stale", is_flag=True,
              help="Only when other linkers or other words made the links (see: onrecord steps --corpus).")
@lexicon_option
@db_option
def relink(where_stale: bool, lexicon, db) -> None:
    """Run the linkers across articles again: speaker identities, quotations and disputes
    between stories (after a merge, an import, a reanalysis or an upgrade; ingest and
    batch link new stories themselves)."""
    corpus = _corpus(db)
    if where_stale:
        why = corpus.stale_links(lexicon)
        if why is None:
            click.echo(f"{corpus.name}: the links are up to date")
            return
        click.echo(f"{corpus.name}: relinking ({why})", err=True)
    click.echo(corpus.relink(lexicon).line())

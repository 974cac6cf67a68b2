"""Corpus commands: exact output and the database they leave."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from corpus_data import FLOOD, REPAIRS, retitled
from sqlalchemy import select

from onrecord.cli import main
from onrecord.store.queries import EXPORT_COLUMNS
from onrecord.store.db import database_url, describe, make_engine
from onrecord.store.schema import documents


@pytest.fixture
def corpus(tmp_path, db_url):
    """A corpus of two stories (one carried twice) and one bad input."""
    folder = tmp_path / "news"
    folder.mkdir()
    lines = [{"text": FLOOD, "doc_id": "a", "published": "2025-03-11", "site": "dailypost.example",
              "title": "River Dane bursts its banks"},
             {"text": retitled(FLOOD), "doc_id": "b", "published": "2025-03-12", "site": "wire.example"},
             {"text": REPAIRS, "doc_id": "c", "published": "2025-03-12", "site": "dailypost.example",
              "title": "Holmbrook counts the cost"}]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db_url])
    return db_url, folder, result


def test_cli_ingest_summary_failures_and_exit_code(corpus):
    db, folder, result = corpus
    assert result.exit_code == 1
    assert result.stdout == f"{describe(db)}: read 4, new 2, duplicate 1, unchanged 0, failed 1\n"
    assert result.stderr == f"onrecord: error: {folder}/wire.jsonl:4: not valid JSON (Expecting value at column 1)\n"
    engine = make_engine(database_url(db))
    with engine.connect() as conn:
        rows = conn.execute(select(documents.c.source, documents.c.outcome, documents.c.reason)
                            .order_by(documents.c.source)).all()
    assert [(s.rsplit("/", 1)[-1], o) for s, o, _ in rows] == [
        ("wire.jsonl:1", "new"), ("wire.jsonl:2", "duplicate"), ("wire.jsonl:3", "new"), ("wire.jsonl:4", "failed")]
    assert rows[1].reason.startswith("near copy of article 1")


def test_cli_ingest_again_changes_nothing(corpus):
    db, folder, _ = corpus
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert result.stdout == f"{describe(db)}: read 4, new 0, duplicate 0, unchanged 3, failed 1\n"


def test_cli_search_csv(corpus):
    db = corpus[0]
    result = CliRunner().invoke(main, ["search", "rebuild", "--db", db, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["speaker"], r["type"], r["kind"], r["date"], r["source"]) for r in rows] == [
        ("Clara Whitfield", "assertion", "direct", "2025-03-11", "dailypost.example")]
    assert rows[0]["content"] == "We did everything we could, and we will rebuild every street"


def test_cli_search_filters(corpus):
    db = corpus[0]
    runner = CliRunner()

    def ids(*args):
        out = runner.invoke(main, ["search", *args, "--db", db, "--format", "jsonl"]).stdout
        return [json.loads(line)["speaker"] for line in out.splitlines()]

    assert ids("--speaker", "baxter") == ["Tom Baxter", "Tom Baxter"]
    assert ids("--type", "denial") == ["council"]
    assert set(ids("--since", "2025-03-12")) == {"Insurers", "Tom Baxter", "council", "Amira Hassan", "Ministers"}
    assert ids("--source", "nowhere.example") == []
    assert "Tom Baxter" not in ids("--until", "2025-03-11")


def test_cli_speakers_json(corpus):
    db = corpus[0]
    rows = json.loads(CliRunner().invoke(main, ["speakers", "--db", db, "--format", "json"]).stdout)
    top = rows[0]
    assert set(top) == {"id", "name", "kind", "person_id", "statements", "by_type", "aliases", "joined"}
    whitfield = next(r for r in rows if r["name"] == "Clara Whitfield")
    assert whitfield["kind"] == "person" and sum(whitfield["by_type"].values()) == whitfield["statements"]
    assert "Mayor Clara Whitfield" in whitfield["aliases"]


def test_cli_show_by_source_and_id(corpus):
    db, folder, _ = corpus
    runner = CliRunner()
    by_source = json.loads(runner.invoke(main, ["show", f"{folder}/wire.jsonl:2", "--db", db,
                                                "--format", "json"]).stdout)
    assert by_source["id"] == 1 and by_source["first_published"] == "2025-03-11"
    assert [a["site"] for a in by_source["appearances"]] == ["dailypost.example", "wire.example"]
    table = runner.invoke(main, ["show", "1", "--db", db], terminal_width=200).stdout
    assert table.startswith("article 1: River Dane bursts its banks — first published 2025-03-11, 2 appearance(s)")
    missing = runner.invoke(main, ["show", "99", "--db", db])
    assert missing.exit_code == 2 and "no article '99'" in missing.stderr


def test_cli_disputes_jsonl(corpus):
    db = corpus[0]
    out = CliRunner().invoke(main, ["disputes", "--db", db, "--format", "jsonl"]).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["denial"]["speaker"] == "council" for r in rows)
    assert any("ignoring warnings" in r["claim"]["text"] for r in rows)
    assert all(r["scope"] == "article" and r["score"] == 1.0 for r in rows)
    assert all(set(r["claim"]) >= {"statement_id", "article_id", "doc_id", "speaker", "text", "published"}
               for r in rows)


def test_cli_export_csv_and_parquet(corpus, tmp_path):
    db = corpus[0]
    runner = CliRunner()
    out = runner.invoke(main, ["export", "speakers", "--format", "csv", "--db", db]).stdout
    assert out.splitlines()[0] == ",".join(EXPORT_COLUMNS["speakers"])
    target = tmp_path / "statements.parquet"
    result = runner.invoke(main, ["export", "statements", "--format", "parquet", "--out", str(target), "--db", db])
    assert result.exit_code == 0
    table = pq.read_table(target)
    assert table.num_rows > 5 and "content" in table.column_names and "speaker" in table.column_names
    articles = [json.loads(x) for x in runner.invoke(main, ["export", "articles", "--db", db]).stdout.splitlines()]
    assert [a["appearances"] for a in articles] == [2, 1]
    assert runner.invoke(main, ["export", "--format", "parquet", "--db", db]).exit_code == 2


def test_cli_read_commands_need_an_existing_corpus(tmp_path):  # a SQLite file that is not there
    result = CliRunner().invoke(main, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "onrecord ingest" in result.stderr


def test_cli_search_rows_lead_to_their_article_and_statement(corpus):
    db = corpus[0]
    runner = CliRunner()
    (row,) = json.loads(runner.invoke(main, ["search", "rebuild", "--db", db, "--format", "json"]).stdout)
    assert row["article_id"] == 1 and row["doc_id"] == "a"
    assert (row["published"], row["site"]) == ("2025-03-11", "dailypost.example")
    table = runner.invoke(main, ["search", "rebuild", "--db", db], terminal_width=250).stdout
    assert "article_id" in table
    shown = json.loads(runner.invoke(main, ["show", "--statement", str(row["statement_id"]), "--db", db,
                                            "--format", "json"]).stdout)
    (one,) = shown
    assert one["article_id"] == 1 and one["speaker"] == "Clara Whitfield" and one["content"] == row["content"]
    assert one["denies"] == [] and isinstance(one["denied_by"], list)
    denial = json.loads(runner.invoke(main, ["search", "--type", "denial", "--db", db, "--format", "json"]).stdout)[0]
    linked = json.loads(runner.invoke(main, ["show", "--statement", str(denial["statement_id"]), "--db", db,
                                             "--format", "json"]).stdout)[0]
    assert linked["denies"]  # the claim it denies, by corpus id
    table = runner.invoke(main, ["show", "--statement", str(row["statement_id"]), "--db", db]).stdout
    assert f"statement {row['statement_id']} of article 1 (onrecord show 1)" in table
    assert runner.invoke(main, ["show", "--statement", "9999", "--db", db]).exit_code == 2
    assert runner.invoke(main, ["show", "--db", db]).exit_code == 2


def test_cli_empty_results_say_so_on_stderr(corpus):
    db = corpus[0]
    result = CliRunner().invoke(main, ["search", "zebra", "--db", db])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("onrecord: note: no statements match") and result.stderr.count("\n") == 1
    as_json = CliRunner().invoke(main, ["search", "zebra", "--db", db, "--format", "json"])
    assert json.loads(as_json.stdout) == [] and "no statements match" in as_json.stderr
    assert "no speakers" in CliRunner().invoke(main, ["speakers", "--name", "zebra", "--db", db]).stderr


def test_cli_ingest_of_nothing_fails_with_a_note(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    assert "nothing to read in" in result.stderr and "no files there" in result.stderr


def test_cli_readme_search_since_finds_the_example_story(tmp_path):
    from conftest import EXAMPLES

    db = str(tmp_path / "news.db")
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(EXAMPLES), "--published", "2025-03-15", "--db", db])
    assert "new 1," in ingested.stdout and "gold.json: a JSON document" in ingested.stderr
    rows = json.loads(runner.invoke(main, ["search", "ceasefire", "--speaker", "Putin", "--since", "2025-03-01",
                                           "--db", db, "--format", "json"]).stdout)
    assert rows and all(r["speaker"] == "Vladimir Putin" and r["date"] >= "2025-03-01" for r in rows)


def test_cli_progress_counts_the_bytes_of_the_files_first(tmp_path):
    from onrecord.cli import _input_bytes

    (tmp_path / "a.txt").write_text("x" * 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("y" * 5)
    assert _input_bytes([str(tmp_path)]) == 15
    assert _input_bytes(["-"]) is None  # a pipe has no size: no bar


def test_cli_show_statement_and_export_give_the_sentence_around_it(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Floods closed the coast road on Monday. Engineers inspected the dam overnight. "
                     "Mayor Ann Ruiz said on Tuesday that the dam was safe. Residents were relieved.\n",
                     encoding="utf-8")
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(story), "--db", db, "-q"]).exit_code == 0
    [row] = [json.loads(line) for line in runner.invoke(
        main, ["export", "statements", "--format", "jsonl", "--db", db]).stdout.splitlines()]
    assert row["context"] == "Mayor Ann Ruiz said on Tuesday that the dam was safe."
    shown = json.loads(runner.invoke(main, ["show", "--statement", str(row["id"]), "--db", db,
                                            "--format", "json"]).stdout)
    assert shown[0]["context"] == row["context"] if isinstance(shown, list) else shown["context"] == row["context"]

"""Output safe for where it goes: no escape sequence reaches a terminal, no formula a spreadsheet."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from onrecord import analyze
from onrecord.cli import main
from onrecord.output import emit_rows, print_table
from onrecord.safe_output import csv_cell, terminal_safe

ESC_TITLE = "\x1b[2J\x1b]0;PWNED\x07Title"
HOSTILE = {"text": '"We will rebuild \x1b[2J\x1b]0;PWNED\x07 the bridge," said Mayor Ann Lee on Monday.',
           "title": '=HYPERLINK("http://evil.example","click")', "site": "@SUM(1+1)",
           "url": "http://news.example/1", "doc_id": "hostile-1", "published": "2025-03-10"}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "in.jsonl"
    path.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = str(folder / "c.db")
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    return db


def test_safe_output_terminal_safe_escapes_controls_and_bidi():
    assert terminal_safe("a\x1b[2Jb\x07\u202ec\x9b") == "a\\x1b[2Jb\\x07\\u202ec\\x9b"
    assert terminal_safe("line\nnext\ttab “ok” é") == "line\nnext\ttab “ok” é"


def test_safe_output_csv_cell_neutralises_formula_starts_only():
    assert [csv_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx")] == \
        ["'=1+1", "'+1", "'-2", "'@SUM(1)", "'\tx", "'\rx"]
    assert [csv_cell(v) for v in ("plain", -3, 1.5, None, "a=b")] == ["plain", -3, 1.5, None, "a=b"]


def test_output_print_table_writes_no_escape_sequence():
    record = analyze(HOSTILE["text"])
    out = io.StringIO()
    from rich.console import Console

    print_table(record, "src\x1b]0;x\x07", Console(file=out, width=200))
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "\\x1b[2J" in out.getvalue()


def test_output_emit_rows_table_escapes_title_and_cells():
    out = io.StringIO()
    emit_rows([{"title": ESC_TITLE}], ["title"], "table", out=out, title=ESC_TITLE)
    assert "\x1b" not in out.getvalue() and "PWNED" in out.getvalue()


def test_output_emit_rows_csv_neutralises_and_keep_formulas_keeps():
    rows = [{"title": "=HYPERLINK(1)", "n": -1}]
    out = io.StringIO()
    emit_rows(rows, ["title", "n"], "csv", out=out)
    assert list(csv.reader(io.StringIO(out.getvalue())))[1] == ["'=HYPERLINK(1)", "-1"]
    out = io.StringIO()
    emit_rows(rows, ["title", "n"], "csv", out=out, keep_formulas=True)
    assert list(csv.reader(io.StringIO(out.getvalue())))[1] == ["=HYPERLINK(1)", "-1"]


@pytest.mark.parametrize("args", [["search", "rebuild"], ["speakers"], ["show", "1"], ["disputes"]])
def test_cli_tables_write_no_escape_sequence(hostile_db, args):
    result = CliRunner().invoke(main, [*args, "--db", hostile_db])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_cli_extract_table_writes_no_escape_sequence(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(HOSTILE["text"], encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "\\x1b" in result.stdout


def test_cli_search_csv_neutralises_formulas_unless_asked(hostile_db):
    rows = list(csv.DictReader(io.StringIO(
        CliRunner().invoke(main, ["search", "rebuild", "--db", hostile_db, "--format", "csv"]).stdout)))
    assert rows[0]["title"].startswith("'=HYPERLINK")
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(
        main, ["search", "rebuild", "--db", hostile_db, "--format", "csv", "--csv-formulas"]).stdout)))
    assert rows[0]["title"].startswith("=HYPERLINK")


def test_cli_export_csv_neutralises_titles_and_sites(hostile_db):
    out = CliRunner().invoke(main, ["export", "articles", "--format", "csv", "--db", hostile_db]).stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'" + HOSTILE["title"] and row["site"] == "'@SUM(1+1)"
    kept = CliRunner().invoke(main, ["export", "articles", "--format", "csv", "--csv-formulas",
                                     "--db", hostile_db]).stdout
    assert next(csv.DictReader(io.StringIO(kept)))["site"] == "@SUM(1+1)"

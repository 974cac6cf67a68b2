"""The command line: exact output, exit codes, errors that name the file and line."""

import json

import click
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES

from onrecord.cli import main
from onrecord.ingest.readers import EXPECTED

STORY = "“The bridge will reopen in May,” Mayor Anne Hidalgo said on Tuesday.\n"


@pytest.fixture
def runner():
    return CliRunner()


def test_cli_extract_json_one_record(runner, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path), "--json", "--published", "2025-03-15"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["published"] == "2025-03-15"
    assert record["doc_id"] == str(path)
    [statement] = record["statements"]
    assert statement["content"] == {"start": 1, "end": 30, "text": "The bridge will reopen in May"}
    assert statement["speaker"]["name"] == "Anne Hidalgo"
    assert statement["when"]["date"] == "2025-03-11"


def test_cli_extract_table(runner, tmp_path):
    # a path longer than an 80-column terminal: the heading must stay one line, whole
    folder = tmp_path / ("wire-copies-" + "x" * 70)
    folder.mkdir()
    path = folder / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: 1 statement(s), 1 speaker(s)"
    row = next(line for line in lines if "Anne Hidalgo" in line)
    assert "assertion" in row and "direct" in row and "The bridge will reopen in May" in row


def test_cli_extract_jsonl_input_and_output_carry_doc_ids(runner, tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        {"doc_id": "a", "text": "The minister said the plan had failed.", "published": "2025-01-02"},
        {"id": 7, "text": "Unions urged the government to act.", "title": "Unions"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path), "--jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["doc_id"] for r in records] == ["a", "7"]
    assert records[0]["published"] == "2025-01-02" and records[1]["title"] == "Unions"


def test_cli_extract_stdin(runner):
    result = runner.invoke(main, ["extract", "-", "--jsonl"], input=STORY)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["doc_id"] == "<stdin>"


def test_cli_bad_inputs_are_reported_and_others_go_on(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "He said no."}\nnot json\n{"title": "no text"}\n', encoding="utf-8")
    result = runner.invoke(main, ["extract", str(empty), str(binary), str(broken), str(good),
                                  str(tmp_path / "missing.txt"), "--jsonl"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"onrecord: error: {empty}: empty file, nothing to analyse",
        f"onrecord: error: {binary}: a PNG image, not an article; {EXPECTED}",
        f"onrecord: error: {broken}:2: not valid JSON (Expecting value at column 1)",
        f"onrecord: error: {broken}:3: no article text (expected one of the fields text, content, body, maintext)",
        f"onrecord: error: {tmp_path / 'missing.txt'}: no such file",
    ]
    doc_ids = [json.loads(line)["doc_id"] for line in result.stdout.splitlines()]
    assert doc_ids == [f"{broken}:1", str(good)]


def test_cli_latin1_file_is_read_with_a_note(runner, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("The café owner said the café would close.".encode("latin-1"))
    result = runner.invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0
    assert "read as Windows-1252" in result.stderr
    assert "café would close" in json.loads(result.stdout)["statements"][0]["content"]["text"]


def test_cli_too_long_input_is_refused_with_the_fix(runner, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x " * 600, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path), "--max-chars", "1000"])
    assert result.exit_code == 1
    assert "1,200 characters is over the limit of 1,000 (raise it with --max-chars)" in result.stderr


def test_cli_unbalanced_quotes_give_a_best_effort_record(runner, tmp_path):
    path = tmp_path / "unbalanced.txt"
    path.write_text("“This quote never closes, the chief said.\nAnd “another one.\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0
    json.loads(result.stdout)


def test_cli_usage_errors(runner, tmp_path):
    result = runner.invoke(main, ["extract", "a.txt", "b.txt", "--json"])
    assert result.exit_code == 2 and "use --jsonl" in result.stderr
    result = runner.invoke(main, ["extract", "a.txt", "--published", "yesterday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_cli_example_story_runs(runner):
    result = runner.invoke(main, ["extract", str(EXAMPLES / "kursk-ceasefire.txt"), "--json",
                                  "--published", "2025-03-15"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["statements"]) >= 17


def _commands(group):
    yield group
    if isinstance(group, click.Group):
        for command in group.commands.values():
            yield from _commands(command)


@pytest.mark.parametrize("command", list(_commands(main)), ids=lambda c: c.name)
def test_cli_every_command_and_option_is_documented(command):
    help_text = (command.help or "") + (command.epilog or "")
    assert "Example" in help_text, f"{command.name}: help has no example"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{command.name} {param.opts}: option without help"

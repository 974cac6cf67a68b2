"""A database or an input that cannot be used ends in one line that says what to do, never a traceback."""

import io
import os
import sqlite3
import sys
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

from onrecord.cli import main
from onrecord.ingest import InputError, Loaded, read_path
from onrecord.ingest import readers
from onrecord.store import db as store_db
from onrecord.store.explain import explain

STORY = '"We will rebuild," said Mayor Ann Lee.\n'


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return str(path)


def one_line_error(result, *words):
    """The command failed with a single ``onrecord: error:`` line holding ``words``."""
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("onrecord: error:", "Error:"))]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def make_newer(path):
    with sqlite3.connect(path) as conn:
        conn.execute("create table alembic_version (version_num varchar(32) primary key)")
        conn.execute("insert into alembic_version values ('ffff0000beef')")


def make_foreign(path):
    with sqlite3.connect(path) as conn:
        conn.execute("create table articles (headline text)")


def make_not_a_database(path):
    path.write_bytes(b"just some text, not a database at all " * 40)


def make_truncated(path, story_path):
    good = path.with_name("good.db")
    CliRunner().invoke(main, ["ingest", story_path, "--db", str(good), "-q"])
    path.write_bytes(good.read_bytes()[:5000])


@pytest.mark.parametrize("command", [["ingest"], ["search", "x"]])
@pytest.mark.parametrize("case, words", [("newer", ["newer version"]), ("foreign", ["not an onrecord corpus"]),
                                         ("not_a_database", ["not a readable SQLite database"]),
                                         ("truncated", ["not a readable SQLite database"])])
def test_cli_unusable_sqlite_database_is_one_line_error(tmp_path, story, command, case, words):
    path = tmp_path / "corpus.db"
    if case == "truncated":
        make_truncated(path, story)
    else:
        {"newer": make_newer, "foreign": make_foreign, "not_a_database": make_not_a_database}[case](path)
    args = [*command, story] if command == ["ingest"] else command
    one_line_error(CliRunner().invoke(main, [*args, "--db", str(path)]), *words)


def test_cli_db_directory_is_one_line_error(tmp_path, story):
    one_line_error(CliRunner().invoke(main, ["ingest", story, "--db", str(tmp_path)]), "is a directory")


def test_cli_db_in_missing_folder_is_one_line_error(tmp_path, story):
    missing = tmp_path / "no" / "such" / "corpus.db"
    one_line_error(CliRunner().invoke(main, ["ingest", story, "--db", str(missing)]), "does not exist")


@pytest.mark.parametrize("url", ["mysql://user@host/news", "nonsense://x"])
def test_cli_unsupported_database_url_is_one_line_error(story, url):
    one_line_error(CliRunner().invoke(main, ["ingest", story, "--db", url]), "not a database onrecord can use")


@pytest.mark.parametrize("url, words", [
    ("postgresql://no_such_role_x@127.0.0.1/test", ["no_such_role_x"]),
    ("postgresql://127.0.0.1:1/test", ["port 1"]),
    ("postgresql://127.0.0.1/no_such_database_x", ["no_such_database_x"]),
    ("postgresql://no-such-host.invalid/test", ["no-such-host.invalid"]),
])
def test_cli_unreachable_postgresql_is_one_line_error(story, url, words):
    from conftest import _postgres_reachable

    if "127.0.0.1/" in url and not _postgres_reachable():
        pytest.skip("needs the test PostgreSQL server to say what is wrong")
    one_line_error(CliRunner().invoke(main, ["ingest", story, "--db", url]), "check the URL", *words)


def test_cli_write_lock_held_too_long_is_one_line_error(tmp_path, story, monkeypatch):
    path = tmp_path / "corpus.db"
    assert CliRunner().invoke(main, ["ingest", story, "--db", str(path), "-q"]).exit_code == 0
    other = tmp_path / "other.txt"
    other.write_text('"Something else entirely," said Bo Nash.\n', encoding="utf-8")
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(main, ["ingest", str(other), "--db", str(path), "-q"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    one_line_error(result, "locked by another process")


def test_store_explain_read_only_database(tmp_path):
    exc = OperationalError("INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    assert "read-only" in explain(exc, str(tmp_path / "c.db"))


def test_store_explain_unknown_failure_is_left_alone():
    assert explain(ValueError("a bug"), None) is None


def test_cli_unknown_encoding_is_usage_error(story):
    for command in (["extract", story], ["ingest", story, "--db", "x.db"]):
        result = CliRunner().invoke(main, [*command, "--encoding", "nonexistent"])
        assert result.exit_code == 2 and "unknown text encoding" in result.output
    assert "unknown text encoding" in CliRunner().invoke(main, ["extract", story, "--encoding", "rot13"]).output


def test_readers_dev_zero_is_refused_not_read():
    (error,) = read_path("/dev/zero")
    assert isinstance(error, InputError) and "not a regular file" in error.message


def test_readers_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = []
    worker = threading.Thread(target=lambda: done.extend(read_path(str(fifo))), daemon=True)
    worker.start()
    worker.join(5)
    assert done and "not a regular file" in done[0].message


def test_readers_fifo_in_folder_is_one_failure_among_inputs(tmp_path):
    from onrecord.ingest.sources import expand

    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(tmp_path / "b.pipe")
    results = [r for path, _ in expand([str(tmp_path)]) for r in read_path(path)]
    assert [type(r) for r in results] == [Loaded, InputError]


def test_readers_stdin_over_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 101)))
    (error,) = read_path("-")
    assert isinstance(error, InputError) and "standard input over" in error.message
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    (loaded,) = read_path("-")
    assert isinstance(loaded, Loaded)


def test_readers_utf16_with_bom_is_read_as_text():
    (loaded,) = readers.read_bytes(STORY.encode("utf-16"), "u16.txt")
    assert isinstance(loaded, Loaded) and loaded.article.text == STORY and "UTF-16" in loaded.note


def test_readers_feed_root_after_4kb_is_read_as_feed():
    feed = ('<?xml version="1.0"?>\n<!--' + "x" * 5000 + '-->\n<rss version="2.0"><channel><title>S</title>'
            '<item><title>T</title><description>"Late," said Al Good.</description></item></channel></rss>')
    assert readers.sniff(feed.encode(), "feed.xml") == "feed"

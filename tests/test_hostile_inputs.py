"""One bad input never stops a run: each is reported with its name, the others go on."""

import gzip
import json
import zlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from onrecord import analyze
from onrecord.analysis.pipeline import analyze_stream
from onrecord.cli import main
from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import InputError, Loaded, read_path
from onrecord.ingest.clean import clean_text, display_name, replace_surrogate_references
from onrecord.ingest.readers import read_bytes, read_jsonl
from onrecord.model import ArticleInput
from onrecord.store.schema import articles, documents

GOOD = '"Fine," said Al Good.\n'
FEED_WITH_SURROGATE = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>T</title>'
    '<link>http://x.example/1</link><description>"Bad &#xD800; here," said Bo Bad.</description>'
    '</item></channel></rss>')


def repro_folder(tmp_path):
    """The issue's folder: a good text, a feed holding ``&#xD800;``, another good text."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.rss").write_text(FEED_WITH_SURROGATE, encoding="utf-8")
    (folder / "c.txt").write_text('"Also fine," said Cy Fine.\n', encoding="utf-8")
    return folder


def test_corpus_ingest_folder_with_surrogate_feed_stores_every_input(db_url, tmp_path):
    engine = open_corpus(db_url, writer=True)
    summary = Ingestor(engine).ingest([str(repro_folder(tmp_path))])
    assert (summary.read, summary.new, summary.failed) == (3, 3, 0)
    with engine.connect() as conn:
        texts = conn.execute(select(articles.c.text)).scalars().all()
        reasons = dict(conn.execute(select(documents.c.source, documents.c.reason)).all())
    assert any("\ufffd" in t for t in texts)
    assert "surrogate" in next(r for s, r in reasons.items() if s.endswith("b.rss#1"))


def test_cli_ingest_repro_folder_stores_all_and_rerun_is_unchanged(tmp_path):
    folder, db = repro_folder(tmp_path), str(tmp_path / "t.db")
    first = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert first.exit_code == 0, first.output
    assert "new 3" in first.stdout
    again = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert "unchanged 3" in again.stdout and again.exit_code == 0


def test_readers_jsonl_surrogate_and_nul_are_cleaned_with_a_note():
    line = json.dumps({"text": '"Hi \ud800 there\u0000," said Al Good.', "title": "x\ud800"})
    (loaded,) = read_jsonl(line, "s.jsonl")
    assert isinstance(loaded, Loaded)
    assert loaded.article.text == '"Hi \ufffd there," said Al Good.'
    assert loaded.article.title == "x\ufffd"
    assert "surrogate" in loaded.note and "NUL" in loaded.note


def test_cli_extract_json_with_surrogate_title_prints_the_record(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"text": '"Hi \ud800," said Al Good.', "title": "T\ud800"}) + "\n"
                    + json.dumps({"text": '"Good line," said Bo Good.'}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == ["T\ufffd", None]
    assert len(records[1]["statements"]) == 1


def test_pipeline_lone_surrogate_keeps_offsets_and_the_others_go_on():
    text = '"Hi \ud800 there," said Al Good.'
    results = list(analyze_stream([ArticleInput(text), ArticleInput('"Next," said Bo Good.')]))
    assert all(not isinstance(r, Exception) for _, r in results)
    content = results[0][1].statements[0].content
    assert (content.start, content.end, content.text) == (1, 11, "Hi \ufffd there")
    assert results[0][1].length == len(text)


def test_pipeline_bad_date_fails_that_article_only():
    results = list(analyze_stream([ArticleInput(GOOD, "not a date"), ArticleInput(GOOD)]))
    assert isinstance(results[0][1], Exception) and not isinstance(results[1][1], Exception)


def test_readers_corrupt_gzip_is_reported_not_raised():
    data = gzip.compress(b'{"text": "x"}\n' * 100)
    broken = data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:]
    (error,) = read_bytes(broken, "broken.jsonl.gz")
    assert isinstance(error, InputError) and "gzip" in error.message


def test_readers_zlib_error_inside_gzip_is_reported():
    header = gzip.compress(b"")[:10]
    (error,) = read_bytes(header + b"\xff" * 64, "bad.gz")
    assert isinstance(error, InputError) and "broken gzip" in error.message
    assert zlib  # the error zlib raises here is the one that used to escape


def test_readers_nested_gzip_layers_are_bounded():
    data = GOOD.encode()
    for _ in range(50):
        data = gzip.compress(data)
    (error,) = read_bytes(data, "deep.gz")
    assert isinstance(error, InputError) and "layers" in error.message
    (loaded,) = read_bytes(gzip.compress(gzip.compress(GOOD.encode())), "two.txt.gz.gz")
    assert isinstance(loaded, Loaded)


def test_readers_deeply_nested_json_line_is_reported_and_next_line_read():
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    results = list(read_jsonl(deep + "\n" + json.dumps({"text": GOOD}), "deep.jsonl"))
    assert isinstance(results[0], InputError) and "nested" in results[0].message
    assert isinstance(results[1], Loaded)


def test_readers_deeply_nested_json_file_is_sniffed_without_error():
    deep = ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    results = list(read_bytes(deep, "deep"))
    assert len(results) == 1  # read as something, or refused; never raised


def test_readers_jsonl_line_with_unicode_line_separators_is_one_article():
    text = json.dumps({"text": '"One\u2028line\u0085here," said Al Good.'}, ensure_ascii=False)
    results = list(read_jsonl(text + "\r\n" + json.dumps({"text": GOOD}) + "\n", "sep.jsonl"))
    assert [type(r) for r in results] == [Loaded, Loaded]
    assert "\u2028" in results[0].article.text and results[1].source == "sep.jsonl:2"


def test_readers_feed_with_surrogate_reference_is_read_with_a_note():
    (loaded,) = read_bytes(FEED_WITH_SURROGATE.encode(), "b.rss", name="b.rss")
    assert isinstance(loaded, Loaded) and "\ufffd" in loaded.article.text and "surrogate" in loaded.note


def test_clean_surrogate_references_only_replaces_surrogates():
    data, count = replace_surrogate_references(b"&#xD800; &#55296; &#57343; &#xE000; &#65; &#57344;")
    assert count == 3 and data == b"&#xFFFD; &#xFFFD; &#xFFFD; &#xE000; &#65; &#57344;"


def test_clean_text_leaves_normal_text_alone():
    assert clean_text("Ünïcode “quotes” — fine\u2028") == ("Ünïcode “quotes” — fine\u2028", [])


def test_clean_display_name_shows_undecodable_bytes():
    assert display_name("caf\udce9.txt") == "caf\\xe9.txt"


def test_corpus_ingest_nul_in_text_is_stored_without_it(db_url):
    engine = open_corpus(db_url, writer=True)
    inputs = [Loaded("n:1", ArticleInput('"Nul \x00 here," said Al Good.', title="t\x00")),
              Loaded("n:2", ArticleInput('"Good line," said Bo Good.'))]
    summary = Ingestor(engine).ingest_loaded(inputs)
    assert (summary.new, summary.failed) == (2, 0)
    with engine.connect() as conn:
        assert "\x00" not in "".join(conn.execute(select(articles.c.text)).scalars())


def test_corpus_ingest_database_refusal_fails_that_story_only(db_url, monkeypatch):
    from sqlalchemy.exc import DataError

    from onrecord.store import writer

    engine = open_corpus(db_url, writer=True)
    real = writer.insert_article

    def refuse_first(conn, item, *args, **kwargs):
        if "Bad" in item.text:
            raise DataError("INSERT", {}, ValueError("refused by the database"))
        return real(conn, item, *args, **kwargs)

    monkeypatch.setattr(writer, "insert_article", refuse_first)
    inputs = [Loaded("x:1", ArticleInput('"Bad one," said Al Bad.')), Loaded("x:2", ArticleInput(GOOD))]
    summary = Ingestor(engine).ingest_loaded(inputs)
    assert (summary.new, summary.failed) == (1, 1)
    assert "could not be stored" in summary.failures[0][1]


def test_readers_non_utf8_file_name_in_folder_is_read(tmp_path):
    import os

    folder = tmp_path / "names"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text(GOOD, encoding="utf-8")
    (loaded,) = read_path(str(folder / name))
    assert isinstance(loaded, Loaded) and loaded.source.endswith("caf\\xe9.txt")


def test_pipeline_analyze_library_call_with_surrogate_dumps_json():
    record = analyze('"Hi \udc00," said Al Good.', title="a\udfff")
    assert json.loads(record.model_dump_json())["title"] == "a\ufffd"


# -- limits of one article's analysis -----------------------------------------------------------

def test_prepare_punctuation_run_is_blanked_for_the_parser_only():
    from onrecord.analysis.prepare import MAX_PUNCT_RUN, RUN_ENDS, parser_text

    run = '"' * 1000
    text = f"Before {run} after."
    parsed = parser_text(text)
    assert len(parsed) == len(text) and parsed.startswith("Before " + '"' * RUN_ENDS + " ")
    assert parsed.endswith('"' * RUN_ENDS + " after.")
    short = "Wait" + "!" * MAX_PUNCT_RUN + " -- “quoted” (x)."
    assert parser_text(short) == short


@pytest.mark.parametrize("mark", ['"', "”", ")", "'", "("])
def test_pipeline_punctuation_run_is_analysed_in_linear_time(mark):
    import time

    started = time.monotonic()
    record = analyze(f'"Fine," said Al Good. {mark * 20_000} "Also," said Bo Nash.')
    assert time.monotonic() - started < 5  # the tokenizer took ~40 s on such a run
    assert [s.content.text for s in record.statements] == ["Fine", "Also"]
    assert record.statements[1].content.start == 22 + 20_000 + 2


def test_pipeline_statements_over_the_limit_fail_that_article_only():
    from onrecord.analysis.limits import AnalysisLimitError, AnalysisLimits

    items = [ArticleInput("“Yes,” he said. " * 10), ArticleInput(GOOD)]
    results = [r for _, r in analyze_stream(items, limits=AnalysisLimits(max_statements=5))]
    assert isinstance(results[0], AnalysisLimitError) and "over the limit of 5" in str(results[0])
    assert len(results[1].statements) == 1


def test_pipeline_article_past_its_time_fails_and_the_next_goes_on(monkeypatch):
    from onrecord.analysis import pipeline
    from onrecord.analysis.limits import AnalysisLimitError, AnalysisLimits

    clock = iter(range(0, 10_000, 50))  # every look at the clock is 50 s later
    monkeypatch.setattr(pipeline.time, "monotonic", lambda: next(clock))
    long_text = "\n".join([GOOD * 400] * 6)  # several pieces
    results = [r for _, r in analyze_stream([ArticleInput(long_text)], limits=AnalysisLimits(max_seconds=60))]
    assert isinstance(results[0], AnalysisLimitError) and "60 s" in str(results[0])


def test_pipeline_statement_limit_stops_the_steps_once_drafts_pass_it():
    """The statement limit bounds the work: once the drafts are past it, no later step runs."""
    import dataclasses

    from onrecord.analysis.engine import Extractor
    from onrecord.analysis.limits import AnalysisLimitError, AnalysisLimits

    extractor = Extractor()
    ran: list[str] = []

    def spied(step):
        def func(ctx):
            ran.append(step.id)
            return step.func(ctx)
        return dataclasses.replace(step, func=func)

    extractor.steps = [spied(step) for step in extractor.steps]
    text = "“Yes,” he said. " * 10
    result = next(r for _, r in analyze_stream([text], extractor=extractor, limits=AnalysisLimits(max_statements=5)))
    assert isinstance(result, AnalysisLimitError) and "10 statements is over the limit of 5" in str(result)
    made_drafts = next(i for i, s in enumerate(extractor.steps) if "drafts" in s.produces)
    assert ran[-1] == extractor.steps[made_drafts].id and "record.v3" not in ran


def test_pipeline_time_limit_is_checked_between_steps(monkeypatch):
    """An article that runs past its time during the steps stops at the next step."""
    import dataclasses

    from onrecord.analysis import pipeline
    from onrecord.analysis.engine import Extractor
    from onrecord.analysis.limits import AnalysisLimitError, AnalysisLimits

    now = [0.0]
    monkeypatch.setattr(pipeline.time, "monotonic", lambda: now[0])
    extractor = Extractor()
    ran: list[str] = []

    def spied(step, position):
        def func(ctx):
            ran.append(step.id)
            if position == 0:
                now[0] += 3600  # the first step takes "an hour"
            return step.func(ctx)
        return dataclasses.replace(step, func=func)

    extractor.steps = [spied(step, n) for n, step in enumerate(extractor.steps)]
    result = next(r for _, r in analyze_stream([GOOD], extractor=extractor, limits=AnalysisLimits(max_seconds=60)))
    assert isinstance(result, AnalysisLimitError) and "60 s" in str(result)
    assert ran == [extractor.steps[0].id]


def test_pipeline_pieces_of_an_article_past_its_time_are_not_parsed():
    """Pieces that were batched before their article ran out of time are dropped, not parsed."""
    from onrecord.analysis.pipeline import _parse

    class Parser:
        def __init__(self):
            self.seen: list[str] = []

        def pipe(self, pairs, as_tuples, batch_size):
            for text, key in pairs:
                self.seen.append(text)
                yield text.upper(), key

    parser = Parser()
    pieces = [(f"p{n}", (n % 2, n)) for n in range(6)]
    out = list(_parse(parser, iter(pieces), batch_size=3, wanted=lambda key: key[0] == 0))
    assert [key for _, key in out] == [key for _, key in pieces]  # every piece answered, in order
    assert parser.seen == ["p0", "p2", "p4"] and [doc for doc, _ in out] == ["P0", None, "P2", None, "P4", None]


def test_corpus_ingest_limit_failure_is_recorded_with_its_reason(tmp_path):
    from onrecord.analysis.limits import AnalysisLimits

    engine = open_corpus(str(tmp_path / "c.db"), writer=True)
    inputs = [Loaded("many", ArticleInput("“Yes,” he said. " * 10)), Loaded("one", ArticleInput(GOOD))]
    summary = Ingestor(engine, limits=AnalysisLimits(max_statements=5)).ingest_loaded(inputs)
    assert (summary.new, summary.failed) == (1, 1) and "statements" in summary.failures[0][1]


def test_cli_extract_max_statements_reports_the_article(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("“Yes,” he said. " * 10, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--max-statements", "5"])
    assert result.exit_code == 1 and "over the limit of 5" in result.output and "--max-statements" in result.output


def test_neardup_texts_without_words_are_not_one_story(tmp_path):
    from onrecord.neardup import fingerprint, signature, similarity

    assert fingerprint("!!! ???") != fingerprint("*** ---")
    assert similarity(signature("!!! ???"), signature("*** ---")) < 0.5
    assert fingerprint("Hello, world!") == fingerprint("hello world")  # words as before
    engine = open_corpus(str(tmp_path / "c.db"), writer=True)
    summary = Ingestor(engine).ingest_loaded([Loaded("a", ArticleInput("!!! ???")), Loaded("b", ArticleInput("♥ ♦ ♣"))])
    assert (summary.new, summary.duplicate) == (2, 0)


def test_readers_unexpected_reader_error_is_reported_for_that_input(tmp_path, monkeypatch):
    from onrecord.ingest import readers

    def broken(*args, **kwargs):
        raise KeyError("a bug in a reader")
        yield  # a generator, like the real one

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(readers, "read_bytes", broken)
    (error,) = read_path(str(tmp_path / "a.txt"))
    assert isinstance(error, InputError) and "KeyError" in error.message


def test_pipeline_parser_failure_fails_that_article_not_its_batch(monkeypatch):
    from onrecord.analysis import pipeline
    from onrecord.analysis.nlp import get_nlp

    real = get_nlp()

    class Fussy:
        """The model, except that it refuses any piece holding the word 'poison'."""

        def pipe(self, batch, **kwargs):
            if any("poison" in text for text, _ in batch):
                raise ValueError("the parser choked")
            return real.pipe(batch, **kwargs)

        def __call__(self, text):
            if "poison" in text:
                raise ValueError("the parser choked")
            return real(text)

    monkeypatch.setattr(pipeline, "get_nlp", lambda: Fussy())
    items = [ArticleInput(GOOD), ArticleInput('"Some poison," said Bo Bad.'), ArticleInput(GOOD)]
    results = [r for _, r in analyze_stream(items)]
    assert isinstance(results[1], ValueError)
    assert [len(r.statements) for r in (results[0], results[2])] == [1, 1]


def test_cli_extract_page_of_quot_entities_is_fast(tmp_path):
    import time

    page = tmp_path / "quot.html"
    page.write_text("<html><head><title>T</title></head><body><article><h1>Title</h1>"
                    "<p>\"We will rebuild the bridge,\" said Mayor Ann Lee on Monday in a statement.</p>"
                    f"<p>{'&quot;' * 100_000}</p><p>More text follows in this paragraph.</p></article></body></html>",
                    encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["extract", str(page), "--jsonl"])
    assert result.exit_code == 0 and time.monotonic() - started < 20  # took 115 s
    assert json.loads(result.stdout)["statements"]


def test_cli_extract_json_with_surrogate_title_prints_one_record(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": GOOD, "title": "T\ud800"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "T\ufffd"


def test_cli_ingest_folder_with_non_utf8_file_name_stores_every_file(tmp_path):
    import os

    folder = tmp_path / "names"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    (folder / "plain.txt").write_text('"Also fine," said Cy Fine.\n', encoding="utf-8")
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert result.exit_code == 0 and "new 2" in result.stdout, result.output
    again = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert "unchanged 2" in again.stdout


# -- the second pass: what still got through (issue 23) ------------------------------------------

def test_hostile_csv_lone_carriage_return_cannot_start_a_row(tmp_path, db_url):
    import csv
    import io

    line = json.dumps({"text": '"We will win," said John Smith.', "site": "ok\r@SUM(1+1)"})
    (tmp_path / "cr.jsonl").write_text(line + "\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(tmp_path / "cr.jsonl"), "--db", db_url, "-q"]).exit_code == 0
    for args in (["export", "articles", "--format", "csv"], ["search", "--format", "csv"]):
        out = CliRunner().invoke(main, [*args, "--db", db_url]).stdout
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
        assert len(rows) == 2, rows  # the header and one article: the CR stayed inside its cell


def test_hostile_jsonl_huge_integer_loses_only_its_line(tmp_path):
    path = tmp_path / "bigint.jsonl"
    path.write_text('{"text": ' + "9" * 5000 + "}\n" + json.dumps({"text": '"We will win," said John Smith.'}) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--jsonl"])
    assert result.stdout.count('"doc_id"') == 1
    assert "bigint.jsonl:1: a value onrecord cannot read: an integer of over 4,300 digits" in result.stderr


def test_hostile_link_out_of_an_ingested_folder_is_not_read(tmp_path, db_url):
    folder = tmp_path / "d"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text('"The password is swordfish," said John Smith.', encoding="utf-8")
    (folder / "x.txt").symlink_to(secret)
    (folder / "ok.txt").write_text('"We will win," said Ann Lee.', encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "ok.txt")  # a link inside the folder is fine
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db_url, "-q"])
    assert result.exit_code == 1 and "outside the folder given" in result.stderr and "--follow-symlinks" in result.stderr
    found = CliRunner().invoke(main, ["search", "swordfish", "--db", db_url, "--format", "json"]).stdout
    assert json.loads(found) == []
    CliRunner().invoke(main, ["ingest", str(folder), "--db", db_url, "-q", "--follow-symlinks"])
    found = CliRunner().invoke(main, ["search", "swordfish", "--db", db_url, "--format", "json"]).stdout
    assert len(json.loads(found)) == 1


def test_hostile_another_programs_database_is_left_untouched(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table invoices(id int)")
    story = tmp_path / "a.txt"
    story.write_text('"We will win," said John Smith.', encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(story), "--db", str(other), "-q"])
    assert result.exit_code == 1 and "not an onrecord corpus (it holds other tables: invoices)" in result.stderr
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["invoices"]


def test_hostile_database_url_that_does_not_parse_is_one_line(tmp_path):
    story = tmp_path / "a.txt"
    story.write_text('"We will win," said John Smith.', encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(story), "--db", "postgresql://127.0.0.1:notaport/x", "-q"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.count("\n") == 1 and "not a database URL" in result.stderr


@pytest.mark.parametrize("args", [["extract", "{story}", "--json"], ["extract", "{story}", "--jsonl"]])
def test_hostile_json_output_escapes_terminal_controls(tmp_path, args):
    story = tmp_path / "a.txt"
    story.write_text('"We will win\u009b2J \u202eniw," said John Smith.', encoding="utf-8")
    out = CliRunner().invoke(main, [a.format(story=story) for a in args]).stdout
    assert "\u009b" not in out and "\u202e" not in out
    assert "\\u009b" in out and "\\u202e" in out
    record = json.loads(out.splitlines()[0] if "--jsonl" in args else out)
    assert "\u202e" in record["statements"][0]["content"]["text"]  # the same JSON to a parser


def test_hostile_title_cannot_forge_a_line_in_show(tmp_path):
    line = json.dumps({"text": '"We will win," said John Smith.', "title": "Real title\nforged: 0 statements"})
    (tmp_path / "t.jsonl").write_text(line + "\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    CliRunner().invoke(main, ["ingest", str(tmp_path / "t.jsonl"), "--db", db, "-q"])
    out = CliRunner().invoke(main, ["show", "1", "--db", db]).stdout
    assert not any(row.startswith("forged") for row in out.splitlines())
    assert "Real title\\nforged" in out


def test_hostile_stray_nul_in_text_is_removed_not_refused(tmp_path):
    story = tmp_path / "n.txt"
    story.write_bytes(b'"We will win," said John Smith.\x00 More.\n')
    result = CliRunner().invoke(main, ["extract", str(story), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["statements"][0]["content"]["text"] == "We will win"
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 20)
    assert "binary" in CliRunner().invoke(main, ["extract", str(noise)]).stderr


# -- pages nested past the parser's depth -------------------------------------------------------

DEEP_BODY = ('<p>"We will rebuild every pier," said Elena Ruiz, the interior minister, on Tuesday at the quay.</p>'
             '<p>Dock workers said they welcomed the plan and would return to work once the cranes were safe.</p>')


@pytest.mark.parametrize("depth", [300, 10_000])
def test_html_nested_past_the_parsers_depth_keeps_its_text(depth):
    page = "<html><body>" + "<div>" * depth + DEEP_BODY + "</div>" * depth + "</body></html>"
    [loaded] = list(read_bytes(page.encode(), "deep.html", name="deep.html"))
    assert isinstance(loaded, Loaded), loaded
    assert "We will rebuild every pier" in loaded.article.text
    assert [s.speaker.name for s in analyze(loaded.article.text).statements][:1] == ["Elena Ruiz"]


def test_html_flattening_leaves_normal_pages_and_tolerates_unclosed_tags():
    from onrecord.ingest.html import flatten_deep

    page = "<html><body><div><span>a<b>b</span></div><p>c</p></body></html>"  # <b> never closed
    assert flatten_deep(page) is page
    deep = "<div>" * 5 + "<span>x" + "</div>" * 5
    assert flatten_deep(deep, max_depth=2) == "<div><div>" + "x" + "</div></div>"

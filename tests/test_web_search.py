"""The search page as a workbench, on SQLite and PostgreSQL: matched words marked as the
full-text search matched them, the sentence around each statement, filters as choice lists
and in the URL, and CSV / JSON Lines downloads that hold exactly the API's rows."""

import csv
import io
import json
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from web_fixtures import build_corpus

from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput, StatementType
from onrecord.store import queries
from onrecord.store.search_queries import OPEN, CLOSE, sentence_around, spans_between_marks
from onrecord.web import WebSettings, create_app, download


@pytest.fixture(scope="module")
def db(module_db_url):
    build_corpus(module_db_url)
    return module_db_url


@pytest.fixture
def client(db):
    return TestClient(create_app(WebSettings(db=str(db), default_page_size=5)))


def api_rows(client, params: dict) -> list[dict]:
    """Every row the API gives for ``params``, page after page (5 a page)."""
    rows, page = [], 1
    while True:
        body = client.get("/api/statements", params={**params, "size": 5, "page": page}).json()
        rows += body["rows"]
        if body["next"] is None:
            return rows
        page += 1


def expected_cell(value) -> str:
    """What a CSV cell must hold for an API value (written here independently of the code)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def results_html(html: str) -> str:
    return html[html.index('<ol class="plain results-list">'):html.index("</ol>")]


# -- matched words --------------------------------------------------------------------------


def test_search_marks_the_words_the_search_matched_stemmed(client):
    body = client.get("/search.json", params={"q": "ceasefires"}).json()
    assert body["total"] >= 2
    for row in body["rows"]:  # the plural matches the singular, as the full-text index stems
        assert [row["content"][a:b].lower() for a, b in row["hits"]] == ["ceasefire"]
    html = client.get("/search", params={"q": "ceasefires"}).text
    assert results_html(html).count('<mark class="hit">ceasefire</mark>') == body["total"]


def test_search_marks_every_word_of_the_query_and_only_those(client):
    body = client.get("/search.json", params={"q": "Putin troops", "size": 20}).json()
    assert body["rows"]
    marked = {row["content"][a:b].lower() for row in body["rows"] for a, b in row["hits"]}
    assert marked <= {"putin", "troops"} and "troops" in marked
    for row in body["rows"]:  # every occurrence in the content is marked; one matched by its speaker has none
        occurrences = [m.span() for m in re.finditer(r"(?i)\b(putin|troops)\b", row["content"])]
        assert [tuple(span) for span in row["hits"]] == occurrences


def test_search_without_words_marks_nothing(client):
    body = client.get("/search.json", params={"type": "denial"}).json()
    assert body["rows"] and all(row["hits"] == [] for row in body["rows"])
    assert '<mark class="hit">' not in client.get("/search", params={"type": "denial"}).text


def test_search_hostile_text_is_escaped_before_it_is_marked(client):
    html = client.get("/search", params={"q": "failed"}).text
    results = results_html(html)
    assert '<mark class="hit">failed</mark> &lt;img src=x onerror=alert(1)&gt;' in results
    assert "&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt; minister said " in results  # the context, escaped
    assert "<img" not in html and "<script" not in html and "<svg" not in html


def test_spans_between_marks_reads_the_engine_marks_and_refuses_anything_else():
    assert spans_between_marks(f"the {OPEN}troops{CLOSE} and {OPEN}Putin{CLOSE}", "the troops and Putin") \
        == [(4, 10), (15, 20)]
    assert spans_between_marks("no match", "no match") == []
    # a text that holds the marks itself, or one the engine changed, is shown unmarked
    assert spans_between_marks(f"x {OPEN}y{CLOSE}", f"x {OPEN}y{CLOSE}") == []
    assert spans_between_marks(f"{OPEN}a{CLOSE} b", "a  b") == []
    assert spans_between_marks(f"{CLOSE}a", "a") == [] and spans_between_marks(f"{OPEN}a", "a") == []


# -- the sentence around a statement ------------------------------------------------------------


def test_search_shows_the_sentence_around_each_statement(client):
    body = client.get("/search.json", params={"q": "read appeal"}).json()
    row = next(r for r in body["rows"] if r["content"] == "he had read Trump’s appeal")
    assert row["context"] == {"before": "Putin, addressing his Security Council, said ", "after": ".",
                              "clipped_before": False, "clipped_after": False}
    quote = next(r for r in api_rows(client, {"q": "encircled"}) if r["kind"] == "direct")
    context = client.get("/search.json", params={"q": "encircled"}).json()["rows"][0]["context"]
    assert quote["content"].startswith("There is no threat")
    assert context["before"] == "“" and context["after"] == ",” Ukraine’s General Staff posted on social media."
    html = results_html(client.get("/search", params={"q": "encircled"}).text)
    assert '<span class="context">“</span><span class="content">There is no threat of our units being ' \
           '<mark class="hit">encircled</mark></span><span class="context">,” Ukraine’s General Staff' in html


@pytest.mark.parametrize("before, content, after, more_before, more_after, expected", [
    ("It rained. The minister said ", "the plan failed", ". Then it stopped.", False, False,
     ("The minister said ", ".")),
    ("Earlier text.\n“", "We will fight.", "” Next sentence here.", False, False, ("“", "”")),
    ("It rained. Mr. Putin said ", "he agreed", ", aides said. More.", False, False,
     ("Mr. Putin said ", ", aides said.")),
    ("George W. Bush said ", "no", ".", False, False, ("George W. Bush said ", ".")),
    ("ng words without an end and then said ", "yes", " and more words go on and on", True, True,
     ("words without an end and then said ", " and more words go on and")),
    ("HEADLINE\nByline\nThe mayor said ", "it held", "\nNext paragraph.", False, False, ("The mayor said ", "")),
])
def test_sentence_around_keeps_the_enclosing_sentence(before, content, after, more_before, more_after, expected):
    found = sentence_around(before, content, after, more_before=more_before, more_after=more_after)
    assert (found["before"], found["after"]) == expected
    assert found["clipped_before"] == (more_before and "." not in before)
    assert found["clipped_after"] == (more_after and "." not in after)


def test_search_reads_matches_and_contexts_once_a_page_not_once_a_row(db):
    app = create_app(WebSettings(db=str(db), default_page_size=5))
    client = TestClient(app)
    seen: list[str] = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))

    def queries_for(size: int) -> int:
        seen.clear()
        body = client.get("/search.json", params={"q": "putin", "size": size}).json()
        assert body["total"] > 2 and len(body["rows"]) == min(size, body["total"])
        assert all(r["context"] for r in body["rows"])
        return len(seen)

    assert queries_for(2) == queries_for(20)


# -- filters: choice lists, confidence, dates, the URL ------------------------------------------


def test_search_type_and_kind_are_choice_lists_of_the_engine_types(client):
    html = client.get("/search", params={"type": "denial", "kind": "direct"}).text
    select = html[html.index('<select id="type"'):html.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', select) == [""] + [t.value for t in StatementType]
    assert '<option value="denial" selected>' in select and select.count(" selected") == 1
    kinds = html[html.index('<select id="kind"'):]
    kinds = kinds[:kinds.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', kinds) == ["", "direct", "indirect", "mixed"]
    assert '<option value="direct" selected>' in kinds and kinds.count(" selected") == 1
    # a type the URL names that the engine does not know stays shown, selected, and escaped
    odd = client.get("/search", params={"type": '"><b>x'}).text
    assert '<option value="&#34;&gt;&lt;b&gt;x" selected>' in odd and "<b>x" not in odd


def test_search_type_choice_filters(client):
    for value in ("denial", "accusation"):
        body = client.get("/search.json", params={"type": value, "size": 50}).json()
        assert body["total"] > 0 and {r["type"] for r in body["rows"]} == {value}


def test_search_minimum_confidence_and_date_range_filter(client):
    everything = client.get("/api/statements", params={"size": 100}).json()["rows"]
    threshold = sorted(r["confidence"] for r in everything)[len(everything) // 2]
    body = client.get("/search.json", params={"min_confidence": threshold, "size": 100}).json()
    assert 0 < body["total"] < len(everything)
    assert body["total"] == sum(r["confidence"] >= threshold for r in everything)
    ranged = client.get("/search.json", params={"since": "2025-03-12", "until": "2025-03-13", "size": 100}).json()
    assert ranged["total"] == sum("2025-03-12" <= r["date"] <= "2025-03-13" for r in everything) > 0
    html = client.get("/search", params={"min_confidence": threshold, "since": "2025-03-12"}).text
    assert f'name="min_confidence" type="number" min="0" max="1" step="0.05" inputmode="decimal" placeholder="0–1" ' \
           f'value="{threshold}"' in html and 'name="since" type="date" value="2025-03-12"' in html


def test_search_form_sent_blank_is_no_filter(client):
    blank = {"q": "", "speaker": "", "type": "", "kind": "", "source": "", "since": "", "until": "",
             "min_confidence": ""}
    page = client.get("/search.json", params=blank)
    assert page.status_code == 200
    assert page.json()["total"] == client.get("/api/statements").json()["total"]
    assert client.get("/search", params={"min_confidence": "2"}).status_code == 422


def test_search_url_reproduces_the_results_and_fills_the_form(client):
    params = {"q": "sympathetic", "speaker": "Putin", "type": "assertion", "kind": "direct", "source": "wire",
              "since": "2025-03-01", "until": "2025-03-31", "min_confidence": "0.5", "size": "5"}
    first = client.get("/search.json", params=params).json()
    assert first["total"] > 0 and first["rows"] == client.get("/search.json", params=params).json()["rows"]
    html = client.get("/search", params=params).text
    start = html.index('<form action="/search" method="get" class="filters')
    form = html[start:html.index("</form>", start)]
    for name in ("q", "speaker", "source", "since", "until", "min_confidence"):
        assert re.search(rf'name="{name}"[^>]* value="{re.escape(params[name])}"', form), name
    assert '<option value="assertion" selected>' in form and '<option value="direct" selected>' in form
    assert '<input type="hidden" name="size" value="5">' in form
    # an identity filter set by a link (a speaker's page) is kept by the form
    speaker_id = first["rows"][0]["speaker_id"]
    kept = client.get("/search", params={"speaker_id": speaker_id}).text
    assert f'<input type="hidden" name="speaker_id" value="{speaker_id}">' in kept


# -- downloads ---------------------------------------------------------------------------------


FILTERS = [{}, {"q": "putin"}, {"type": "assertion", "min_confidence": 0.6}, {"q": "troops", "source": "wire"},
           {"since": "2025-03-12", "until": "2025-03-12", "kind": "indirect"}]


@pytest.mark.parametrize("params", FILTERS)
def test_download_csv_rows_are_the_api_rows_across_pages(client, params, monkeypatch):
    monkeypatch.setattr(download, "BATCH", 3)  # several batches, not aligned with the API's pages of 5
    expected = api_rows(client, params)
    response = client.get("/search.csv", params=params)
    rows = csv_rows(response)
    names = list(rows[0]) if rows else []
    assert names == [n for n in ("statement_id", "article_id", "local_id", "speaker", "speaker_id", "person_id", "type",
                                 "kind", "date", "title", "source", "content", "when_text", "confidence", "rank")
                     if n != "rank" or "q" in params] or not rows
    assert len(rows) == len(expected) > 0 and int(response.headers["x-onrecord-total"]) == len(expected)
    for got, api in zip(rows, expected):
        assert got == {name: expected_cell(api.get(name)) for name in names}


@pytest.mark.parametrize("params", FILTERS)
def test_download_json_lines_are_the_api_rows(client, params, monkeypatch):
    monkeypatch.setattr(download, "BATCH", 4)
    response = client.get("/search.jsonl", params=params)
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert [json.loads(line) for line in response.text.splitlines()] == api_rows(client, params)


def test_download_reads_in_bounded_batches(client, monkeypatch):
    monkeypatch.setattr(download, "BATCH", 3)
    limits = []
    real = queries.find_statements

    def spy(conn, f, *, limit=20, offset=0, order="rank"):
        limits.append((limit, offset))
        return real(conn, f, limit=limit, offset=offset, order=order)

    monkeypatch.setattr(queries, "find_statements", spy)
    rows = csv_rows(client.get("/search.csv"))
    assert len(rows) > 9 and all(limit <= 3 for limit, _ in limits)
    assert [offset for _, offset in limits] == list(range(0, len(rows) + 1, 3))[:len(limits)]
    assert len(limits) == len(rows) // 3 + 1


def test_download_stops_at_the_server_maximum_and_the_page_says_so(db, monkeypatch):
    client = TestClient(create_app(WebSettings(db=str(db), default_page_size=5, max_download_rows=7)))
    monkeypatch.setattr(download, "BATCH", 3)
    response = client.get("/search.csv")
    total = client.get("/api/statements").json()["total"]
    assert len(csv_rows(response)) == 7 and response.headers["x-onrecord-rows"] == "7"
    assert response.headers["x-onrecord-total"] == str(total)
    assert f"Download the first 7 of {total}:" in client.get("/search").text
    assert len(client.get("/search.jsonl").text.splitlines()) == 7


def test_download_links_carry_the_filters_but_not_the_page(client):
    params = {"q": "putin", "type": "assertion", "min_confidence": "0.6", "page": "2", "size": "5"}
    html = client.get("/search", params=params).text
    links = dict(re.findall(r'<a class="download" href="([^"]+)" download>([^<]+)</a>', html))
    links = {label: unescape(href) for href, label in links.items()}
    assert set(links) == {"CSV", "JSON Lines"}
    for label, path in (("CSV", "/search.csv"), ("JSON Lines", "/search.jsonl")):
        url = urlsplit(links[label])
        assert url.path == path and dict(parse_qsl(url.query)) == {"q": "putin", "type": "assertion",
                                                                   "min_confidence": "0.6"}
    filters = {"q": "putin", "type": "assertion", "min_confidence": "0.6"}
    assert len(csv_rows(client.get(links["CSV"]))) == len(api_rows(client, filters))


def test_download_bad_filters_are_refused_before_any_row(client):
    response = client.get("/search.csv", params={"since": "yesterday"})
    assert response.status_code == 422 and "since" in response.text


def test_csv_cells_that_look_like_formulas_become_text(tmp_path):
    db = str(tmp_path / "formula.db")
    engine = open_corpus(db)
    text = ('The mayor said the count was wrong. "-2+3 is what they counted," said Mayor Ann Lee. '
            '"@everyone must vote again," Lee said.')
    article = ArticleInput(text, "2025-03-14", title='=HYPERLINK("http://evil.example","click")',
                           site="+evil.example")
    Ingestor(engine).ingest_loaded([Loaded("formula", article, sha256="formula")])
    engine.dispose()
    client = TestClient(create_app(WebSettings(db=db)))
    expected = api_rows(client, {})
    rows = csv_rows(client.get("/search.csv"))
    assert len(rows) == len(expected) >= 2
    assert rows and all(r["title"] == "'" + '=HYPERLINK("http://evil.example","click")' for r in rows)
    assert all(r["source"] == "'+evil.example" for r in rows)
    contents = {r["content"] for r in rows}
    assert "'-2+3 is what they counted" in contents and "'@everyone must vote again" in contents
    assert not any(cell[:1] in "=+-@" for r in rows for cell in r.values() if cell)
    ranked = csv_rows(client.get("/search.csv", params={"q": "vote"}))
    assert ranked and all(float(r["rank"]) < 0 for r in ranked if r["rank"].startswith("-"))  # numbers stay numbers
    assert all(r["title"].startswith("=") for r in expected)  # the guard is the CSV's alone


def test_csv_cell_guard_unit():
    assert download.csv_cell("=1+1") == "'=1+1" and download.csv_cell("+1") == "'+1"
    assert download.csv_cell("-1") == "'-1" and download.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert download.csv_cell("\t=1") == "'\t=1" and download.csv_cell("\r=1") == "'\r=1"
    assert download.csv_cell("a=1") == "a=1" and download.csv_cell(None) == ""
    assert download.csv_cell(-2.5) == "-2.5" and download.csv_cell(3) == "3"


def _ingest(engine, name: str, text: str, published: str) -> None:
    Ingestor(engine).ingest_loaded([Loaded(name, ArticleInput(text, published, site=f"{name}.example"),
                                           sha256=name)])


def test_download_is_one_snapshot_while_stories_arrive(db_url, monkeypatch):
    engine = open_corpus(db_url)
    for day in range(1, 5):
        _ingest(engine, f"day{day}", f'"The bridge will open on day {day}," the mayor said. '
                f"Critics said the bridge was late again on day {day}.", f"2025-03-0{day}")
    engine.dispose()
    app = create_app(WebSettings(db=db_url))
    client = TestClient(app)
    before = api_rows(client, {})
    assert len(before) >= 6
    monkeypatch.setattr(download, "BATCH", 2)
    real, calls = queries.find_statements, []

    def find_then_ingest(conn, f, **kwargs):
        calls.append(kwargs["offset"])
        if len(calls) == 2:  # a newer story arrives between two batches: newest first, it would shift them
            _ingest(app.state.writer, "late", '"We open tomorrow," the mayor said. Critics said it was late.',
                    "2025-03-20")
        return real(conn, f, **kwargs)

    monkeypatch.setattr(queries, "find_statements", find_then_ingest)
    rows = [json.loads(line) for line in client.get("/search.jsonl").text.splitlines()]
    monkeypatch.setattr(queries, "find_statements", real)
    assert len(calls) > 2 and rows == before
    assert len(api_rows(client, {})) > len(before)  # the new story is there for the next search


@pytest.mark.slow
def test_download_memory_holds_a_batch_not_the_result(tmp_path, monkeypatch):
    import tracemalloc

    from sqlalchemy import text

    db = str(tmp_path / "many.db")
    engine = open_corpus(db)
    _ingest(engine, "seed", '"We will rebuild the bridge," the mayor said. Critics said the bridge was late. '
            '"It is a scandal," said Ann Lee, who denied the bridge was safe.', "2025-03-02")
    columns = ("article_id, local_id, kind, type, content_start, content_end, content, speaker_id, speaker_start, "
               "speaker_end, speaker_text, cue_start, cue_end, cue, when_text, when_date, channel, confidence")
    with engine.begin() as conn:  # the statements doubled twelve times: tens of thousands of rows
        for n in range(12):
            copied = columns.replace("local_id", f"local_id || '.{n}'")
            conn.execute(text(f"INSERT INTO statements ({columns}) SELECT {copied} FROM statements"))
        total = conn.execute(text("SELECT count(*) FROM statements")).scalar()
    assert total > 10_000
    f = queries.StatementFilter()
    monkeypatch.setattr(download, "BATCH", 500)

    def peak(consume) -> int:
        tracemalloc.start()
        try:
            consume()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    streamed = []
    streaming = peak(lambda: streamed.append(sum(len(chunk) for chunk in download.csv_chunks(
        download.statement_rows(engine, f, timeout=30), download.columns(f)))))
    holding = peak(lambda: list(download.statement_rows(engine, f, timeout=30, batch=10**6)))
    engine.dispose()
    assert streamed[0] > 1_000_000  # the file is megabytes ...
    assert streaming * 5 < holding  # ... and streaming it holds one batch, not every row

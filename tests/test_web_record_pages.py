"""The record across articles on the web: dispute threads and quotations side by side, on
the Porthaven week (tests/record_corpus.py), on SQLite and PostgreSQL."""

import pytest
from fastapi.testclient import TestClient
from record_corpus import SATURDAY as RESTATED_DENIAL, ingest_week
from web_fixtures import build_corpus

from onrecord.web import WebSettings, create_app
from onrecord.web.worddiff import side_by_side

@pytest.fixture(scope="module")
def client(module_db_url):
    ingest_week(module_db_url)
    return TestClient(create_app(WebSettings(db=module_db_url)))

def _threads(client, query=""):
    answer = client.get(f"/disputes.json{query}")
    assert answer.status_code == 200, answer.text
    return answer.json()

def test_a_claim_denied_in_another_paper_is_one_thread_with_outlet_and_date(client):
    data = _threads(client, "?scope=corpus")
    assert data["total"] == 1
    thread = data["threads"][0]
    assert thread["claim"]["speaker"] == "Marco Ruiz" and thread["claim"]["site"] == "porthavenpost.example"
    (denial,) = thread["denials"]
    assert denial["speaker"] == "Elena Ruiz" and denial["site"] == "northernpost.example"
    assert denial["published"] == "2025-06-04" and denial["scope"] == "corpus"
    assert "police" in denial["evidence"]["shared_words"]
    page = client.get("/disputes?scope=corpus").text
    assert "Minister rejects mayor&#39;s claim on policing" in page  # the article is named
    assert "across stories" in page and "northernpost.example" in page

SATURDAY = """Police chief hits back at mayor

PORTHAVEN, June 7 - Police Chief Ana Costa on Saturday rejected the mayor's claim that officers had abandoned the harbour district.
"""


def test_a_claim_denied_twice_is_one_thread_with_both_denials(tmp_path):
    # Saturday's paper denies the claim Wednesday's story reported and denied: one claim, two
    # denials in two outlets, shown once with both (the page listed the claim once a denial)
    from datetime import date

    from onrecord.corpus import Ingestor, open_corpus
    from onrecord.ingest import Loaded
    from onrecord.model import ArticleInput
    db = tmp_path / "w.db"
    ingest_week(db)
    engine = open_corpus(str(db))
    Ingestor(engine).ingest_loaded([Loaded("sat", ArticleInput(SATURDAY, date(2025, 6, 7), site="bayherald.example"),
                                           sha256="sat")])
    engine.dispose()
    client = TestClient(create_app(WebSettings(db=str(db))))
    data = _threads(client)
    claims = [t["claim"]["statement_id"] for t in data["threads"]]
    assert len(claims) == len(set(claims)) == data["total"]
    twice = [t for t in data["threads"] if len(t["denials"]) == 2]
    assert len(twice) == 1
    sites = [d["site"] for d in twice[0]["denials"]]
    assert sites == ["northernpost.example", "bayherald.example"]  # in order of date
    assert twice[0]["denials"][1]["scope"] == "corpus"
    page = client.get("/disputes").text
    assert page.count('class="thread"') == data["total"]


def test_a_denial_matched_through_a_restatement_says_so_and_links_it(tmp_path):
    # the police chief denies the claim in the words Wednesday's story restated it in: the
    # thread is Sunday's claim, and the denial's evidence links to the restatement's thread
    from datetime import date

    from onrecord.corpus import Ingestor, open_corpus
    from onrecord.ingest import Loaded
    from onrecord.model import ArticleInput
    db = tmp_path / "r.db"
    ingest_week(db)
    engine = open_corpus(str(db))
    Ingestor(engine).ingest_loaded([Loaded("sat", ArticleInput(RESTATED_DENIAL, date(2025, 6, 7),
                                                               site="bayherald.example"), sha256="sat")])
    engine.dispose()
    client = TestClient(create_app(WebSettings(db=str(db))))
    (thread,) = [t for t in _threads(client, "?scope=corpus")["threads"] if t["claim"]["speaker"] == "Marco Ruiz"]
    restated = [d for d in thread["denials"] if d["evidence"].get("restated_in")]
    assert [d["site"] for d in restated] == ["bayherald.example"]
    target = restated[0]["evidence"]["restated_in"]
    page = client.get(f"/disputes/{thread['claim']['statement_id']}").text
    assert f'<a class="restated" href="/disputes/{target}">as another story restated it</a>' in page
    assert client.get(f"/disputes/{target}").status_code == 200


def test_threads_filter_by_speaker_outlet_and_date(client):
    everything = _threads(client)["total"]
    assert everything >= 2
    assert _threads(client, "?speaker=elena")["total"] == everything  # she is the denier in each
    assert _threads(client, "?speaker=nobody-of-that-name")["total"] == 0
    assert _threads(client, "?source=porthavenpost")["total"] == 1
    assert _threads(client, "?since=2025-06-05")["total"] == 0
    assert _threads(client, "?since=2025-06-04&until=2025-06-04")["total"] == everything
    assert _threads(client, "?since=&until=&speaker=&scope=")["total"] == everything  # an empty form
    assert client.get("/disputes?since=June").status_code == 422
    assert client.get("/disputes?scope=everywhere").status_code == 422

def test_thread_page_from_the_claim_or_from_a_denial(client):
    thread = _threads(client, "?scope=corpus")["threads"][0]
    claim_id, denial_id = thread["claim"]["statement_id"], thread["denials"][0]["statement_id"]
    by_claim = client.get(f"/disputes/{claim_id}.json").json()["thread"]
    assert by_claim["claim"]["statement_id"] == claim_id
    assert denial_id in [d["statement_id"] for d in by_claim["denials"]]
    by_denial = client.get(f"/disputes/{denial_id}.json").json()["thread"]
    assert by_denial["denials"] and denial_id in [d["statement_id"] for d in by_denial["denials"]]
    assert client.get("/disputes/999999").status_code == 404

def test_quotation_page_marks_the_altered_words(client):
    listing = client.get("/quotations.json?altered=true").json()
    assert listing["total"] == 1
    quotation = listing["rows"][0]
    assert quotation["speaker"]["name"] == "Elena Ruiz" and len(quotation["appearances"]) == 4
    page = client.get(f"/quotations/{quotation['id']}").text
    assert '<del class="changed">pier</del>' in page and '<ins class="changed">dock</ins>' in page
    assert '<del class="dropped">winter</del>' in page
    assert page.count('class="pair ') == 3  # every later appearance beside the first
    assert 'data-relation="partial"' in page and 'class="unprinted"' in page
    twin = client.get(f"/quotations/{quotation['id']}.json").json()
    assert twin["quotation"]["appearances"][0]["relation"] == "first"
    assert client.get("/quotations/999999").status_code == 404

def test_quotations_filter_by_speaker_and_count_what_they_show(client):
    assert client.get("/quotations.json?speaker=ruiz").json()["total"] >= 1
    none = client.get("/quotations.json?speaker=nobody").json()
    assert none["total"] == 0 and none["rows"] == []
    assert "No quotation matches these filters" in client.get("/quotations?speaker=nobody").text
    api = client.get("/api/quotations?speaker=ruiz").json()
    assert api["total"] == client.get("/quotations.json?speaker=ruiz").json()["total"]

def test_side_by_side_escapes_and_marks_only_the_inner_changes():
    first, this = side_by_side('We will <b>rebuild</b> the pier "now"', "will <b>repair</b> the pier")
    assert "<b>" not in first and "&lt;b&gt;" in first
    assert '<del class="changed">rebuild</del>' in first and '<ins class="changed">repair</ins>' in this
    assert '<span class="unprinted">We</span>' in first  # outside the shared stretch: not a change
    assert '<span class="unprinted">now</span>' in first
    same_a, same_b = side_by_side("the same words", "the same words")
    assert "<del" not in same_a and "<ins" not in same_b

def test_hostile_text_on_the_record_pages_is_escaped(tmp_path):
    db = tmp_path / "hostile.db"
    build_corpus(db)
    client = TestClient(create_app(WebSettings(db=str(db))))
    for path in ("/disputes", "/quotations", "/disputes?speaker=<script>alert(1)</script>",
                 "/quotations?speaker=%22><img src=x onerror=alert(1)>"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert "<script>alert" not in answer.text and "<img src=x" not in answer.text
    kursk = client.get("/disputes.json").json()["threads"]
    assert kursk and all(t["claim"]["title"] for t in kursk)  # the example story's claim and denial


def test_article_page_links_its_statements_to_the_record_across_stories(client):
    quotation = client.get("/quotations.json").json()["rows"][0]
    first = quotation["first"]
    page = client.get(f"/articles/{first['article_id']}").text
    assert f'<a class="across" href="/quotations/{quotation["id"]}">printed by other stories</a>' in page
    thread = _threads(client, "?scope=corpus")["threads"][0]
    denial = thread["denials"][0]
    twin = client.get(f"/articles/{denial['article_id']}.json").json()
    row = next(r for r in twin["statements"] if r["id"] == denial["statement_id"])
    assert row["threads"] == [thread["claim"]["statement_id"]]
    claim_page = client.get(f"/articles/{thread['claim']['article_id']}").text
    assert f'href="/disputes/{thread["claim"]["statement_id"]}">disputed across stories' in claim_page

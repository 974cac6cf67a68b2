"""The JSON API through the ASGI client: every route, pagination, filters, errors, auth."""

import pytest
from fastapi.testclient import TestClient
from web_fixtures import build_corpus

from onrecord.web import WebSettings, create_app

TOKEN = "test-token-1234"


@pytest.fixture(scope="module")
def db(module_db_url):
    build_corpus(module_db_url)
    return module_db_url


@pytest.fixture
def client(db):
    return TestClient(create_app(WebSettings(db=str(db), token=TOKEN)))


def assert_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "error", "status"} and body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]


def test_web_api_statements_paginate_and_facet(client):
    first = client.get("/api/statements", params={"size": 5, "facet": ["type", "speaker", "day", "source"]}).json()
    assert first["ok"] and first["page"] == 1 and first["size"] == 5 and len(first["rows"]) == 5
    assert first["pages"] == -(-first["total"] // 5) and first["next"].endswith("page=2")
    assert sum(f["count"] for f in first["facets"]["type"]) == first["total"]
    last = client.get("/api/statements", params={"size": 5, "page": first["pages"]}).json()
    assert last["next"] is None and 1 <= len(last["rows"]) <= 5
    beyond = client.get("/api/statements", params={"size": 5, "page": first["pages"] + 1}).json()
    assert beyond["rows"] == [] and beyond["total"] == first["total"]


@pytest.mark.parametrize("params", [{"page": 0}, {"size": 0}, {"size": 101}, {"since": "March 3"},
                                    {"kind": "sideways"}, {"facet": "colour"}, {"speaker_id": -1}])
def test_web_api_bad_parameters_get_422(client, params):
    assert_error(client.get("/api/statements", params=params), 422)


def test_web_api_statement_filters(client):
    def speakers(**params):
        return {r["speaker"] for r in client.get("/api/statements", params={"size": 100, **params}).json()["rows"]}

    assert speakers(q="ceasefire") == {"Donald Trump", "Vladimir Putin"}
    assert speakers(speaker="putin") == {"Vladimir Putin"}
    assert speakers(type="denial") >= {"Ukraine’s General Staff", "council"}
    assert speakers(source="local.example") == {"Priya Nair", "Police", "Met Office", "John Okafor"}
    # a statement's own date wins over its article's: the Kremlin spoke "on Friday", the 14th
    assert speakers(since="2025-03-15") == {"Donald Trump", "Vladimir Putin", "Ukraine’s General Staff", "Zelensky",
                                            "Kyiv"}
    assert "Kremlin" in speakers(since="2025-03-14", until="2025-03-14")
    assert speakers(until="2025-03-10") == set()
    kinds = {r["kind"] for r in client.get("/api/statements", params={"kind": "direct", "size": 100}).json()["rows"]}
    assert kinds == {"direct"}


def test_web_api_articles_speakers_disputes(client):
    articles = client.get("/api/articles", params={"facet": ["source", "day"]}).json()
    assert articles["total"] == 5  # the flood copy is an appearance, not an article
    flood = next(a for a in articles["rows"] if a["title"] == "River Dane bursts its banks")
    assert flood["appearances"] == 2
    assert {f["value"] for f in articles["facets"]["source"]} >= {"dailypost.example", "wire.example"}
    one = client.get(f"/api/articles/{flood['id']}").json()
    assert one["ok"] and len(one["appearances"]) == 2 and one["record"]["statements"]
    assert_error(client.get("/api/articles/999999"), 404)
    speakers = client.get("/api/speakers", params={"size": 3}).json()
    assert len(speakers["rows"]) == 3 and speakers["rows"][0]["statements"] >= speakers["rows"][1]["statements"]
    putin = next(s for s in client.get("/api/speakers", params={"name": "putin"}).json()["rows"])
    detail = client.get(f"/api/speakers/{putin['id']}").json()
    assert detail["speaker"]["name"] == "Vladimir Putin" and detail["total"] == putin["statements"]
    assert_error(client.get("/api/speakers/999999"), 404)
    disputes = client.get("/api/disputes").json()
    assert disputes["total"] >= 3 and {"claim", "denial", "claim_speaker", "denial_speaker"} <= set(disputes["rows"][0])


def test_web_api_analyze_and_its_limits(db):
    client = TestClient(create_app(WebSettings(db=str(db), max_body_bytes=2000)))
    record = client.post("/api/analyze", json={"text": "“We will win,” the mayor said on Friday.",
                                               "published": "2025-03-15"}).json()
    assert record["statements"][0]["content"]["text"] == "We will win"
    assert record["statements"][0]["when"]["date"] == "2025-03-14"
    assert_error(client.post("/api/analyze", json={"text": "x" * 3000}), 413)
    assert_error(client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert_error(client.post("/api/analyze", json={"published": "2025-03-15"}), 422)


def test_web_api_writing_needs_the_token_and_has_no_side_effect_without_it(client):
    body = {"articles": [{"text": "The harbour master said the port would reopen on Monday.", "doc_id": "port-1"}]}
    before = client.get("/api/articles").json()["total"]
    assert_error(client.post("/api/articles", json=body), 401)
    assert_error(client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    assert client.get("/api/articles").json()["total"] == before
    done = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert done["ok"] and done["new"] == 1
    again = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert again["unchanged"] == 1
    assert client.get("/api/articles").json()["total"] == before + 1


def test_web_api_writing_is_off_without_a_configured_token(db):
    client = TestClient(create_app(WebSettings(db=str(db), token=None)))
    response = client.post("/api/articles", json={"articles": [{"text": "x"}]}, headers={"Authorization": "Bearer "})
    assert_error(response, 401)
    assert "ONRECORD_TOKEN" in response.json()["error"]


def test_web_pages_have_json_twins(client):
    for page in ("/", "/search?q=ceasefire", "/disputes", "/articles/1", "/speakers/1"):
        html = client.get(page)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        path, _, query = page.partition("?")
        twin = client.get((path.rstrip("/") or "/index") + ".json" + (f"?{query}" if query else ""))
        assert twin.status_code == 200 and twin.json()["ok"] is True
        accept = client.get(page, headers={"accept": "application/json"}).json()
        for key in ("rows", "total", "counts", "speaker", "id"):
            assert accept.get(key) == twin.json().get(key)


def test_web_page_errors_are_pages_or_json(client):
    page = client.get("/articles/999999")
    assert page.status_code == 404 and "no article 999999" in page.text and page.headers["content-type"].startswith("text/html")
    assert_error(client.get("/articles/999999.json"), 404)
    assert_error(client.get("/search.json", params={"since": "yesterday"}), 422)


def test_web_slow_queries_are_stopped(tmp_path):
    # a zero time limit is exact on SQLite; test_store checks PostgreSQL's statement_timeout
    db = str(tmp_path / "slow.db")
    build_corpus(db)
    client = TestClient(create_app(WebSettings(db=db, query_timeout=0.0)))
    assert_error(client.get("/api/statements", params={"q": "said", "facet": ["speaker", "type", "day"]}), 503)


def test_web_openapi_documents_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/statements", "/api/articles", "/api/articles/{article_id}", "/api/speakers",
            "/api/speakers/{speaker_id}", "/api/disputes", "/api/analyze"} <= set(paths)
    assert "post" in paths["/api/articles"] and "get" in paths["/api/articles"]


def test_web_settings_from_a_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("ONRECORD_TOKEN", raising=False)
    config = tmp_path / "onrecord.toml"
    config.write_text('[web]\ntoken = "from-file"\nmax_page_size = 10\n', encoding="utf-8")
    settings = WebSettings.load(config=config)
    assert settings.token == "from-file" and settings.max_page_size == 10
    monkeypatch.setenv("ONRECORD_TOKEN", "from-env")
    assert WebSettings.load(config=config).token == "from-env"
    config.write_text("[web]\ntokn = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown"):
        WebSettings.load(config=config)
    config.write_text("[web]\nmax_download_rows = 5000\nquery_timeout = 2\n", encoding="utf-8")
    settings = WebSettings.load(config=config)
    assert settings.max_download_rows == 5000 and settings.query_timeout == 2


@pytest.mark.parametrize("line, message", [
    ('max_page_size = "ten"', "max_page_size must be a whole number, not 'ten'"),
    ("max_download_rows = 1.5", "max_download_rows must be a whole number, not 1.5"),
    ("query_timeout = true", "query_timeout must be a number, not True"),
    ("token = 12345", "token must be a string, not 12345"),
    ("max_download_rows = -1", "max_download_rows must not be negative, not -1"),
])
def test_web_settings_of_the_wrong_kind_are_refused_by_name(tmp_path, line, message):
    config = tmp_path / "onrecord.toml"
    config.write_text(f"[web]\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        WebSettings.load(config=config)
    assert str(refused.value) == f"{config}: [web] {message}"

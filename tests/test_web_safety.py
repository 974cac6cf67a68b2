"""Untrusted text stays text: markup and script in articles, titles, speakers and queries."""

import re

import pytest
from fastapi.testclient import TestClient
from web_fixtures import XSS_TITLE, XSS_URL, build_corpus

from onrecord.web import WebSettings, create_app

RAW = re.compile(r"<script>alert|<img src=x onerror|<svg onload|(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("xss") / "xss.db"
    build_corpus(path)
    return TestClient(create_app(WebSettings(db=str(path))))


def xss_article(client) -> int:
    rows = client.get("/api/articles", params={"size": 100}).json()["rows"]
    return next(a["id"] for a in rows if a["title"] == XSS_TITLE)


def test_web_safety_article_page_escapes_text_title_url_and_speakers(client):
    article_id = xss_article(client)
    html = client.get(f"/articles/{article_id}").text
    assert not RAW.search(html)
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(" in html
    assert XSS_URL not in html


@pytest.mark.parametrize("path", ["/", "/search?q=<script>alert(1)</script>", "/search?speaker=\"><img src=x onerror=alert(1)>",
                                  "/search?source=javascript:alert(1)", "/disputes", "/speakers/1",
                                  "/speakers?q=<script>alert(1)</script>", "/speakers?descriptions=true",
                                  "/articles?source=\"><img src=x onerror=alert(1)>", "/articles?title=<svg onload=alert(1)>",
                                  "/disputes?speaker=<script>alert(1)</script>", "/quotations?speaker=\"><svg onload=1>"])
def test_web_safety_pages_never_echo_markup(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert not RAW.search(response.text)


def test_web_safety_downloads_are_data_a_browser_never_renders(client):
    # a download holds the hostile text as it was printed (it is data, not a page), so it
    # must come as an attachment of a data type that a browser will not sniff into HTML
    for path, kind in (("/search.csv?q=alert", "text/csv"), ("/search.jsonl?q=alert", "application/")):
        response = client.get(path)
        assert response.status_code == 200 and "alert" in response.text
        assert response.headers["content-type"].startswith(kind) and "html" not in response.headers["content-type"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"].startswith("attachment")


def test_web_safety_every_speaker_article_and_thread_page_escapes(client):
    # the hostile article's speakers, title and outlet reach the indexes, the speaker pages
    # (timeline, disputes, evidence) and the dispute threads: none may carry markup through
    speakers = client.get("/speakers.json", params={"descriptions": "true", "size": 100}).json()["rows"]
    articles = client.get("/articles.json", params={"size": 100}).json()["rows"]
    threads = client.get("/disputes.json").json()["threads"]
    paths = ([f"/speakers/{s['id']}" for s in speakers] + [f"/articles/{a['id']}" for a in articles]
             + [f"/disputes/{t['claim']['statement_id']}" for t in threads] + ["/speakers", "/articles", "/"])
    assert len(speakers) > 5 and len(articles) >= 5 and threads
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not RAW.search(response.text), path


def test_web_safety_analyze_form_escapes_pasted_text(client):
    response = client.post("/analyze", data={"text": '<script>alert("paste")</script> “We will win,” the mayor said.'})
    assert response.status_code == 200 and not RAW.search(response.text)


def test_web_safety_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"] and "unsafe-inline" not in headers[
        "content-security-policy"].split("script-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_web_safety_api_docs_run_no_inline_or_outside_script(client):
    response = client.get("/api/docs")
    policy = response.headers["content-security-policy"]
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert response.status_code == 200 and "script-src 'self';" in policy
    assert scripts and all(re.search(r'src="(http://testserver)?/(static|api/docs/assets)/', tag) for tag in scripts)
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/api-docs.js").status_code == 200


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, "{bad json", '{"text": ' + "[" * 5_000 + "]" * 5_000 + "}"])
def test_web_safety_unreadable_json_bodies_answer_alike(client, body):
    """JSON nested too deep for the parser answers as other bad JSON does: 422, one shape."""
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["ok"] is False and r.json()["error"].startswith("invalid request")

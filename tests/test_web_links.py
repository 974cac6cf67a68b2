"""Links to the server are relative or built on the configured base URL, never on the Host header."""

import re

import pytest
from fastapi.testclient import TestClient
from web_fixtures import build_corpus

from onrecord.web import WebSettings, create_app
from onrecord.web.links import json_twin, local_path

EVIL = {"host": "evil.example"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("links") / "links.db"
    build_corpus(path)
    return str(path)


def hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


def test_web_links_docs_page_assets_ignore_the_host_header(db):
    page = TestClient(create_app(WebSettings(db=db))).get("/api/docs", headers=EVIL)
    assert page.status_code == 200 and "evil.example" not in page.text
    assert all(h.startswith(("/", "#")) and not h.startswith("//") for h in hrefs(page.text))


def test_web_links_search_facets_ignore_the_host_header(db):
    page = TestClient(create_app(WebSettings(db=db, default_page_size=2))).get("/search?q=troops", headers=EVIL)
    assert page.status_code == 200 and "evil.example" not in page.text
    assert any("speaker=" in h for h in hrefs(page.text))


def test_web_links_json_next_is_relative_or_on_the_base_url(db):
    client = TestClient(create_app(WebSettings(db=db, default_page_size=2)))
    answer = client.get("/api/statements", headers=EVIL).json()
    assert answer["next"].startswith("/api/statements?") and "page=2" in answer["next"]
    based = TestClient(create_app(WebSettings(db=db, default_page_size=2, base_url="https://news.example/")))
    assert based.get("/api/statements", headers=EVIL).json()["next"].startswith("https://news.example/api/statements?")


def test_web_links_double_slash_path_does_not_link_elsewhere(db):
    page = TestClient(create_app(WebSettings(db=db))).get("http://testserver//evil.example/x")
    assert page.status_code == 404
    assert not any(h.startswith("//") for h in hrefs(page.text)), hrefs(page.text)
    assert "/evil.example/x.json" in page.text


def test_web_links_local_path_and_json_twin():
    from starlette.datastructures import URL

    assert local_path("//evil.example/x", "a=1") == "/evil.example/x?a=1"
    assert local_path("/\\evil.example") == "/evil.example"
    assert json_twin(URL("http://h//evil.example/x?q=1")) == "/evil.example/x.json?q=1"
    assert json_twin(URL("http://h/")) == "/index.json"

"""Fuzzing the boundaries with hostile input: readers, analysis, output and the web (CI size).

The strategies and properties live in ``tests/fuzz_cases.py``; ``benchmarks/fuzz_hostile.py``
runs them with many more examples.
"""

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.analysis.prepare import parser_text, safe_text
from fuzz_cases import (NAMES, check_analysis, check_jsonl_lines, check_output, check_reader, nasty_bytes,
                        nasty_text)
from onrecord.ingest.clean import clean_text
from onrecord.web import WebSettings, create_app

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(nasty_bytes(), st.sampled_from(NAMES))
def test_fuzz_readers_never_raise_and_yield_clean_text(data, name):
    check_reader(data, name)


@FAST
@given(st.lists(nasty_text(60), min_size=1, max_size=5))
def test_fuzz_jsonl_lines_are_never_split(texts):
    check_jsonl_lines(texts)


@FAST
@given(nasty_text())
def test_fuzz_clean_text_is_clean_and_idempotent(text):
    cleaned, _ = clean_text(text)
    assert clean_text(cleaned) == (cleaned, [])


@FAST
@given(nasty_text(2000))
def test_fuzz_prepared_texts_keep_every_offset(text):
    safe = safe_text(text)
    parsed = parser_text(safe)
    assert len(safe) == len(parsed) == len(text)
    assert all(a == b or b == " " for a, b in zip(safe, parsed))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_text(400))
def test_fuzz_analysis_never_raises_and_spans_point_into_the_text(text):
    check_analysis(text)


@FAST
@given(nasty_text())
def test_fuzz_output_is_safe_for_terminals_and_spreadsheets(text):
    check_output(text)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(WebSettings(db=str(tmp_path_factory.mktemp("fuzz") / "c.db"), token="t"))
    return TestClient(app, raise_server_exceptions=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(nasty_text(200))
def test_fuzz_web_never_answers_500(client, text):
    body = json.dumps({"text": text}).encode()
    assert client.post("/api/analyze", content=body, headers={"content-type": "application/json"}).status_code \
        in (200, 400, 413, 422, 503)
    ingest = json.dumps({"articles": [{"text": text or "x", "title": text, "doc_id": text[:50]}]}).encode()
    assert client.post("/api/articles", content=ingest, headers={"content-type": "application/json",
                                                                  "authorization": "Bearer t"}).status_code \
        in (200, 400, 413, 422, 503)
    assert client.get("/search", params={"q": text.encode("utf-8", "replace").decode()}).status_code \
        in (200, 422, 503)


@pytest.mark.parametrize("body", [
    b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"text": "\\ud800 \\u0000 said Al."}',
    b'{"articles": [{"text": "\\u0000"}]}',
    b"\xff\xfe\x00garbage",
])
def test_fuzz_web_hand_made_bodies_never_answer_500(client, body):
    for path in ("/api/analyze", "/api/articles"):
        answer = client.post(path, content=body, headers={"content-type": "application/json",
                                                          "authorization": "Bearer t"})
        assert answer.status_code in (200, 400, 413, 422), (path, answer.status_code, answer.text[:200])


def test_fuzz_web_nul_in_query_is_refused_not_passed_to_the_database(client):
    for url in ("/api/statements?q=%00", "/search?q=a%00b", "/api/speakers?name=%00"):
        assert client.get(url).status_code == 422

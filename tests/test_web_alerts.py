"""The watch's alerts in the web workbench: the /alerts page, its JSON twin and the Atom
feed /alerts.atom, escaped and well-formed whatever the statement says; on SQLite and PostgreSQL."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from onrecord.analysis.pipeline import make_extractor
from onrecord.corpus import open_corpus
from onrecord.watch import Source, parse_rules
from onrecord.watch.loop import Watch, WatchSettings
from onrecord.web import WebSettings, create_app

from test_watch import FAST
from watch_server import PUTIN_DENIES, page, rss, serve

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = page("<script>alert('t')</script> Putin speaks", [
    "MOSCOW, March 16 (Reuters) - Vladimir Putin said on Sunday that &lt;img src=x onerror=alert(1)&gt; "
    "would never be accepted.",
], published="2025-03-16")


@pytest.fixture(scope="module")
def client(module_db_url):
    site = serve()
    try:
        site.put("/feed.xml", rss(site.base, [("/a1", "a", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                              ("/a2", "b", "Sun, 16 Mar 2025 10:00:00 GMT")]),
                 content_type="application/rss+xml")
        site.put("/a1", PUTIN_DENIES)
        site.put("/a2", HOSTILE)
        rules = parse_rules('[[rule]]\nname = "putin"\nspeaker = "Putin"\n\n'
                            '[[rule]]\nname = "denials"\ntypes = ["denial"]\n')
        Watch(open_corpus(module_db_url, writer=True), [Source(site.url("/feed.xml"))], rules,
              extractor=make_extractor(engine="fast"), settings=WatchSettings(fetch=FAST)).run_once()
        yield TestClient(create_app(WebSettings(db=module_db_url))), site.base
    finally:
        site.server.shutdown()
        site.server.server_close()


def test_web_alerts_page_and_twin_list_every_alert_newest_first(client):
    client, base = client
    data = client.get("/alerts.json").json()
    assert data["ok"] and data["total"] == 4
    shown = [(a["rule"], a["statement"]["identity"], a["statement"]["type"], a["statement"]["content"])
             for a in data["alerts"]]
    assert shown == [
        ("putin", "Vladimir Putin", "assertion", "> would never be accepted"),  # the hostile page, cleaned
        ("putin", "Vladimir Putin", "assertion", "Our soldiers did not fire on anyone"),
        ("denials", "Vladimir Putin", "denial", "Russian troops had attacked civilians in the Kursk region"),
        ("putin", "Vladimir Putin", "denial", "Russian troops had attacked civilians in the Kursk region")]
    assert [a["id"] for a in data["alerts"]] == sorted((a["id"] for a in data["alerts"]), reverse=True)
    assert data["alerts"][-1]["article"]["url"] == f"{base}/a1"
    assert data["alerts"][-1]["why"] == "speaker Vladimir Putin matches 'Putin'"
    only = client.get("/alerts.json?rule=denials").json()
    assert only["total"] == 1 and only["alerts"][0]["rule"] == "denials"

    html = client.get("/alerts").text
    assert "4 alerts" in html and 'href="/alerts.atom"' in html
    assert "Why: speaker Vladimir Putin matches &#39;Putin&#39;" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_web_alerts_atom_feed_is_well_formed_and_escaped(client):
    client, base = client
    answer = client.get("/alerts.atom")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}title") == "onrecord alerts"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    last = entries[-1]
    assert last.findtext(f"{ATOM}title") == "putin: Vladimir Putin (denial)"
    assert [link.get("href") for link in last.findall(f"{ATOM}link")] == ["http://testserver/articles/1",
                                                                           f"{base}/a1"]
    assert "Why: speaker Vladimir Putin matches 'Putin'" in last.findtext(f"{ATOM}summary")
    assert b"<script>" not in answer.content and b"<img" not in answer.content
    feed = ET.fromstring(client.get("/alerts.atom?rule=denials").content)
    assert len(feed.findall(f"{ATOM}entry")) == 1
    assert feed.findtext(f"{ATOM}title") == "onrecord alerts: denials"

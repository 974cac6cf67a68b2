"""The watch: sources polled politely on a local site, new pages ingested once, state kept in
the corpus (restart resumes, nothing doubled), faults cost their source only; on SQLite
and PostgreSQL."""

from __future__ import annotations

import threading


from onrecord.corpus import open_corpus
from onrecord.watch import FetchSettings, Source
from onrecord.watch.loop import Watch, WatchSettings
from onrecord.watch.state import status

from watch_server import PESKOV_TALKS, PUTIN_DENIES, ZELENSKY_ACCUSES, atom, http_date, page, rss, sitemap

#: Fetching as the tests want it: no pauses between requests or before retries, short timeouts.
FAST = FetchSettings(timeout=2.0, retries=1, backoff=0.0, host_interval=0.0, max_bytes=2_000_000)
SETTINGS = WatchSettings(fetch=FAST)


def watch_of(db: str, sources: list[Source], extractor, **kwargs) -> Watch:
    return Watch(open_corpus(db, writer=True), sources, extractor=extractor, settings=kwargs.pop("settings", SETTINGS),
                 **kwargs)


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def test_watch_once_ingests_each_new_item_once_and_polls_conditionally(site, db_url, extractor):
    feed = [("/a1", "Putin denies", "Fri, 14 Mar 2025 10:00:00 GMT"),
            ("/a2", "Zelensky accuses", "Sat, 15 Mar 2025 10:00:00 GMT")]
    site.put("/feed.xml", rss(site.base, feed), content_type="application/rss+xml")
    site.put("/a1", PUTIN_DENIES)
    site.put("/a2", ZELENSKY_ACCUSES)
    watch = watch_of(db_url, [Source(site.url("/feed.xml"), "Local", "auto", 60)], extractor)

    report = watch.run_once()
    assert (report.polled, report.new_items, report.fetched, report.new, report.failed) == (1, 2, 2, 2, 0)
    engine = watch.engine
    assert rows(engine, "SELECT url, status, article_id IS NOT NULL FROM watch_items ORDER BY id") == [
        (site.url("/a1"), "done", True), (site.url("/a2"), "done", True)]
    assert rows(engine, "SELECT source, outcome FROM documents ORDER BY id") == [
        (site.url("/a1"), "new"), (site.url("/a2"), "new")]
    assert rows(engine, "SELECT title, url FROM articles ORDER BY id") == [
        ("Putin denies Kursk attacks", site.url("/a1")), ("Zelensky accuses Moscow", site.url("/a2"))]
    statements = rows(engine, "SELECT count(*) FROM statements")[0][0]
    assert statements >= 6
    # every request names the tool
    assert all(h["user-agent"].startswith("onrecord-watch/") for _, h in site.log)

    # a second poll: the feed answers 304 to the validators it gave; no page is fetched again
    report = watch.run_once()
    assert (report.polled, report.not_modified, report.new_items, report.fetched) == (1, 1, 0, 0)
    assert site.requests("/feed.xml")[-1]["if-none-match"].startswith('"')
    assert (site.count("/a1"), site.count("/a2")) == (1, 1)

    # a new item: only its page is fetched; a restarted watch (a new Watch) resumes from the corpus
    site.put("/feed.xml", rss(site.base, feed + [("/a3", "Peskov", "Sun, 16 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/a3", PESKOV_TALKS)
    report = watch_of(db_url, [Source(site.url("/feed.xml"), "Local", "auto", 60)], extractor).run_once()
    assert (report.new_items, report.fetched, report.new) == (1, 1, 1)
    assert (site.count("/a1"), site.count("/a2"), site.count("/a3")) == (1, 1, 1)
    assert rows(engine, "SELECT count(*), sum(items_seen), sum(polls) FROM watch_sources") == [(1, 3, 3)]
    assert rows(engine, "SELECT count(*) FROM statements")[0][0] > statements
    # robots.txt was asked (404 here: everything allowed)
    assert site.count("/robots.txt") >= 1


def test_watch_edited_item_is_fetched_again_conditionally(site, db_url, extractor):
    site.put("/atom", atom(site.base, [("/story", "Kremlin", "2025-03-16T10:00:00Z")]),
             content_type="application/atom+xml")
    site.put("/story", PESKOV_TALKS)
    watch = watch_of(db_url, [Source(site.url("/atom"))], extractor)
    assert watch.run_once().new == 1

    # the feed says the entry changed, but the page did not: a 304, nothing ingested
    site.put("/atom", atom(site.base, [("/story", "Kremlin", "2025-03-16T11:00:00Z")]),
             content_type="application/atom+xml")
    report = watch.run_once()
    assert (report.edited_items, report.fetched, report.new) == (1, 0, 0)
    assert site.requests("/story")[-1]["if-none-match"].startswith('"')

    # changed again, and so is the page: fetched and ingested as a new version of the story
    site.put("/atom", atom(site.base, [("/story", "Kremlin", "2025-03-16T12:00:00Z")]),
             content_type="application/atom+xml")
    site.put("/story", PESKOV_TALKS.replace("in Istanbul", "in Istanbul on Monday"))
    report = watch.run_once()
    assert (report.edited_items, report.fetched) == (1, 1)
    assert report.new + report.duplicate == 1
    assert rows(watch.engine, "SELECT count(*) FROM documents WHERE source = '%s'" % site.url("/story")) == [(2,)]
    assert rows(watch.engine, "SELECT status FROM watch_items") == [("done",)]


def test_watch_sitemap_and_page_sources(site, db_url, extractor):
    site.put("/news-sitemap.xml", sitemap(site.base, [("/s1", "2025-03-14"), ("/s2", "2025-03-15")]),
             content_type="application/xml")
    site.put("/s1", PUTIN_DENIES)
    site.put("/s2", ZELENSKY_ACCUSES)
    site.put("/live", PESKOV_TALKS, last_modified=http_date(60), etag=False)
    sources = [Source(site.url("/news-sitemap.xml"), kind="sitemap"), Source(site.url("/live"))]
    watch = watch_of(db_url, sources, extractor)
    report = watch.run_once()
    assert (report.polled, report.new_items, report.new) == (2, 3, 3)
    assert site.count("/live") == 1  # the page source's body is its item: not fetched twice
    assert rows(watch.engine, "SELECT url, kind FROM watch_sources ORDER BY id") == [
        (site.url("/news-sitemap.xml"), "sitemap"), (site.url("/live"), "auto")]

    # the page changes: Last-Modified was sent back; the new text is ingested
    site.put("/live", PESKOV_TALKS.replace("ready to listen", "ready to talk"), last_modified=http_date(0),
             etag=False)
    report = watch.run_once()
    assert site.requests("/live")[1]["if-modified-since"]
    assert (report.edited_items, report.new + report.duplicate) == (1, 1)
    assert rows(watch.engine, f"SELECT count(*) FROM documents WHERE source = '{site.url('/live')}'") == [(2,)]


def test_watch_faults_cost_their_source_only(site, db_url, extractor):
    site.put("/good.xml", rss(site.base, [("/ok", "ok", "Fri, 14 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/ok", PUTIN_DENIES)
    site.put("/slow.xml", "<rss/>", delay=1.5)
    site.put("/down.xml", "oops", status=503)
    site.put("/loop.xml", redirect="/loop2.xml")
    site.put("/loop2.xml", redirect="/loop.xml")
    site.put("/huge.xml", endless=True)
    site.put("/bad.xml", "<?xml version='1.0'?><rss><channel><item><title>broken", content_type="application/rss+xml")
    site.put("/same.xml", rss(site.base, []), content_type="application/rss+xml", etag=False)
    names = ["good", "slow", "down", "loop", "huge", "bad", "same"]
    quick = FetchSettings(timeout=1.0, retries=1, backoff=0.0, host_interval=0.0, max_bytes=2_000_000)
    watch = watch_of(db_url, [Source(site.url(f"/{n}.xml"), n) for n in names], extractor,
                     settings=WatchSettings(fetch=quick))
    report = watch.run_once()
    assert report.new == 1 and report.polled == 7
    state = {s["source"]: s for s in status(watch.engine)["sources"]}
    assert state["good"]["last_error"] is None and state["good"]["done"] == 1
    assert "timed out" in state["slow"]["last_error"]
    assert state["down"]["last_error"] == "HTTP 503 Service Unavailable"
    assert site.count("/down.xml") == 2  # retried once
    assert "redirects" in state["loop"]["last_error"]
    assert "over the limit of 2,000,000" in state["huge"]["last_error"]
    assert "not a readable feed" in state["bad"]["last_error"]
    assert state["same"]["last_error"] is None
    for name in ("slow", "down", "loop", "huge", "bad"):
        assert state[name]["failures_in_a_row"] == 1 and state[name]["last_success"] is None
        assert state[name]["next_poll"] > state["good"]["next_poll"]  # backed off
    # a feed that never changes: read once, then known by its bytes (no ETag here)
    report = watch.run_once()
    state = {s["source"]: s for s in status(watch.engine)["sources"]}
    assert state["same"]["last_error"] is None and state["same"]["polls"] == 2
    assert state["down"]["failures_in_a_row"] == 2


def test_watch_honours_robots_txt_and_gives_up_on_a_failing_page(site, db_url, extractor):
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.put("/feed.xml", rss(site.base, [("/private/x", "secret", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                          ("/gone", "gone", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                          ("/a1", "a1", "Fri, 14 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/private/x", PESKOV_TALKS)
    site.put("/a1", PUTIN_DENIES)
    watch = watch_of(db_url, [Source(site.url("/feed.xml"))], extractor,
                     settings=WatchSettings(fetch=FAST, max_attempts=2))
    watch.run_once()
    watch.run_once()
    assert site.count("/private/x") == 0
    assert site.count("/gone") == 2  # two attempts, then given up (404 is final: no retry within one)
    items = rows(watch.engine, "SELECT url, status, reason FROM watch_items ORDER BY id")
    assert items[0][:2] == (site.url("/private/x"), "failed") and "robots.txt" in items[0][2]
    assert items[1] == (site.url("/gone"), "failed", "HTTP 404 Not Found")
    assert items[2][:2] == (site.url("/a1"), "done")
    watch.run_once()
    assert site.count("/gone") == 2


def test_watch_page_without_article_fails_as_ingest_would(site, db_url, extractor):
    site.put("/feed.xml", rss(site.base, [("/empty", "e", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                          ("/img", "i", "Fri, 14 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/empty", "<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    site.put("/img", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, content_type="image/png")
    watch = watch_of(db_url, [Source(site.url("/feed.xml"))], extractor)
    report = watch.run_once()
    assert report.failed == 2
    items = rows(watch.engine, "SELECT status, reason FROM watch_items ORDER BY id")
    assert items[0] == ("failed", "no article text found in the page (is it an article?)")
    assert items[1][0] == "failed" and "PNG" in items[1][1]
    assert rows(watch.engine, "SELECT outcome FROM documents ORDER BY id") == [("failed",), ("failed",)]


def test_watch_stop_finishes_the_item_in_hand_and_a_restart_resumes(site, db_url, extractor):
    entries = [(f"/p{n}", f"p{n}", "Fri, 14 Mar 2025 10:00:00 GMT") for n in range(3)]
    site.put("/feed.xml", rss(site.base, entries), content_type="application/rss+xml")
    for n, text in enumerate((PUTIN_DENIES, ZELENSKY_ACCUSES, PESKOV_TALKS)):
        site.put(f"/p{n}", text)
    stop = threading.Event()
    watch = watch_of(db_url, [Source(site.url("/feed.xml"))], extractor)
    real = watch._read_item

    def read_then_stop(item, answer, report):  # a SIGTERM arrives while the first page is read
        stop.set()
        return real(item, answer, report)

    watch._read_item = read_then_stop
    report = watch.run_once(stop)
    assert report.stopped and report.new == 1
    assert rows(watch.engine, "SELECT status FROM watch_items ORDER BY id") == [("done",), ("pending",), ("pending",)]
    report = watch_of(db_url, [Source(site.url("/feed.xml"))], extractor).run_once()
    assert (report.new, report.fetched) == (2, 2)
    assert rows(watch.engine, "SELECT status FROM watch_items ORDER BY id") == [("done",)] * 3
    assert rows(watch.engine, "SELECT count(*) FROM articles") == [(3,)]


def test_watch_forever_polls_when_due_and_stops(site, db_url, extractor):
    site.put("/feed.xml", rss(site.base, []), content_type="application/rss+xml")
    watch = watch_of(db_url, [Source(site.url("/feed.xml"), interval=0.5)], extractor,
                     settings=WatchSettings(fetch=FAST, idle_max=0.2, quiet_backoff=1))
    stop = threading.Event()
    rounds = []

    def on_round(report):
        rounds.append(report)
        if len(rounds) == 1:
            site.put("/feed.xml", rss(site.base, [("/a1", "a", "Fri, 14 Mar 2025 10:00:00 GMT")]),
                     content_type="application/rss+xml")
            site.put("/a1", PUTIN_DENIES)
        if sum(r.new for r in rounds) == 1:
            stop.set()

    thread = threading.Thread(target=watch.run, args=(stop, on_round))
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert sum(r.new for r in rounds) == 1 and rounds[0].polled == 1
    assert rows(watch.engine, "SELECT status FROM watch_items") == [("done",)]


def test_watch_sources_leaving_the_file_become_inactive(site, db_url, extractor):
    site.put("/f1.xml", rss(site.base, []), content_type="application/rss+xml")
    site.put("/f2.xml", rss(site.base, []), content_type="application/rss+xml")
    watch_of(db_url, [Source(site.url("/f1.xml")), Source(site.url("/f2.xml"))], extractor).run_once()
    watch = watch_of(db_url, [Source(site.url("/f2.xml"))], extractor)
    assert watch.run_once().polled == 1
    assert rows(watch.engine, "SELECT url, active, polls FROM watch_sources ORDER BY id") == [
        (site.url("/f1.xml"), False, 1), (site.url("/f2.xml"), True, 2)]


def test_watch_page_source_unchanged_page_is_not_ingested_again(site, db_url, extractor):
    site.put("/p", page("Same", ["Kremlin spokesman Dmitry Peskov said the talks would go on."]), etag=False)
    watch = watch_of(db_url, [Source(site.url("/p"), kind="page")], extractor)
    watch.run_once()
    report = watch.run_once()
    assert (report.not_modified, report.fetched) == (1, 0)
    assert rows(watch.engine, "SELECT count(*) FROM documents") == [(1,)]

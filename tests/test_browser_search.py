"""The search workbench in a real browser: choice lists that filter, matched words marked,
a CSV download holding the API's rows, a URL that brings the same results back, and the
form working with JavaScript off. Screenshots go to ``test-artifacts/``."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from browser_kit import ARTIFACTS, browser, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def api_rows(page, server: str, query: str) -> list[dict]:
    """Every API row for the query string ``query``, page after page."""
    rows, url = [], f"{server}/api/statements?{query}&size=5"
    while url:
        body = page.request.get(url).json()
        rows += body["rows"]
        url = body["next"] and (body["next"] if body["next"].startswith("http") else server + body["next"])
    return rows


def shown_results(page) -> list[str]:
    return page.locator(".results-list .result blockquote").all_inner_texts()


def test_browser_type_choice_list_filters(server, page):
    page.goto(f"{server}/search")
    page.select_option("#type", "denial")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url("**type=denial**")
    results = page.locator(".results-list .result")
    assert results.count() > 0
    assert page.locator(".results-list .badge.type-denial").count() == results.count()
    assert page.locator("#type").input_value() == "denial"  # the choice stays selected
    page.screenshot(path=str(ARTIFACTS / "search-type-denial.png"), full_page=True)
    page.select_option("#type", "")
    page.click("form.search-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".results-list .result").count() == 5 and "type=denial" not in page.url


def test_browser_matched_words_are_marked(server, page):
    page.goto(f"{server}/search?q=troops")
    marks = page.locator(".results-list mark.hit")
    assert marks.count() > 0 and {m.lower() for m in marks.all_inner_texts()} == {"troops"}
    colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # search.css is loaded (the CSP allows it)
    context = page.locator(".results-list blockquote.in-context .context").first.inner_text()
    assert context  # the sentence around the statement is shown
    page.screenshot(path=str(ARTIFACTS / "search-marked.png"), full_page=True)


def test_browser_csv_download_holds_the_api_rows(server, page):
    query = "q=the&type=assertion"
    page.goto(f"{server}/search?{query}")
    total = int(page.locator(".results p.muted").inner_text().split()[0])
    assert total > 5  # more than one page of results
    with page.expect_download() as info:
        page.click("a.download >> text=CSV")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    expected = api_rows(page, server, query)
    assert len(rows) == len(expected) == total
    assert [int(r["statement_id"]) for r in rows] == [r["statement_id"] for r in expected]
    assert [r["content"] for r in rows] == [r["content"] for r in expected]  # no content here starts with = + - @


def test_browser_url_reproduces_the_results(server, page):
    page.goto(f"{server}/search")
    page.fill("#q", "the")
    page.select_option("#kind", "indirect")
    page.fill("#since", "2025-03-12")
    page.fill("#min_confidence", "0.6")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url("**kind=indirect**")
    url, first = page.url, shown_results(page)
    assert first and "since=2025-03-12" in url and "min_confidence=0.6" in url
    other = page.context.new_page()
    other.goto(url)
    assert shown_results(other) == first
    assert other.locator("#q").input_value() == "the" and other.locator("#kind").input_value() == "indirect"
    assert other.locator("#since").input_value() == "2025-03-12"
    assert other.locator("#min_confidence").input_value() == "0.6"
    other.screenshot(path=str(ARTIFACTS / "search-from-url.png"), full_page=True)
    href = other.locator("a.download >> text=JSON Lines").get_attribute("href")
    assert urlsplit(href).path == "/search.jsonl" and "kind=indirect" in href and "page=" not in href


def test_browser_search_form_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{server}/search")
    tab.fill("#q", "failed")
    tab.click("form.search-form button[type=submit]")  # every other field blank
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Search statements"
    assert tab.locator(".results-list mark.hit").first.inner_text() == "failed"
    assert "<img" in tab.locator(".results-list blockquote").first.inner_text()  # hostile markup shown as text
    tab.screenshot(path=str(ARTIFACTS / "search-no-javascript.png"), full_page=True)
    context.close()


def test_browser_search_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    tab.goto(f"{server}/search?q=ceasefire")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing pushes the page sideways
    assert tab.locator(".results-list mark.hit").count() > 0
    tab.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=True)
    context.close()

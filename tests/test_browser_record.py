"""The record across articles in a real browser: dispute threads and quotations side by
side, on the Porthaven week (tests/record_corpus.py)."""

import pytest
from browser_kit import ARTIFACTS, browser, page, record_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def test_browser_quotation_side_by_side_marks_altered_words(record_server, page):
    page.goto(f"{record_server}/quotations")
    page.click("text=Every appearance, side by side")
    page.wait_for_selector(".pairs")
    altered = page.locator('.pair[data-relation="altered"]')
    assert altered.count() == 1
    struck = altered.locator("del.changed")
    added = altered.locator("ins.changed")
    assert struck.inner_text() == "pier" and added.inner_text() == "dock"
    assert "line-through" in struck.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert struck.evaluate("e => getComputedStyle(e).backgroundColor") != \
        added.evaluate("e => getComputedStyle(e).backgroundColor")
    first, this = altered.locator(".side-by-side figure").all()
    assert first.bounding_box()["x"] < this.bounding_box()["x"]  # side by side on a wide screen
    assert abs(first.bounding_box()["y"] - this.bounding_box()["y"]) < 2
    page.screenshot(path=str(ARTIFACTS / "quotation-side-by-side.png"), full_page=True)
    altered.locator(".printed a").click()  # the appearance leads to its passage in the story
    assert "/articles/" in page.url and "#s" in page.url


def test_browser_dispute_threads_filter_and_open(record_server, page):
    page.goto(f"{record_server}/disputes")
    assert page.locator(".thread").count() >= 2
    page.select_option("#scope", "corpus")
    page.click("form.filters button")
    page.wait_for_url("**scope=corpus**")
    threads = page.locator(".thread")
    assert threads.count() == 1
    assert "northernpost.example" in threads.inner_text() and "across stories" in threads.inner_text()
    assert page.locator("#scope").input_value() == "corpus"  # the form keeps the filter
    page.screenshot(path=str(ARTIFACTS / "disputes-across-stories.png"), full_page=True)
    threads.locator("a.more").click()
    page.wait_for_selector("section.thread")
    assert "Marco Ruiz" in page.locator(".claim").inner_text()
    assert "Elena Ruiz" in page.locator(".denials").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dispute-thread.png"), full_page=True)


def test_browser_record_pages_on_a_phone(record_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    quotation = tab.request.get(f"{record_server}/quotations.json").json()["rows"][0]["id"]
    for path in ("/disputes", "/disputes?scope=corpus", "/quotations", f"/quotations/{quotation}"):
        tab.goto(record_server + path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 376, f"{path} scrolls sideways on a phone ({width}px)"
    tab.screenshot(path=str(ARTIFACTS / "phone-quotation.png"), full_page=True)
    context.close()

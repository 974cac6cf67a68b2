"""The pages in a real browser: headless Chromium (Debian's package) driven by Playwright.

The fixtures (server, browser, tab) are in ``browser_kit``; screenshots go to
``test-artifacts/``.
"""

import pytest
from browser_kit import ARTIFACTS, browser, page, server  # noqa: F401  (fixtures)
from conftest import EXAMPLES
from web_fixtures import XSS_TITLE

pytestmark = pytest.mark.slow


def test_browser_analyze_the_example_story(server, page):
    page.goto(f"{server}/analyze")
    page.fill("#text", (EXAMPLES / "kursk-ceasefire.txt").read_text(encoding="utf-8"))
    page.fill("#published", "2025-03-15")
    page.click("form.analyze button")
    page.wait_for_selector(".article-text")
    statements = page.locator('mark.stmt[tabindex="0"]')
    assert statements.count() == 18
    legend = page.locator("ul.legend").inner_text()
    assert "Donald Trump" in legend and "Vladimir Putin" in legend
    first = statements.first
    first.hover()
    tip = page.locator("#tip-s1")
    assert tip.is_visible() and "Donald Trump · appeal" in tip.inner_text()
    page.screenshot(path=str(ARTIFACTS / "analyze-example.png"), full_page=True)
    # the same by keyboard: focus shows the tooltip of the focused statement
    page.mouse.move(0, 0)
    page.locator("#s3").focus()
    assert page.locator("#tip-s3").is_visible() and "Vladimir Putin" in page.locator("#tip-s3").inner_text()
    assert not page.locator("#tip-s1").is_visible()


def test_browser_article_then_speaker(server, page):
    page.goto(f"{server}/")
    page.click("text=Trump urges Putin to spare troops")
    page.wait_for_selector(".article-text")
    assert page.locator("mark.stmt").count() >= 18
    assert page.locator(".note").inner_text().startswith("Characters 2402")  # the repeated copy is shown as such
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)
    page.click(".statements >> text=Vladimir Putin")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Vladimir Putin"
    lines = page.locator(".results-list .result")
    assert lines.count() >= 5
    page.screenshot(path=str(ARTIFACTS / "speaker.png"), full_page=True)
    lines.first.locator(".source a").click()
    assert "#s" in page.url and page.locator(".article-text").is_visible()


def test_browser_search_facets_and_pages(server, page):
    page.goto(f"{server}/")
    page.fill("#home-q", "the")
    page.press("#home-q", "Enter")
    page.wait_for_selector(".results-list")
    total = int(page.locator(".results p.muted").inner_text().split()[0])
    assert total > 5 and page.locator(".results-list .result").count() == 5
    page.click("a[rel=next]")
    assert "page=2" in page.url and page.locator(".results-list .result").count() == 5
    page.screenshot(path=str(ARTIFACTS / "search-page-2.png"), full_page=True)
    page.click(".facets >> text=denial")
    assert "type=denial" in page.url and "page=" not in page.url
    types = page.locator(".results-list .badge.type-denial")
    assert types.count() == page.locator(".results-list .result").count() > 0
    page.click(".chip")  # remove the filter again
    assert "type=" not in page.url


def test_browser_phone_screen_and_hostile_article(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    rows = tab.request.get(f"{server}/api/articles?size=100").json()["rows"]
    hostile = next(a["id"] for a in rows if a["title"] == XSS_TITLE)
    for path in (f"/articles/{hostile}", "/", "/search?q=<script>alert(1)</script>"):
        tab.goto(server + path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 376, f"{path} scrolls sideways on a phone ({width}px)"
    source = tab.goto(f"{server}/articles/{hostile}").text()  # the HTML as served, before any parsing
    assert "<script>alert(" not in source and "<img src=x" not in source  # never raw markup ...
    assert "&lt;script&gt;alert(" in source  # ... always escaped text
    tab.goto(f"{server}/articles/{hostile}")
    assert XSS_TITLE in tab.locator("h1").inner_text()  # shown as text, not run
    tab.screenshot(path=str(ARTIFACTS / "phone-hostile-article.png"), full_page=True)
    context.close()
    assert dialogs == []


def test_browser_api_docs_work_offline(server, page):
    # the browser here has no internet: the explorer must come from this server, and the page's
    # policy (no inline scripts) must not stop it
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("requestfailed", lambda request: refused.append(request.url))
    page.goto(f"{server}/api/docs")
    operation = page.locator('.opblock-summary-path[data-path="/api/statements"]')
    operation.wait_for(timeout=15000)
    operation.click()
    page.wait_for_selector("text=Try it out")
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
    assert refused == []

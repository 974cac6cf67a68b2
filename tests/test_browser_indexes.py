"""The index pages and the speaker page in a real browser (headless Chromium): finding a
speaker or an article with the forms, the timeline and the filters of a speaker's page, the
evidence of a join across articles, and a phone-sized screen. Screenshots go to ARTIFACTS."""

import pytest
from browser_kit import ARTIFACTS, browser, page, record_server, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def test_browser_indexes_speakers_search_sort_and_kind(server, page):
    page.goto(f"{server}/")
    page.click("header nav >> text=Speakers")
    page.wait_for_selector("table.speakers-index")
    assert page.url.endswith("/speakers")
    assert page.locator("table.speakers-index tbody tr").count() == 5  # five a page on this server
    assert page.locator("a[rel=next]").count() == 1
    page.fill("#sp-q", "putin")
    page.press("#sp-q", "Enter")
    page.wait_for_url("**/speakers?q=putin*")
    names = page.locator("table.speakers-index tbody a.who").all_inner_texts()
    assert names == ["Vladimir Putin"]
    page.goto(f"{server}/speakers")
    page.select_option("#sp-kind", "organization")
    page.select_option("#sp-sort", "name")
    page.click("form.index-filters button")
    page.wait_for_url("**kind=organization**")
    kinds = page.locator("table.speakers-index tbody td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"organization"}
    names = page.locator("table.speakers-index tbody a.who").all_inner_texts()
    assert names == sorted(names, key=str.lower)
    page.screenshot(path=str(ARTIFACTS / "speakers-index.png"), full_page=True)


def test_browser_indexes_articles_filter_and_sort(server, page):
    page.goto(f"{server}/")
    page.click("header nav >> text=Articles")
    page.wait_for_selector("table.articles-index")
    dates = page.locator("table.articles-index tbody time").all_inner_texts()
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    page.click("table.articles-index thead >> text=Date")  # newest first, click for oldest first
    page.wait_for_url("**sort=oldest**")
    dates = page.locator("table.articles-index tbody time").all_inner_texts()
    assert dates == sorted(dates)
    page.fill("#ar-source", "dailypost")
    page.fill("#ar-since", "2025-03-12")
    page.click("form.index-filters button")
    page.wait_for_url("**source=dailypost**")
    titles = page.locator("table.articles-index tbody td:nth-child(2) a").all_inner_texts()
    assert titles == ["Holmbrook counts the cost"]
    page.screenshot(path=str(ARTIFACTS / "articles-index.png"), full_page=True)
    page.click("text=clear filters")
    page.fill("#ar-title", "river banks")
    page.press("#ar-title", "Enter")
    page.wait_for_url("**title=river**")
    assert page.locator("table.articles-index tbody td:nth-child(2) a").all_inner_texts() == [
        "River Dane bursts its banks"]


def test_browser_indexes_speaker_timeline_and_filters(server, page):
    page.goto(f"{server}/speakers?q=putin")
    page.click("table.speakers-index >> text=Vladimir Putin")
    page.wait_for_selector("svg.timeline")
    chart = page.locator("svg.timeline")
    assert chart.is_visible() and chart.bounding_box()["height"] > 50
    assert chart.get_attribute("role") == "img"
    assert "Statements by Vladimir Putin" in page.locator("svg.timeline title#tl-title").text_content()
    counts = [int(c) for c in page.locator("svg.timeline rect.bar").evaluate_all(
        "bars => bars.map(b => b.dataset.count)")]
    total = int(page.locator("#said-heading + p.muted").inner_text().split()[0])
    assert sum(counts) == total == 7
    assert page.locator(".own-lines .who").count() == 0  # the lines do not repeat the name
    page.screenshot(path=str(ARTIFACTS / "speaker-timeline.png"), full_page=True)
    page.select_option("#sp-type", "accusation")
    page.click("form.index-filters button")
    page.wait_for_url("**type=accusation**")
    badges = page.locator(".own-lines .badge").all_inner_texts()
    assert page.locator(".own-lines .result").count() == 2 and badges.count("accusation") == 2
    counts = [int(c) for c in page.locator("svg.timeline rect.bar").evaluate_all(
        "bars => bars.map(b => b.dataset.count)")]
    assert sum(counts) == 2
    page.fill("#sp-since", "2025-04-01")
    page.click("form.index-filters button")
    page.wait_for_url("**since=2025-04-01**")
    assert page.locator(".own-lines .result").count() == 0 and page.locator("svg.timeline").count() == 0
    assert "No dated statements match these filters" in page.locator(".timeline-box").inner_text()


def test_browser_indexes_joined_speaker_shows_its_evidence(record_server, page):
    page.goto(f"{record_server}/speakers")
    page.click("table.speakers-index >> text=Elena Ruiz")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Elena Ruiz"
    joins = page.locator("table.joins")
    assert joins.is_visible()
    row = joins.locator("tbody tr").first.inner_text()
    assert "surname" in row and "0.85" in row and "only Elena Ruiz" in row
    made = page.locator("#disputes-made")
    assert made.is_visible() and "Marco Ruiz" in made.inner_text()
    aliases = page.locator("p.aliases").inner_text()
    assert "Ruiz" in aliases and "she" not in aliases.lower().replace("minister", "").split(", ")
    page.screenshot(path=str(ARTIFACTS / "speaker-joined.png"), full_page=True)
    made.locator("a.who", has_text="Marco Ruiz").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Marco Ruiz"
    assert "Elena Ruiz" in page.locator("#disputes-received").inner_text()


def test_browser_indexes_phone_screen_has_no_sideways_scroll(record_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name, path in (("speakers", "/speakers?descriptions=true"), ("articles", "/articles"),
                       ("speaker", "/speakers/2"), ("home", "/")):
        tab.goto(record_server + path)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= 375, f"{path} scrolls sideways: {wide}px"
        tab.screenshot(path=str(ARTIFACTS / f"phone-{name}-index.png"), full_page=True)
        if name == "speaker":  # the chart shrinks to the screen
            box = tab.locator("svg.timeline").bounding_box()
            assert 0 < box["width"] <= 375 and box["height"] > 0
    assert dialogs == []
    context.close()

"""The article page in a real browser: colours per speaker, claims and denials followed both
ways, the tooltip, the layout on a desktop and on a phone.

The Kursk story (tests/web_fixtures.py) has a claim by Donald Trump (s5) denied twice by
Ukraine's General Staff (s7, s8), and two accusations (s15, s16) one statement denies (s17).
"""

import pytest
from browser_kit import ARTIFACTS, browser, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

KURSK = "Trump urges Putin to spare troops"


def article_url(server: str, tab, title: str) -> str:
    rows = tab.request.get(f"{server}/api/articles?size=100").json()["rows"]
    return f"{server}/articles/{next(a['id'] for a in rows if a['title'] == title)}"


def background(tab, selector: str) -> str:
    return tab.locator(selector).first.evaluate("el => getComputedStyle(el).backgroundColor")


def first_line(tab, selector: str) -> tuple[float, float]:
    """The middle of the first line of an element: where a reader points at a statement that
    may start mid-line and wrap (its bounding box's corner may be another statement's text)."""
    box = tab.locator(selector).first.evaluate(
        "el => { const r = el.getClientRects()[0];"
        " return [r.left + Math.min(r.width / 2, 20), r.top + r.height / 2]; }")
    return box[0], box[1]


def click(tab, selector: str) -> None:
    tab.locator(selector).first.scroll_into_view_if_needed()
    tab.mouse.click(*first_line(tab, selector))


def in_view(tab, selector: str) -> bool:
    """Whether the element's box lies inside the viewport."""
    return tab.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }")


def test_browser_article_speakers_have_their_own_colours(server, page):
    page.goto(article_url(server, page, KURSK))
    trump, staff = background(page, "#s5"), background(page, "#s7")  # Donald Trump, Ukraine's General Staff
    assert trump != staff
    grey = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--spx')").strip()
    assert grey == "#eeeeee"
    assert "rgb(238, 238, 238)" not in (trump, staff)  # the old bug: every statement the same grey
    # every speaker (each has statements here) in the text in the colour of their swatch, and
    # no two swatches alike
    colours = page.locator("mark.stmt").evaluate_all(
        "els => [...new Set(els.map(el => getComputedStyle(el).backgroundColor))]")
    swatches = page.locator(".legend .swatch").evaluate_all(
        "els => els.map(el => getComputedStyle(el).backgroundColor)")
    assert len(swatches) == 6 and set(colours) - {"rgb(238, 238, 238)"} == set(swatches)
    assert len(set(swatches)) == len(swatches)
    page.screenshot(path=str(ARTIFACTS / "article-desktop.png"), full_page=True)


def test_browser_article_click_a_denial_shows_its_claim_and_back(server, page):
    page.goto(article_url(server, page, KURSK))
    click(page, "#s17")  # a denial of two accusations
    page.wait_for_url("**#s15")
    for claim in ("s15", "s16"):  # every piece of both claims highlighted
        pieces = page.locator(f'mark[data-statement="{claim}"]')
        assert pieces.count() >= 1
        assert pieces.evaluate_all("els => els.every(el => el.classList.contains('linked'))")
    assert in_view(page, "#s15")
    assert page.locator("#s15").evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert page.locator('mark[data-statement="s17"].linked').count() == 0
    page.screenshot(path=str(ARTIFACTS / "article-denial-to-claim.png"))
    click(page, "#s15")  # and from the claim to its denial
    page.wait_for_url("**#s17")
    assert in_view(page, "#s17")
    assert page.locator("#s17").evaluate("el => el.classList.contains('linked')")
    assert page.locator("#s15").evaluate("el => !el.classList.contains('linked')")
    page.go_back()  # Back returns to the claims, highlighted again
    page.wait_for_url("**#s15")
    assert page.locator("#s15").evaluate("el => el.classList.contains('linked')")


def test_browser_article_follow_a_claim_by_keyboard(server, page):
    page.goto(article_url(server, page, KURSK))
    page.locator("#s5").focus()
    page.keyboard.press("Enter")  # a claim: to its first denial, focus and tooltip with it
    page.wait_for_url("**#s7")
    assert page.evaluate("document.activeElement.id") == "s7" and page.locator("#tip-s7").is_visible()
    assert in_view(page, "#s7") and page.locator('mark[data-statement="s8"].linked').count() >= 1
    page.keyboard.press("Enter")  # and back to the claim
    page.wait_for_url("**#s5")
    assert page.evaluate("document.activeElement.id") == "s5"


def test_browser_article_links_in_the_text_work_without_script(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(article_url(server, tab, KURSK))
    tab.locator('.xrefs[data-from="s7"] a[href="#s5"]').click()
    tab.wait_for_url("**#s5")
    assert in_view(tab, "#s5")
    assert tab.locator("#s5").evaluate("el => getComputedStyle(el).outlineStyle") == "solid"  # :target
    tab.locator('.xrefs[data-from="s5"] a[href="#s8"]').click()
    tab.wait_for_url("**#s8")
    assert in_view(tab, "#s8")
    assert tab.locator("#s5").evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    context.close()


def test_browser_article_hover_and_focus_show_the_tooltip(server, page):
    page.goto(article_url(server, page, KURSK))
    page.locator("#s5").scroll_into_view_if_needed()
    page.mouse.move(*first_line(page, "#s5"))
    tip = page.locator("#tip-s5")
    assert tip.is_visible()
    said = tip.inner_text()
    for expected in ("Donald Trump · assertion", "cue: said", "time:", "confidence: 0.81", "denied by s7"):
        assert expected in said
    assert in_view(page, "#tip-s5")
    page.screenshot(path=str(ARTIFACTS / "article-tooltip.png"))
    page.mouse.move(0, 0)
    page.locator("#s17").focus()
    assert page.locator("#tip-s17").is_visible() and not tip.is_visible()
    assert "denies s15" in page.locator("#tip-s17").inner_text()


def test_browser_article_uses_a_wide_screen(server, page):
    page.goto(article_url(server, page, KURSK))
    text = page.locator(".article-text").bounding_box()
    side = page.locator(".article-side").bounding_box()
    assert text["width"] >= 0.6 * 1280  # today's 70ch column was about 40%
    assert side["x"] >= text["x"] + text["width"]  # beside the text, not below it
    assert page.locator(".appearances").is_visible() and page.locator(".appearances .first-badge").count() == 1
    page.evaluate("scrollTo(0, 1500)")  # the legend stays in view while the text scrolls
    assert page.evaluate("scrollY") >= 1000
    assert in_view(page, ".legend")


def test_browser_article_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    for title in (KURSK, "River Dane bursts its banks"):
        tab.goto(article_url(server, tab, title))
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375, title
        assert tab.locator(".appearances").is_visible()
    tab.locator("#s4").scroll_into_view_if_needed()
    tab.touchscreen.tap(*first_line(tab, "#s4"))  # a claim: the first tap opens its tooltip, inside the screen
    tip = tab.locator("#tip-s4")
    assert tip.is_visible() and in_view(tab, "#tip-s4") and "#" not in tab.url
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.screenshot(path=str(ARTIFACTS / "article-phone-tooltip.png"))
    tab.touchscreen.tap(*first_line(tab, "#s4"))  # the second follows it to its denial
    tab.wait_for_url("**#s5")
    assert in_view(tab, "#s5")
    tab.evaluate("scrollTo(0, 0)")
    tab.screenshot(path=str(ARTIFACTS / "article-phone.png"), full_page=True)
    context.close()


def test_browser_article_tooltips_stay_inside_a_narrow_window(server, browser):
    context = browser.new_context(viewport={"width": 900, "height": 768})
    tab = context.new_page()
    tab.goto(article_url(server, tab, KURSK))
    ids = tab.locator('mark.stmt[tabindex="0"]').evaluate_all("els => els.map(el => el.id)")
    for sid in ids:
        tab.locator(f"#{sid}").scroll_into_view_if_needed()
        tab.mouse.move(*first_line(tab, f"#{sid}"))
        assert tab.locator(f"#tip-{sid}").is_visible(), sid
        left, right = tab.locator(f"#tip-{sid}").evaluate(
            "el => [el.getBoundingClientRect().left, el.getBoundingClientRect().right]")
        assert 0 <= left and right <= 900, (sid, left, right)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 900
    context.close()

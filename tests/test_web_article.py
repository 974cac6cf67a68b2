"""The article page: the speaker palette (distinct, readable, one source), the tooltip, the
links between claims and denials in the text, where the article appeared, and escaping.

The colour math here is written out (sRGB to CIELAB under D65, WCAG 2 contrast, CIE76 and
CIEDE2000) and checked against published values, so that the palette is judged by the
formulas, not by the code it tests.
"""

import itertools
import math
import re
from html import unescape
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from web_fixtures import XSS_TITLE, build_corpus

from onrecord.model import ArticleRecord, Speaker, SpeakerRef, Span, Statement, TimeRef
from onrecord.web import WebSettings, create_app
from onrecord.web import app as web_app
from onrecord.web.article_pages import appearance_rows
from onrecord.web.palette import COLOURS, INK, UNKNOWN, colour_class, stylesheet
from onrecord.web.render import highlight, speaker_colours, tooltip, tooltip_lines

STYLE = (resources.files("onrecord.web") / "static" / "style.css").read_text(encoding="utf-8")


# -- colour math ----------------------------------------------------------------------------

def hex_rgb(colour: str) -> tuple[float, ...]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    r, g, b = (_linear(c) for c in hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in hex_rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(p: tuple[float, ...], q: tuple[float, ...]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = p, q
    cbar7 = ((math.hypot(a1, b1) + math.hypot(a2, b2)) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(cbar7 / (cbar7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbar, 1 + 0.015 * cbar * t
    cbar7 = cbar ** 7
    rt = -2 * math.sqrt(cbar7 / (cbar7 + 25 ** 7)) * math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2))))
    dl, dc = l2 - l1, c2p - c1p
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


@pytest.mark.parametrize("p, q, expected", [  # pairs 1, 7, 17, 25 and 33 of Sharma et al.'s test data
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_web_article_ciede2000_matches_published_values(p, q, expected):
    assert ciede2000(p, q) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(q, p) == pytest.approx(expected, abs=1e-4)


def test_web_article_contrast_and_lab_match_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey on white
    assert lab("#ffffff") == pytest.approx((100, 0, 0), abs=0.01)
    assert lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.01)


# -- the palette ----------------------------------------------------------------------------

def test_web_article_palette_has_24_well_formed_colours():
    assert len(COLOURS) >= 24 and len(set(COLOURS)) == len(COLOURS)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in COLOURS)


def test_web_article_palette_colours_are_distinct():
    labs = [lab(c) for c in COLOURS]
    pairs = list(itertools.combinations(range(len(COLOURS)), 2))
    closest = min(pairs, key=lambda ij: ciede2000(labs[ij[0]], labs[ij[1]]))
    assert ciede2000(labs[closest[0]], labs[closest[1]]) >= 14, [COLOURS[n] for n in closest]
    assert min(math.dist(labs[i], labs[j]) for i, j in pairs) >= 13  # CIE76 too
    # the few speakers most articles have get the most different colours
    assert min(ciede2000(labs[i], labs[j]) for i, j in itertools.combinations(range(8), 2)) >= 19


def test_web_article_palette_reads_and_stands_out():
    for colour in COLOURS:
        assert contrast(INK, colour) >= 7, colour  # AAA; AA asks 4.5
        assert ciede2000(lab(colour), lab("#ffffff")) >= 12, colour  # a highlight, not page white
        assert ciede2000(lab(colour), lab(UNKNOWN)) >= 12, colour  # not the unknown speaker's grey
        assert math.hypot(*lab(colour)[1:]) >= 12, colour  # no grey at all
    assert contrast(INK, UNKNOWN) >= 7 and contrast(INK, "#ffffff") >= 12


def test_web_article_palette_has_one_source():
    """style.css defines no speaker colour of its own, its ink and grey are the palette's, and
    the templates' ``palette`` is the palette's list."""
    assert re.search(r"--ink:\s*([#0-9a-f]+)", STYLE).group(1) == INK
    assert re.search(r"--spx:\s*([#0-9a-f]+)", STYLE).group(1) == UNKNOWN
    rules = re.sub(r"/\*.*?\*/", "", STYLE, flags=re.S)
    assert not re.search(r"--sp\d|\.sp\d", rules)
    assert not any(colour in STYLE.lower() for colour in COLOURS)
    assert web_app.PALETTE is COLOURS


def test_web_article_palette_stylesheet_sets_the_colour_not_the_background():
    """The bug of the first page: ``mark.stmt { background: grey }`` outranked ``.sp3``. Now
    the palette's rules set ``--speaker`` only, and one article rule paints with it."""
    rules = dict(re.findall(r"\.(sp\d+) \{ --speaker: (#[0-9a-f]{6}); \}", stylesheet()))
    assert rules == {f"sp{n}": colour for n, colour in enumerate(COLOURS)}
    assert "background" not in stylesheet()
    painted = re.search(r"mark\.stmt, \.swatch \{ background: var\(--speaker, var\(--spx\)\)", STYLE)
    assert painted and not re.search(r"mark\.stmt[^{]*\{[^}]*background:\s*var\(--spx\)", STYLE)


def test_web_article_speakers_past_the_palette_wrap_and_the_first_24_differ():
    record = ArticleRecord(length=0, speakers=[Speaker(id=f"p{n}", name=f"P{n}", kind="person") for n in range(30)])
    classes = speaker_colours(record)
    assert len({classes[f"p{n}"] for n in range(24)}) == 24
    assert classes["p24"] == classes["p0"] == colour_class(0) == "sp0"


# -- records made by hand -------------------------------------------------------------------

TEXT = 'Ann said "the bridge is safe". Bob denied it. Eve said nothing new.'


def span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part}


def two_statements(**claim_extra) -> ArticleRecord:
    """Ann's claim and Bob's denial of it, resolved, with cues, times and confidences."""
    claim = Statement(id="s1", kind="direct", type="assertion", content=Span(**span(TEXT, "the bridge is safe")),
                      speaker=SpeakerRef(**span(TEXT, "Ann"), name="Ann Lee", id="a1"), cue=Span(**span(TEXT, "said")),
                      when=TimeRef(start=0, end=0, text="on Monday", date="2025-03-10"), confidence=0.9,
                      denied_by=["s2"], **claim_extra)
    denial = Statement(id="s2", kind="indirect", type="denial", content=Span(**span(TEXT, "it")),
                       speaker=SpeakerRef(**span(TEXT, "Bob"), name="Bob Roe", id="a2"),
                       cue=Span(**span(TEXT, "denied")), denies=["s1"], confidence=0.66)
    return ArticleRecord(length=len(TEXT), statements=[claim, denial],
                         speakers=[Speaker(id="a1", name="Ann Lee", kind="person"),
                                   Speaker(id="a2", name="Bob Roe", kind="person")])


def test_web_article_tooltip_tells_speaker_type_kind_cue_time_confidence():
    claim, denial = two_statements().statements
    assert tooltip_lines(claim) == ["Ann Lee · assertion · direct", "cue: said", "time: on Monday = 2025-03-10",
                                    "confidence: 0.90"]
    assert tooltip_lines(denial)[2:] == ["time: not stated", "confidence: 0.66"]
    bare = Statement(id="s9", kind="direct", type="assertion", content=Span(start=0, end=3, text="Ann"))
    assert tooltip_lines(bare) == ["speaker unknown · assertion · direct", "cue: none", "time: not stated",
                                   "confidence: not given"]
    unresolved = bare.model_copy(update={"speaker": SpeakerRef(start=0, end=3, text="Ann")})
    assert tooltip_lines(unresolved)[0].startswith("Ann (unresolved)")
    assert tooltip(denial).endswith("confidence: 0.66 · denies s1")


def tips(html: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="tip" role="tooltip" id="tip-([^"]+)">(.*?)</span></mark>', html))


def xrefs(html: str) -> dict[str, list[str]]:
    """The in-text links after each statement: its id -> the statements they lead to."""
    return {source: re.findall(r'href="#([^"]+)"', body)
            for source, body in re.findall(r'<span class="xrefs" data-from="([^"]+)">(.*?)</span>', html)}


def test_web_article_claim_and_denial_link_each_other_in_the_text():
    html = str(highlight(TEXT, two_statements()))
    assert xrefs(html) == {"s1": ["s2"], "s2": ["s1"]}
    # after the closing quotation mark and full stop, not inside them
    assert '</mark>&#34;.<span class="xrefs" data-from="s1">denied by <a class="to-stmt" href="#s2"' in html
    assert re.search(r'<mark class="stmt sp0" data-statement="s1" data-links="s2" id="s1" tabindex="0"', html)
    assert re.search(r'<mark class="stmt sp1" data-statement="s2" data-links="s1" id="s2" tabindex="0"', html)
    tip = tips(html)
    assert 'denied by <a class="to-stmt" href="#s2" title="Bob Roe">s2</a> (Bob Roe)' in tip["s1"]
    assert 'denies <a class="to-stmt" href="#s1" title="Ann Lee">s1</a> (Ann Lee)' in tip["s2"]
    # less the links and tooltips, the page holds the text exactly
    bare = re.sub(r'<span class="tip".*?</span></mark>', "", re.sub(r'<span class="xrefs".*?</span>', "", html))
    assert unescape(re.sub(r"<[^>]+>", "", bare)) == TEXT


def test_web_article_links_to_statements_not_in_the_article_are_not_made():
    record = two_statements()
    record.statements[1].denies = ["s1", "s404"]
    html = str(highlight(TEXT, record))
    assert 'href="#s404"' not in html and "s404" in tips(html)["s2"]
    assert 'data-links="s1"' in html
    lonely = record.model_copy(update={"statements": [record.statements[1].model_copy(update={"denies": ["s404"]})]})
    assert "xrefs" not in str(highlight(TEXT, lonely)) and "data-links" not in str(highlight(TEXT, lonely))


def test_web_article_statements_take_their_speakers_colours():
    html = str(highlight(TEXT, two_statements()))
    assert re.findall(r'<mark class="stmt (sp\w+)" data-statement="(s\d)"', html) == [("sp0", "s1"), ("sp1", "s2")]
    assert '<span class="mention sp0"' in html and '<span class="mention sp1"' in html
    unknown = two_statements()
    unknown.statements[0].speaker = None
    assert '<mark class="stmt spx" data-statement="s1"' in str(highlight(TEXT, unknown))


def test_web_article_highlight_escapes_everything_from_the_record():
    evil = '"><script>alert(1)</script>'
    record = two_statements()
    record.statements[0].speaker.name = evil
    record.statements[0].cue = Span(start=4, end=8, text=evil)
    record.statements[0].when = TimeRef(start=0, end=0, text=evil, date=evil)
    html = str(highlight(TEXT + evil, record))
    assert "<script>" not in html and '">' + "<script" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # the text, the name, cue and time
    assert 'title="&#34;&gt;&lt;script&gt;' in html  # the denial's link title: its target's speaker


# -- the page ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("article") / "article.db"
    build_corpus(path)
    return TestClient(create_app(WebSettings(db=str(path))))


def article_id(client, title: str) -> int:
    rows = client.get("/api/articles", params={"size": 100}).json()["rows"]
    return next(a["id"] for a in rows if a["title"] == title)


@pytest.fixture(scope="module")
def kursk(client) -> str:
    return client.get(f"/articles/{article_id(client, 'Trump urges Putin to spare troops')}").text


def test_web_article_page_loads_its_colours_and_script_from_files(client, kursk):
    assert '<link rel="stylesheet" href="/palette.css">' in kursk
    assert '<script src="/static/article.js" defer></script>' in kursk
    assert not re.search(r"<script(?![^>]*\bsrc=)", kursk)  # no inline script ...
    assert not re.search(r"\son[a-z]+\s*=", kursk)  # ... nor inline handlers ...
    assert not re.search(r"\sstyle\s*=", kursk)  # ... nor inline styles: the policy forbids them all
    css = client.get("/palette.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.text == stylesheet()
    script = client.get("/static/article.js")
    assert script.status_code == 200 and "data-links" in script.text


def test_web_article_page_links_every_claim_and_denial_both_ways(client):
    data = client.get(f"/articles/{article_id(client, 'Trump urges Putin to spare troops')}.json").json()
    page = client.get(f"/articles/{article_id(client, 'Trump urges Putin to spare troops')}").text
    statements = data["record"]["statements"]
    pairs = {(s["id"], claim) for s in statements for claim in s["denies"]}
    assert len(pairs) >= 4  # s7 and s8 deny s5; s17 denies s15 and s16
    links = xrefs(page)
    tip = tips(page)
    for denial, claim in pairs:
        assert claim in links[denial] and denial in links[claim]
        assert f'href="#{claim}"' in tip[denial] and f'href="#{denial}"' in tip[claim]
        assert re.search(f'data-statement="{denial}" data-links="[^"]*\\b{claim}\\b', page)
    assert "cue: said" in tip["s5"] and "confidence: 0.81" in tip["s5"]


def test_web_article_page_legend_matches_the_text(client, kursk):
    legend = re.findall(r'<li><span class="swatch (sp\d+)"></span>([^<]+) <span class="muted">', kursk)
    by_name = {name: colour for colour, name in legend}
    assert len(by_name) == len(legend) >= 5
    trump = by_name["Donald Trump"]
    assert re.search(f'<mark class="stmt {trump}" data-statement="s5"', kursk)
    assert "Donald Trump</a></td>" in kursk and f'<span class="swatch {trump}"></span><a href="/speakers/' in kursk


def test_web_article_page_shows_where_it_appeared_unfolded(client):
    page = client.get(f"/articles/{article_id(client, 'River Dane bursts its banks')}").text
    assert "<details" not in page
    section = re.search(r'<section class="appearances".*?</section>', page, re.S).group(0)
    items = re.findall(r"<li.*?</li>", section, re.S)
    assert len(items) == 2 and section.count("first appearance") == 1
    assert 'class="first"' in items[0] and "2025-03-11" in items[0] and "dailypost.example" in items[0]
    assert "2025-03-12" in items[1] and "other.example" in items[1] and "near copy" in items[1]


def test_web_article_first_appearance_is_the_earliest_dated_one():
    rows = appearance_rows([{"published": None}, {"published": "2025-03-12"}, {"published": "2025-03-11"}])
    assert [r["first"] for r in rows] == [False, False, True]
    assert [r["first"] for r in appearance_rows([{"published": None}, {"published": None}])] == [True, False]
    assert appearance_rows([]) == []


def test_web_article_hostile_article_stays_text(client):
    page = client.get(f"/articles/{article_id(client, XSS_TITLE)}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;i&gt;evil&lt;/i&gt;.example" in page  # the site, in the appearances, as text
    for tip in tips(page).values():
        assert "<script" not in tip and "<img" not in tip


def test_web_article_analyze_page_has_the_same_view(client):
    page = client.post("/analyze", data={"text": TEXT.replace('"', "“", 1).replace('"', "”", 1)}).text
    assert 'class="article-text"' in page and '<link rel="stylesheet" href="/palette.css">' in page
    assert '<section class="appearances"' not in page  # nothing stored, nowhere appeared


def _one_article_site(folder, text: str) -> str:
    """The HTML page of the one article ``text``, served from a fresh corpus in ``folder``."""
    from onrecord.corpus.ingest import Ingestor, open_corpus
    from onrecord.ingest import Loaded
    from onrecord.model import ArticleInput

    engine = open_corpus(str(folder / "one.db"))
    Ingestor(engine).ingest_loaded([Loaded("one", ArticleInput(text, "2025-03-12", title="One"), sha256="one")])
    engine.dispose()
    web = TestClient(create_app(WebSettings(db=str(folder / "one.db"))))
    return web.get(f"/articles/{article_id(web, 'One')}").text


def test_web_article_page_shows_what_was_read_but_not_recorded(tmp_path):
    """An auditor sees each refusal with its reason, and the furniture lines, beside the statements."""
    text = ("Dam holds as river crests\n\nThe mayor said on Monday that the dam was safe.\n"
            "WATCH: Mayor says the dam is safe\n"
            "It is worth noting that the spillway was never tested.\n")
    page = _one_article_site(tmp_path, text)
    section = page[page.index('id="refused-h"'):]
    assert "no speaker: nobody is said to have said it" in section and "spillway was never tested" in section
    assert "WATCH: Mayor says the dam is safe" in section and "page furniture" in section


def test_web_article_page_without_refusals_has_no_such_section(tmp_path):
    assert 'id="refused-h"' not in _one_article_site(tmp_path, "The mayor said the dam was safe.\n")

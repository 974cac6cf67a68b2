"""The index pages (/speakers, /articles) and the speaker page, through the test client:
paging, sorting, filters, JSON twins, the timeline's bars against the counts, names without
pronouns, untitled stories labelled, hostile names escaped."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from record_corpus import WEEK
from web_fixtures import XSS_TITLE, build_corpus

from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput
from onrecord.store.index_queries import article_label
from onrecord.web import WebSettings, create_app
from onrecord.web.timeline import layout, timeline_svg, weeks_with_gaps

#: Untitled stories over three weeks (the middle one quiet), a pronoun the speaker is
#: mentioned by, and an untitled story whose first words are markup.
BRIDGE = [
    ("a", "2025-03-03", "Mayor Clara Whitfield said on Monday that the bridge would reopen in April. "
                        "She said the repairs were nearly finished.", "dailypost.example"),
    ("b", "2025-03-05", "Clara Whitfield said the council had found the money for the repairs. "
                        "Whitfield denied that the budget for roads had been cut.", "localnews.example"),
    ("c", "2025-03-19", "Engineer Tom Baxter accused the council of hiding cracks in the bridge, something "
                        "Whitfield denies. Whitfield said the engineers were wrong. "
                        "He said he would resign if the bridge failed.", "dailypost.example"),
    ("d", "2025-03-20", '<b onmouseover="alert(1)">Whitfield</b> said the <script>alert(2)</script> plan was '
                        'sound.', "dailypost.example"),
]
PRONOUNS = {"he", "she", "they", "him", "her", "it"}


def _ingest(db, items) -> str:
    engine = open_corpus(str(db))
    Ingestor(engine).ingest_loaded(items)
    engine.dispose()
    return str(db)


@pytest.fixture(scope="module")
def web_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("idx-web") / "web.db"
    build_corpus(db)
    return str(db)


@pytest.fixture(scope="module")
def week_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("idx-week") / "week.db"
    return _ingest(db, (Loaded(s["doc_id"], ArticleInput(s["text"], date.fromisoformat(s["published"]),
                                                         site=s["site"]), sha256=s["doc_id"]) for s in WEEK))


@pytest.fixture(scope="module")
def bridge_db(module_db_url):
    """The bridge stories, on SQLite and on PostgreSQL (the week of a date is the dialect's)."""
    return _ingest(module_db_url, (Loaded(doc, ArticleInput(text, day, site=site), sha256=doc)
                                   for doc, day, text, site in BRIDGE))


def client(db: str, **settings) -> TestClient:
    return TestClient(create_app(WebSettings(db=db, **settings)))


def speaker_id(c: TestClient, name: str) -> int:
    return next(r["id"] for r in c.get("/speakers.json", params={"q": name}).json()["rows"] if r["name"] == name)


def speaker_links(page: str) -> list[int]:
    """The speakers a listing links to, in order."""
    return [int(i) for i in re.findall(r'<a class="who" href="/speakers/(\d+)"', page)]


def article_links(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/articles/(\d+)"', page)]


def bars(page: str) -> list[tuple[str, int, float]]:
    """The timeline's bars: week, count and height."""
    return [(w, int(n), float(h)) for h, w, n in re.findall(
        r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]*" '
        r'data-week="([\d-]+)" data-count="(\d+)">', page)]


# --- /speakers ------------------------------------------------------------------------

def test_web_indexes_speakers_pages_through_every_speaker(web_db):
    c = client(web_db, default_page_size=3)
    first = c.get("/speakers.json").json()
    assert first["total"] > 6 and first["pages"] == -(-first["total"] // 3) and len(first["rows"]) == 3
    seen = []
    for n in range(1, first["pages"] + 1):
        rows = c.get(f"/speakers.json?page={n}").json()["rows"]
        page = c.get(f"/speakers?page={n}").text
        assert speaker_links(page) == [r["id"] for r in rows]  # the page and its twin list the same
        seen += rows
    assert len({r["id"] for r in seen}) == first["total"] == len(seen)
    counts = [r["statements"] for r in seen]
    assert counts == sorted(counts, reverse=True)
    assert all(sum(r["by_type"].values()) == r["statements"] for r in seen)
    assert 'rel="next"' in c.get("/speakers").text and c.get("/speakers?size=101").status_code == 422


def test_web_indexes_speakers_sort_by_name_and_filter_by_kind(web_db):
    c = client(web_db, default_page_size=100)
    by_name = c.get("/speakers.json?sort=name").json()["rows"]
    names = [r["name"].lower() for r in by_name]
    assert names == sorted(names) and len(by_name) > 6
    kinds = c.get("/speakers.json").json()["kinds"]
    assert {k["value"] for k in kinds} >= {"person", "organization"}
    assert sum(k["count"] for k in kinds) == c.get("/speakers.json").json()["total"]
    for k in kinds:
        rows = c.get(f"/speakers.json?kind={k['value']}&sort=name").json()
        assert rows["total"] == k["count"] and {r["kind"] for r in rows["rows"]} == {k["value"]}
    page = c.get("/speakers?kind=organization")
    assert '<option value="organization" selected>' in page.text
    assert c.get("/speakers?sort=size").status_code == 422
    assert c.get("/speakers?kind=&sort=&q=").status_code == 200  # what an untouched form sends


def test_web_indexes_speakers_search_by_name_and_alias(week_db):
    c = client(week_db)
    ruiz = c.get("/speakers.json?q=ruiz").json()["rows"]
    assert {r["name"] for r in ruiz} == {"Elena Ruiz", "Marco Ruiz"}
    variant = c.get("/speakers.json?q=zelenskiy").json()["rows"]  # a spelling joined into the identity
    assert [r["name"] for r in variant] == ["Volodymyr Zelensky"] and variant[0]["joined"] == 1
    assert c.get("/speakers.json?q=nobody-at-all").json()["total"] == 0
    assert "No speaker matches." in c.get("/speakers?q=nobody-at-all").text


def test_web_indexes_speakers_hide_descriptions_unless_asked(week_db):
    c = client(week_db)
    named = {r["name"] for r in c.get("/speakers.json").json()["rows"]}
    every = {r["name"] for r in c.get("/speakers.json?descriptions=true").json()["rows"]}
    assert "mayor" not in named and "mayor" in every and named < every
    assert "Elena Ruiz" in named
    assert "checked" in c.get("/speakers?descriptions=true").text.split('name="descriptions"')[1][:40]


def test_web_indexes_speakers_list_names_without_pronouns(bridge_db):
    c = client(bridge_db)
    rows = c.get("/speakers.json").json()["rows"]
    whitfield = next(r for r in rows if r["name"] == "Clara Whitfield")
    assert "Whitfield" in whitfield["aliases"]
    for r in rows:
        assert not PRONOUNS & {a.lower() for a in r["aliases"]}, r
    page = c.get("/speakers").text
    assert not re.search(r"also [^<]*\b(He|She)\b", page)


# --- /articles ------------------------------------------------------------------------

def test_web_indexes_articles_page_sort_and_twin(web_db):
    c = client(web_db, default_page_size=2)
    first = c.get("/articles.json").json()
    assert first["total"] == 5 and first["pages"] == 3
    newest = []
    for n in (1, 2, 3):
        rows = c.get(f"/articles.json?page={n}").json()["rows"]
        assert article_links(c.get(f"/articles?page={n}").text) == [r["id"] for r in rows]
        newest += rows
    days = [r["first_published"] for r in newest]
    assert days == sorted(days, reverse=True) and len({r["id"] for r in newest}) == 5
    oldest = c.get("/articles.json?sort=oldest&size=10").json()["rows"]
    assert [r["first_published"] for r in oldest] == sorted(days)
    titled = [r["title"].lower() for r in c.get("/articles.json?sort=title&size=10").json()["rows"]]
    assert titled == sorted(titled)
    assert c.get("/articles?sort=sideways").status_code == 422


def test_web_indexes_articles_filters(web_db):
    c = client(web_db, default_page_size=10)
    daily = c.get("/articles.json?source=dailypost").json()
    assert daily["total"] == 2 and {r["source"] for r in daily["rows"]} == {"dailypost.example"}
    span = c.get("/articles.json?since=2025-03-12&until=2025-03-13").json()
    assert span["total"] == 3 and all("2025-03-12" <= r["first_published"] <= "2025-03-13" for r in span["rows"])
    words = c.get("/articles.json?title=putin+troops").json()
    assert [r["title"] for r in words["rows"]] == ["Trump urges Putin to spare troops"]
    # words of the text that are not in the title do not count
    assert c.get("/articles.json?title=kursk").json()["total"] == 0
    page = c.get("/articles?source=dailypost&since=2025-03-01&until=&title=").text
    assert 'value="dailypost"' in page and 'value="2025-03-01"' in page and "2 articles" in page
    assert c.get("/articles?since=March").status_code == 422
    outlets = {o["value"]: o["count"] for o in c.get("/articles.json").json()["outlets"]}
    assert outlets["dailypost.example"] == 2


def test_web_indexes_untitled_stories_get_a_label(bridge_db):
    c = client(bridge_db)
    wid = speaker_id(c, "Clara Whitfield")
    rows = c.get("/articles.json?sort=oldest").json()["rows"]
    assert [r["title"] for r in rows] == [None] * 4
    assert rows[0]["label"] == "Mayor Clara Whitfield said on Monday that the…"
    for path in ("/", "/articles", f"/speakers/{wid}"):
        page = c.get(path).text
        assert not re.search(r">\s*article \d+\s*<", page), path
    assert "Mayor Clara Whitfield said on Monday that the…" in c.get("/articles").text
    assert "Clara Whitfield said the council had found the…" in c.get(f"/speakers/{wid}").text
    home = c.get("/").text
    assert "Mayor Clara Whitfield said on Monday that the…" in home  # the home page labels alike
    assert 'href="/speakers"' in home and 'href="/articles"' in home


def test_web_indexes_article_label():
    assert article_label("  A title ", "words") == "A title"
    assert article_label(None, "one two three") == "one two three"
    assert article_label("", " ".join(str(i) for i in range(20))) == "0 1 2 3 4 5 6 7…"
    assert article_label(None, "", "site.example", "2025-01-02") == "Untitled story (site.example · 2025-01-02)"
    assert article_label(None) == "Untitled story"


# --- the speaker page -------------------------------------------------------------------

def test_web_indexes_speaker_timeline_bars_match_the_counts(bridge_db):
    c = client(bridge_db)
    wid = speaker_id(c, "Clara Whitfield")
    data = c.get(f"/speakers/{wid}.json").json()
    weeks = data["timeline"]["weeks"]
    assert [w["week"] for w in weeks] == ["2025-03-03", "2025-03-10", "2025-03-17"]  # the quiet week too
    assert weeks[1]["count"] == 0 and sum(w["count"] for w in weeks) == data["total"] == data["speaker"]["statements"]
    page = c.get(f"/speakers/{wid}").text
    drawn = bars(page)
    assert [(w, n) for w, n, _ in drawn] == [(w["week"], w["count"]) for w in weeks]
    tallest = max(h for _, _, h in drawn)
    top = max(n for _, n, _ in drawn)
    for _, n, h in drawn:
        assert h == pytest.approx(tallest * n / top, abs=0.02)
    assert 'role="img"' in page and "<title id=\"tl-title\">Statements by Clara Whitfield, by week</title>" in page
    for w in weeks:  # the numbers as text too
        assert (f'<td data-label="Week of"><time datetime="{w["week"]}">{w["week"]}</time></td>'
                f'<td class="num" data-label="Statements">{w["count"]}</td>') in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0].replace("&lt;script", "")


def test_web_indexes_speaker_filters_narrow_list_and_timeline(bridge_db):
    c = client(bridge_db, default_page_size=2)
    wid = speaker_id(c, "Clara Whitfield")
    every = c.get(f"/speakers/{wid}.json").json()
    denials = c.get(f"/speakers/{wid}.json?type=denial").json()
    assert denials["total"] == every["speaker"]["by_type"]["denial"] >= 1
    assert {r["type"] for r in denials["rows"]} == {"denial"}
    assert sum(w["count"] for w in denials["timeline"]["weeks"]) == denials["total"]
    later = c.get(f"/speakers/{wid}.json?since=2025-03-10&until=").json()
    assert later["total"] < every["total"] and all(r["date"] >= "2025-03-10" for r in later["rows"])
    assert [w["week"] for w in later["timeline"]["weeks"]] == ["2025-03-17"]
    page = c.get(f"/speakers/{wid}?since=2025-03-01&until=2025-03-31").text
    assert 'value="2025-03-01"' in page and 'value="2025-03-31"' in page
    nxt = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert "since=2025-03-01" in nxt and "until=2025-03-31" in nxt and "page=2" in nxt  # pages keep the filters
    assert c.get(f"/speakers/{wid}?type=denial").text.count('<span class="badge type-denial">') == denials["total"]
    assert c.get(f"/speakers/{wid}?since=2025-13-01").status_code == 422
    assert c.get(f"/speakers/{wid}?type=&since=&until=").status_code == 200


def test_web_indexes_speaker_lines_without_the_name_and_aliases_without_pronouns(bridge_db):
    c = client(bridge_db, default_page_size=50)
    wid = speaker_id(c, "Clara Whitfield")
    data = c.get(f"/speakers/{wid}.json").json()
    assert not PRONOUNS & {a.lower() for a in data["speaker"]["aliases"]}
    page = c.get(f"/speakers/{wid}").text
    listed = page.split('class="plain results-list own-lines">')[1].split("</ol>")[0]
    assert listed.count('class="result"') == data["total"]
    assert 'class="who"' not in listed and ">Clara Whitfield<" not in listed
    also = re.search(r'<p class="aliases">Also named: ([^<]*)</p>', page).group(1)
    assert "Whitfield" in also and not PRONOUNS & {a.strip().lower() for a in also.split(",")}


def test_web_indexes_speaker_disputes_both_ways(web_db):
    c = client(web_db)
    rows = c.get("/speakers.json?size=100&descriptions=true").json()["rows"]
    ids = {r["name"]: r["id"] for r in rows}
    trump = c.get(f"/speakers/{ids['Donald Trump']}.json").json()
    denied = [d for d in trump["disputes"] if d["role"] == "denied"]
    assert denied and {d["denial"]["speaker"] for d in denied} == {"Ukraine’s General Staff"}
    page = c.get(f"/speakers/{ids['Donald Trump']}").text
    received = page.split('id="disputes-received"')[1].split("</ul>")[0]
    assert f'href="/speakers/{ids["Ukraine’s General Staff"]}"' in received
    assert 'href="/articles/1">Trump urges Putin to spare troops</a>' in received
    staff = c.get(f"/speakers/{ids['Ukraine’s General Staff']}").text
    made = staff.split('id="disputes-made"')[1].split("</ul>")[0]
    assert f'href="/speakers/{ids["Donald Trump"]}"' in made and "Donald Trump" in made


def test_web_indexes_speaker_disputes_link_untitled_articles_by_their_words(bridge_db):
    c = client(bridge_db)
    wid, baxter = speaker_id(c, "Clara Whitfield"), speaker_id(c, "Tom Baxter")
    made = c.get(f"/speakers/{wid}.json").json()["disputes"]
    assert [(d["role"], d["claim"]["speaker_id"], d["denial"]["speaker_id"]) for d in made] == [("denies", baxter, wid)]
    assert made[0]["claim"]["article_label"] == "Engineer Tom Baxter accused the council of hiding…"
    received = c.get(f"/speakers/{baxter}.json").json()["disputes"]
    assert [(d["role"], d["denial"]["speaker"]) for d in received] == [("denied", "Clara Whitfield")]
    page = c.get(f"/speakers/{baxter}").text.split('id="disputes-received"')[1].split("</ul>")[0]
    assert f'<a class="who" href="/speakers/{wid}">Clara Whitfield</a>' in page
    assert f'href="/articles/{received[0]["denial"]["article_id"]}">Engineer Tom Baxter accused' in page


def test_web_indexes_speaker_identity_evidence(week_db):
    c = client(week_db)
    elena = next(r for r in c.get("/speakers.json?q=elena").json()["rows"])
    data = c.get(f"/speakers/{elena['id']}.json").json()
    assert [(j["name"], j["rule"], j["confidence"]) for j in data["speaker"]["joins"]] == [("Ruiz", "surname", 0.85)]
    page = c.get(f"/speakers/{elena['id']}").text
    joins = page.split('class="joins"')[1].split("</table>")[0]
    assert "<code>surname</code>" in joins and "0.85" in joins
    assert str(escape(data["speaker"]["joins"][0]["evidence"])) in joins
    assert [d["role"] for d in data["disputes"]] and {d["claim"]["speaker"] for d in data["disputes"]} >= {"Marco Ruiz"}
    across = [d for d in data["disputes"] if d["scope"] == "corpus"]
    assert across and across[0]["claim"]["article_id"] != across[0]["denial"]["article_id"]
    marco = c.get(f"/speakers/{across[0]['claim']['speaker_id']}").text
    assert "Who disputes Marco Ruiz" in marco and f'href="/speakers/{elena["id"]}"' in marco
    assert 'class="joins"' not in marco  # not joined across articles: no evidence table
    assert c.get("/speakers/999999").status_code == 404


# --- hostile text -----------------------------------------------------------------------

def test_web_indexes_escape_hostile_names_titles_and_labels(web_db, bridge_db):
    c = client(web_db)
    speakers = c.get("/speakers?descriptions=true&size=100").text
    assert '&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt; minister' in speakers
    hostile = next(r["id"] for r in c.get("/speakers.json?descriptions=true&size=100").json()["rows"]
                   if "<script>" in r["name"])
    pages = [speakers, c.get(f"/speakers/{hostile}").text, c.get("/articles").text, c.get("/").text,
             c.get("/articles?source=%3Cscript%3Ealert(1)%3C/script%3E").text,
             c.get("/speakers?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").text]
    articles = pages[2]
    assert str(escape(XSS_TITLE)) in articles
    assert "&lt;i&gt;evil&lt;/i&gt;.example" in articles
    b = client(bridge_db)
    wid = speaker_id(b, "Clara Whitfield")
    pages += [b.get("/articles").text, b.get(f"/speakers/{wid}").text]
    assert "&lt;b onmouseover=&#34;alert(1)&#34;&gt;Whitfield&lt;/b&gt;" in pages[-2]
    for page in pages:
        assert "<script>alert" not in page and "<b onmouseover" not in page and "<img src=x" not in page
        assert "<i>evil</i>" not in page


def test_web_indexes_timeline_layout_and_gaps():
    weeks = weeks_with_gaps([{"week": "2025-01-06", "count": 2}, {"week": "2025-01-27", "count": 4}])
    assert [w["count"] for w in weeks] == [2, 0, 0, 4]
    drawn = layout(weeks)
    assert [b.height for b in drawn] == [pytest.approx(drawn[3].height / 2), 0, 0, drawn[3].height]
    assert all(b.y + b.height == pytest.approx(drawn[3].y + drawn[3].height) for b in drawn)  # one baseline
    long = weeks_with_gaps([{"week": "2000-01-03", "count": 1}, {"week": "2020-01-06", "count": 1}])
    assert len(long) == 2  # too long a span to draw every quiet week
    svg = timeline_svg(weeks, '<script>alert("x")</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.count('<rect class="bar"') == 4
    assert timeline_svg([], "nobody") == ""


def test_web_indexes_timeline_leaves_month_and_year_dates_out_of_the_weeks(db_url):
    # "last August" in a September story is dated 2016-08: a month, which no week holds; the
    # speaker page counted it as a week, which failed on both databases
    story = ("Mayor Ann Lee said last August that the bridge would be rebuilt. "
             '"We will rebuild it," Lee said on Monday.')
    db = _ingest(db_url, [Loaded("month", ArticleInput(story, date(2016, 9, 14), site="x.example"),
                                        sha256="month")])
    c = client(db)
    lee = speaker_id(c, "Ann Lee")
    page = c.get(f"/speakers/{lee}")
    assert page.status_code == 200
    timeline = c.get(f"/speakers/{lee}.json").json()["timeline"]
    assert [(w["week"], w["count"]) for w in timeline["weeks"]] == [("2016-09-12", 1)]
    assert timeline["undated"] == 1 and "without a date to the day" in page.text


def test_web_indexes_a_joined_speaker_is_sent_to_its_identity_with_its_filters(bridge_db):
    c = client(bridge_db, default_page_size=50)
    wid = speaker_id(c, "Clara Whitfield")
    members = {r["speaker_id"] for r in c.get(f"/speakers/{wid}.json").json()["rows"]} - {wid}
    assert members  # her statements come from the speakers of several stories, joined
    member = min(members)
    page = c.get(f"/speakers/{member}?type=denial", follow_redirects=False)
    assert page.status_code == 307 and page.headers["location"] == f"/speakers/{wid}?type=denial"
    twin = c.get(f"/speakers/{member}.json", follow_redirects=False)
    assert twin.status_code == 307 and twin.headers["location"] == f"/speakers/{wid}.json"
    assert c.get(f"/speakers/{member}.json").json()["speaker"]["id"] == wid
    assert c.get(f"/speakers/{wid}", follow_redirects=False).status_code == 200
    assert c.get("/speakers/999999", follow_redirects=False).status_code == 404


@pytest.mark.parametrize("params", [{}, {"kind": "person"}, {"kind": "organization"}, {"q": "tr"},
                                    {"q": "tr", "kind": "person"}, {"descriptions": "true"},
                                    {"descriptions": "true", "kind": "nosuchkind"}])
def test_web_indexes_speaker_total_is_the_rows_it_pages_through(web_db, params):
    c = client(web_db)
    first = c.get("/speakers.json", params={**params, "size": 2}).json()
    rows, page = [], 1
    while True:
        body = c.get("/speakers.json", params={**params, "size": 2, "page": page}).json()
        rows += body["rows"]
        if page >= body["pages"]:
            break
        page += 1
    assert first["total"] == len(rows) == len({r["id"] for r in rows})
    if "kind" in params:
        assert {r["kind"] for r in rows} <= {params["kind"]}

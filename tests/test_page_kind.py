"""The kind of page an input is (news, opinion, interview, press release, not news), from
what the page declares and how its text is written; pages and texts written for these tests."""

import json

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.ingest.readers import read_bytes
from onrecord.ingest.kind import NEWS, NOT_NEWS, classify, page_hints

NEWS_PAGE = """<html lang="en"><head><title>Port to reopen in May, minister says</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "name": "Port"}, {"@type": "NewsArticle", "headline": "Port to reopen in May"}]}</script>
</head><body><header><nav>Home | World | Business</nav></header>
<article><h1>Port to reopen in May, minister says</h1>
<p class="byline">By Jane Doe</p>
<figure><img src="p.jpg"><figcaption>The harbour after the storm. Photo: Reuters</figcaption></figure>
<p>PORTHAVEN, April 2 (Reuters) - The interior minister said on Tuesday the port would reopen in May
after repairs to the northern piers.</p>
<p>"Every pier will be ready before the summer," Elena Ruiz told reporters at the quay.</p>
<p>Dock workers said they had not been told when they could return to work.</p></article>
<aside>Read more: Storm damage in pictures</aside></body></html>"""

FORUM_PAGE = """<html><head><title>Best reel for pier fishing? - Anglers Forum</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "DiscussionForumPosting",
 "headline": "Best reel for pier fishing?"}</script></head><body><main>
<p>reelfan wrote: I said to my brother that the cheap reels break after one season, and he agreed.</p>
<p>Reply Quote</p><p>portangler wrote: My dad always said a good reel lasts twenty years if you oil it.</p>
<p>Reply Quote</p><p>Joined: 2019 Posts: 412</p></main></body></html>"""

PRODUCT_PAGE = """<html><head><meta property="og:type" content="product"><title>Harbour Pro Reel</title></head>
<body><main><h1>Harbour Pro Reel</h1><p>Our best reel, said to last for decades by anglers who tried it.</p>
<p>Price: $89.99. In stock. Add to cart.</p><p>Free shipping on orders over $50.</p></main></body></html>"""

TUTORIAL = """How to oil a fishing reel

You'll need a soft cloth, reel oil and a small screwdriver.

Step 1. Remove the spool and wipe your reel clean with the cloth.
Step 2. Put one drop of oil on each bearing; too much oil collects dirt, so go easy.
Step 3. Turn the handle a few times so the oil spreads, then put the spool back.

Tip: Oil your reel after every trip in salt water.
"""

WIKI_DIALOGUE = """Captain Mara

Captain Mara is a character who runs the harbour in the northern quarter.

Dialogue
"Welcome to the harbour, traveller."
"The fish are biting near the old pier today."
"Bring me ten cod and I will tell you where the treasure lies."
"Farewell, and mind the storms."
"""

PRESS_RELEASE = """FOR IMMEDIATE RELEASE

Harbour Logistics Opens New Terminal in Porthaven

PORTHAVEN, April 2, 2025 /PRNewswire/ -- Harbour Logistics (NYSE: HLG) today opened its new container
terminal. "This terminal doubles our capacity," said chief executive Tom Reyes.

About Harbour Logistics
Harbour Logistics runs ports in six countries.

Media contact: press@harbour.example
"""

INTERVIEW = """The minister on the harbour: an interview

Q: When will the port reopen?
A: In May, once the northern piers are repaired.
Q: Will the dock workers be paid meanwhile?
A: Yes. We have set aside a fund for them.
Q: What about the fishing fleet?
A: The fleet can use the southern quay from next week.
"""

OPINION = """Why I still believe in our harbour

By Jane Doe

I grew up on the quay, and I have watched my town's port decline for twenty years. I think the
minister's plan is the first that takes the harbour seriously. My father worked the cranes; I remember
the ships queuing at dawn. I am not naive: I know plans fail. But I believe this one can work, and I
will say so to anyone who asks me.
"""

MONEY_NEWS = """WASHINGTON, Sept 22 - The super PAC raised $12.5 million in August, filings showed, bringing its
total to $88 million. Donors gave $2,700 each on average, the group said, and spent $4.1 million on ads.
A spokesman said the group would spend $20 million more before November.
"""


def _loaded(data: str, name: str):
    [loaded] = list(read_bytes(data.encode(), name, name=name))
    return loaded.article


@pytest.mark.parametrize("page, name, kind", [
    (NEWS_PAGE, "news.html", NEWS),
    (FORUM_PAGE, "forum.html", NOT_NEWS),
    (PRODUCT_PAGE, "reel.html", NOT_NEWS),
    (TUTORIAL, "tutorial.txt", NOT_NEWS),
    (WIKI_DIALOGUE, "mara.txt", NOT_NEWS),
    (PRESS_RELEASE, "release.txt", "press-release"),
    (INTERVIEW, "interview.txt", "interview"),
    (OPINION, "opinion.txt", "opinion"),
    (MONEY_NEWS, "pac.txt", NEWS),
])
def test_page_kind_from_metadata_and_text(page, name, kind):
    article = _loaded(page, name)
    assert article.kind == kind, article.kind_evidence
    assert article.kind_evidence and all(isinstance(e, str) and e for e in article.kind_evidence)


def test_page_hints_read_json_ld_graphs_lists_and_og_type():
    assert page_hints(NEWS_PAGE) == ["schema:WebPage", "schema:NewsArticle", "og:article"]
    assert page_hints('<script type="application/ld+json">[{"@type": ["Recipe", "HowTo"]}]</script>') == \
        ["schema:Recipe", "schema:HowTo"]
    assert page_hints('<script type="application/ld+json">{broken</script>') == []


def test_page_declared_kind_beats_the_text():
    assert classify(TUTORIAL, ["schema:NewsArticle"]).kind == NEWS
    assert classify(MONEY_NEWS, ["schema:OpinionNewsArticle"]).kind == "opinion"
    assert "schema.org OpinionNewsArticle" in classify(MONEY_NEWS, ["schema:OpinionNewsArticle"]).evidence[0]


def test_page_kind_without_evidence_is_news():
    """A bare paragraph says nothing either way: it stays news, as before."""
    assert classify("The port will reopen in May.").kind == NEWS


def test_page_kind_is_in_the_record_the_ingest_line_and_the_export(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "news.html").write_text(NEWS_PAGE, encoding="utf-8")
    (tmp_path / "pages" / "forum.html").write_text(FORUM_PAGE, encoding="utf-8")
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "pages"), "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    assert "new by kind: news 1, not-news 1" in result.stdout
    exported = [json.loads(line) for line in CliRunner().invoke(
        main, ["export", "articles", "--db", db, "--format", "jsonl"]).stdout.splitlines()]
    assert sorted(a["kind"] for a in exported) == [NEWS, NOT_NEWS]
    record = json.loads(CliRunner().invoke(main, ["extract", str(tmp_path / "pages" / "forum.html"), "--json"]).stdout)
    assert record["kind"] == NOT_NEWS and any("DiscussionForumPosting" in e for e in record["kind_evidence"])


def test_page_kind_given_with_the_option_beats_the_guess(tmp_path):
    path = tmp_path / "mara.txt"
    path.write_text(WIKI_DIALOGUE, encoding="utf-8")
    record = json.loads(CliRunner().invoke(main, ["extract", str(path), "--json", "--kind", "news"]).stdout)
    assert (record["kind"], record["kind_evidence"]) == (NEWS, ["given with --kind"])
    bad = CliRunner().invoke(main, ["extract", str(path), "--kind", "gossip"])
    assert bad.exit_code == 2 and "gossip" in bad.output


FORUM_DENIAL = """<html><head><title>Harbour rumours - Anglers Forum</title>
<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script></head><body><main>
<p>quaywatcher wrote: The harbour master denied that the northern quay was sold, but I don't believe him.</p>
<p>Reply Quote</p><p>netmender wrote: My cousin said the quay was sold to a shipping company last winter.</p>
<p>Reply Quote</p><p>Joined: 2021 Posts: 12</p></main></body></html>"""


def _news_and_forum(tmp_path) -> str:
    """A corpus of the news page and the forum thread; its database path."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "news.html").write_text(NEWS_PAGE, encoding="utf-8")
    (tmp_path / "pages" / "forum.html").write_text(FORUM_DENIAL, encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(main, ["ingest", str(tmp_path / "pages"), "--db", db, "-q"]).exit_code == 0
    return db


def test_not_news_statements_stay_out_of_listings_unless_asked(tmp_path):
    db = _news_and_forum(tmp_path)

    def rows(*args):
        result = CliRunner().invoke(main, [*args, "--db", db, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    news = rows("search")
    everything = rows("search", "--include-not-news")
    assert news and len(everything) > len(news)
    assert all(r["site"] != "forum.html" and "quay" not in r["content"] for r in news)
    forum_speakers = {r["name"] for r in rows("speakers", "--include-not-news", "--descriptions")} - \
        {r["name"] for r in rows("speakers", "--descriptions")}
    assert forum_speakers  # the forum's speakers are listed only when asked
    assert rows("disputes") == [] or all("quay" not in d["claim"]["text"] for d in rows("disputes"))
    # the forum page's own record keeps them all
    forum_id = next(r["article_id"] for r in everything if "quay" in r["content"])
    shown = rows("show", str(forum_id))
    assert shown["statements"]


def test_corpus_counts_say_what_search_lists(tmp_path):
    from onrecord.corpus import Corpus

    db = _news_and_forum(tmp_path)
    counts = Corpus.open(db).counts()
    listed = json.loads(CliRunner().invoke(main, ["search", "--db", db, "--format", "json", "--limit", "100"]).stdout)
    everything = json.loads(CliRunner().invoke(main, ["search", "--db", db, "--format", "json", "--limit", "100",
                                                      "--include-not-news"]).stdout)
    assert counts["statements"] == len(listed) and counts["not_news_statements"] == len(everything) - len(listed) > 0


STORY_TEXT = ("“We should turn back,” Mira said.\n“Not yet,” said her brother. “The lights are close.”\n"
              "She looked at the harbour and said nothing for a long time.\n“Fine,” she said at last.\n")


@pytest.mark.parametrize("head, expected", [
    ('<body class="mediawiki ltr skin-vector">', ["site:wiki"]),
    ('<meta name="generator" content="MediaWiki 1.41.0">', ["site:wiki"]),
    ('<meta property="og:site_name" content="Riverlands Wiki">', ["site:wiki"]),
    ("<title>Harbour Lights — Fiction by Tom Reyes | The Quarterly</title>", ["genre:fiction"]),
    ('<meta property="article:section" content="Short Stories">', ["genre:fiction"]),
    ("<title>Novelist wins fiction prize for harbour saga | Daily Post</title>", []),
    ('<meta property="og:site_name" content="Wikinews Watch Daily">', []),
])
def test_page_hints_see_wikis_and_fiction_and_not_news_about_them(head, expected):
    assert page_hints(f"<html><head>{head}</head><body></body></html>") == expected


def test_page_kind_of_labelled_fiction_and_wiki_text_is_not_news():
    """Dialogue with "said" on every line reads like reporting; the label at the top says otherwise."""
    assert classify(STORY_TEXT).kind == NEWS  # nothing says it is a story
    assert classify("FICTION\nHarbour Lights\n" + STORY_TEXT).kind == NOT_NEWS
    wiki = "Mira Vale\nBiography[edit]\nMira was born in Tarn.\nQuotes[edit]\n" + STORY_TEXT
    found = classify(wiki)
    assert found.kind == NOT_NEWS and "edit links" in found.evidence[-1]
    assert classify("FICTION\n" + STORY_TEXT, dateline=True).kind == NEWS  # a dated report about a story

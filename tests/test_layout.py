"""Headlines, bylines and datelines: found by shape, turned into metadata, kept out of attribution."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from onrecord import analyze
from onrecord.layout import find_layout, give, split_authors
from onrecord.ingest.readers import read_bytes
from onrecord.model import ArticleInput

STORY = """Commission rejects Kremlin claims on gas supplies

By Jane Doe and John Roe, Reuters

BRUSSELS, March 12 (Reuters) - The European Commission on Tuesday denied that it had cut gas supplies to Hungary, a spokesman said.

"We have not cut anything," the spokesman told reporters.
"""

DATELINES = [
    ("BERLIN, May 5 (Reuters) - Officials said the talks would go on.", "Berlin", (5, 5), None),
    ("WASHINGTON — The senator said she would vote against the bill.", "Washington", None, None),
    ("KYIV, Ukraine, March 12, 2025 - Officials said the strikes went on.", "Kyiv, Ukraine", (3, 12), 2025),
    ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — The candidate was escorted off the site.", "Hempstead, N.Y.", (9, 26), None),
    ("NEW YORK -- The mayor said the blast was deliberate.", "New York", None, None),
    # a press release's wire between slashes
    ("NORTHBRIDGE, May 13, 2024 /PRNewswire/ -- Corvane Systems said it would buy Tallis.", "Northbridge", (5, 13), 2024),
]


@pytest.mark.parametrize("text,place,month_day,year", DATELINES)
def test_layout_dateline_forms(text, place, month_day, year):
    layout = find_layout(text)
    assert layout.dateline is not None and layout.place == place
    assert layout.month_day == month_day and layout.year == year
    assert text[layout.dateline[1]:].lstrip()[0].isupper()  # the sentence starts after it
    assert text[layout.dateline[0]:layout.dateline[1]].rstrip()[-1] in "-—"


def test_layout_dateline_date_takes_the_year_of_the_reference():
    layout = find_layout("BERLIN, May 5 (Reuters) - Officials said so.")
    assert layout.date() is None
    assert layout.date(date(2025, 5, 6)) == date(2025, 5, 5)
    assert find_layout("BERLIN, Dec. 31 (Reuters) - Officials said so.").date(date(2025, 1, 2)) == date(2024, 12, 31)


@pytest.mark.parametrize("text", [
    "Washington - the city - said nothing.",  # a capitalised word and a dash is prose
    "US President Donald Trump urged Putin to spare the lives of the troops.",
    "The Kremlin said on Friday it would consider the plan.",
])
def test_layout_no_dateline_in_prose(text):
    assert find_layout(text).dateline is None


def test_layout_headline_byline_and_dateline():
    layout = find_layout(STORY)
    assert STORY[slice(*layout.headline)] == "Commission rejects Kremlin claims on gas supplies"
    assert STORY[slice(*layout.byline)] == "By Jane Doe and John Roe, Reuters"
    assert layout.author == "Jane Doe, John Roe"
    assert STORY[slice(*layout.dateline)].startswith("BRUSSELS, March 12 (Reuters) -")


def test_layout_signed_byline_and_headline_before_a_dateline():
    text = "Rebels claim border town\nRita Gomez, AFP\nGOMA - Rebels said they held the town."
    layout = find_layout(text)
    assert layout.headline == (0, 24) and layout.author == "Rita Gomez" and layout.place == "Goma"


@pytest.mark.parametrize("text", [
    "Putin said the troops would be spared.\n\nTrump welcomed the remarks.",  # a sentence, not a headline
    "One line of a story that simply goes on and on without any break at all",
])
def test_layout_first_sentence_is_no_headline(text):
    assert find_layout(text).headline is None


def test_layout_first_line_equal_to_the_given_title_is_the_headline():
    text = "Senator: The bill is dead.\n\nThe senator said the bill was dead."
    assert find_layout(text, title="Senator: the bill is dead").headline == (0, 26)
    assert find_layout(text).headline is None  # closing punctuation: by shape alone, no headline


def test_layout_plain_text_gets_title_author_place_and_date():
    (loaded,) = read_bytes(STORY.replace("March 12", "March 12, 2025").encode(), "story.txt")
    article = loaded.article
    assert article.title == "Commission rejects Kremlin claims on gas supplies"
    assert article.author == "Jane Doe, John Roe" and article.place == "Brussels"
    assert article.published == "2025-03-12"
    assert article.origin == {"title": "headline", "author": "byline", "place": "dateline", "published": "dateline"}
    assert article.text == STORY.replace("March 12", "March 12, 2025")  # the text as given


def test_layout_given_beats_guessed_but_not_the_inputs_own():
    article = ArticleInput(STORY.replace("March 12", "March 12, 2025"))
    from onrecord.layout import guess

    guess(article)
    give(article, published="2025-03-14", title="Given title", site="Reuters")
    assert (article.published, article.title, article.site) == ("2025-03-14", "Given title", "Reuters")
    assert article.origin["published"] == article.origin["title"] == article.origin["site"] == "option"
    own = ArticleInput("text", published="2025-01-01", origin={"published": "metadata"})
    give(own, published="2025-03-14")
    assert own.published == "2025-01-01"


def test_layout_same_rules_for_jsonl_gzip_html_and_feeds():
    body = "MOSCOW - Russian President Vladimir Putin said he would consider the plan."
    line = json.dumps({"text": body, "title": "Putin weighs plan", "authors": ["Rita Gomez", "Ann Lee"]})
    (jsonl,) = read_bytes(gzip.compress(line.encode()), "dump.jsonl.gz", name="dump.jsonl.gz")
    assert jsonl.article.place == "Moscow" and jsonl.article.author == "Rita Gomez, Ann Lee"
    assert jsonl.article.origin["title"] == "metadata"
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Putin weighs plan'
            f'</title><link>http://x.example/1</link><description>{body}</description></item></channel></rss>')
    (entry,) = read_bytes(feed.encode(), "wire.rss", name="wire.rss")
    assert entry.article.place == "Moscow"
    html = (f"<html><head><title>Putin weighs plan</title></head><body><article><h1>Putin weighs plan</h1>"
            f"<p>{body}</p><p>{'The Kremlin gave no date for a decision on the plan. ' * 4}</p></article></body></html>")
    (page,) = read_bytes(html.encode(), "page.html", name="page.html")
    assert page.article.place == "Moscow"


def test_layout_headline_dateline_byline_never_statements_or_speakers():
    from onrecord import analyze

    text = ("Trump sets deadline for talks\n\nBy Jane Doe, Reuters\n\n"
            "MOSCOW - Russian President Vladimir Putin said on Thursday that he would consider the proposal.\n\n"
            "BRUSSELS, March 12 (Reuters) - The European Commission denied that it had cut supplies.\n")
    record = analyze(text, published="2025-03-14")
    spans = [record.layout.headline, record.layout.byline, record.layout.dateline]
    assert all(spans)
    for statement in record.statements:
        for span in spans:
            assert not (span.start <= statement.content.start < span.end)
            if statement.speaker:
                assert not (span.start <= statement.speaker.start < span.end)
    aliases = [alias for speaker in record.speakers for alias in speaker.aliases]
    assert aliases and not any("MOSCOW" in a or "Trump sets" in a or "Jane Doe" in a for a in aliases)
    putin = next(s for s in record.statements if s.speaker and s.speaker.name == "Vladimir Putin")
    assert putin.speaker.text == text[putin.speaker.start:putin.speaker.end]  # offsets into the text as given
    assert record.layout.place == "Moscow"


@pytest.mark.parametrize("line, speaker", [
    ("HARBOURTON, June 7 - Police Chief Ana Costa rejected the council's claim that crime had doubled.",
     "Police Chief Ana Costa"),
    ("HARBOURTON, June 7 - Police Chief Ana Costa on Saturday rejected the council's claim that crime had doubled.",
     "Police Chief Ana Costa"),
    ("OSLO, Feb. 3 - Fisheries Minister Ola Vik said the quotas would be cut next year.", "Fisheries Minister Ola Vik"),
])
def test_layout_a_dateline_the_parser_takes_for_the_subject_leaves_the_speaker_after_it(line, speaker):
    # the parser makes the dateline's place the verb's subject and the person its
    # apposition: the person is the speaker, and the place never is
    from onrecord import analyze

    text = f"Town news\n\n{line}\n"
    record = analyze(text, published="2025-06-09")
    (first, *_) = record.statements
    assert first.speaker is not None and first.speaker.text == speaker
    assert text[first.speaker.start:first.speaker.end] == speaker
    assert record.layout.dateline.end <= first.speaker.start


# -- what is not an article ------------------------------------------------------------------

@pytest.mark.parametrize("data,found", [
    (json.dumps({"note": "gold", "statements": [1, 2]}, indent=2).encode(), "a JSON document over 7 lines"),
    (json.dumps({"text": "Putin said so.", "title": "T"}, indent=2).encode(), "one article as a JSON object"),
    (json.dumps([{"text": "a"}, {"text": "b"}]).encode(), "a JSON array of 2 item(s), not JSONL"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "a PNG image, not an article"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), "a JPEG image, not an article"),
    (b"PK\x03\x04" + bytes(64), "a ZIP archive"),
    (b"%PDF-1.7\n" + b"x" * 64, "a PDF document"),
    (bytes(257) + b"ustar" + bytes(64), "a tar archive"),
])
def test_readers_not_an_article_said_so(data, found):
    (error,) = read_bytes(data, "thing")
    assert not hasattr(error, "article")
    assert found in error.message
    assert "onrecord reads" in error.message  # and what is expected


def test_readers_text_that_opens_like_a_signature_is_still_text():
    (loaded,) = read_bytes(b"BMW said on Tuesday it would cut jobs.", "story.txt")
    assert loaded.article.text.startswith("BMW")


def test_corpus_ingest_of_the_examples_folder_stores_one_article(tmp_path):
    from conftest import EXAMPLES
    from onrecord.corpus import Ingestor, open_corpus

    summary = Ingestor(open_corpus(str(tmp_path / "c.db"), writer=True)).ingest([str(EXAMPLES)])
    assert (summary.new, summary.failed) == (1, 1)
    assert "gold.json" in summary.failures[0][0] and "JSON document" in summary.failures[0][1]


@pytest.mark.parametrize("author, names", [
    ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),  # what a byline "By Jane Doe and John Roe" gives
    ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Ana Ruiz; Li Wei | Olu Ade", ["Ana Ruiz", "Li Wei", "Olu Ade"]),  # page metadata lists
    ("Doe, Jane", ["Doe, Jane"]),  # surname first: one author
    ("Rita Gomez", ["Rita Gomez"]),
    ("Seo Yeon-woo & Chidi Okeke", ["Seo Yeon-woo", "Chidi Okeke"]),
    ("", []), (None, []),
])
def test_layout_split_authors_one_name_each(author, names):
    assert split_authors(author) == names


def test_layout_a_byline_of_two_reaches_the_record_and_the_export_as_two_authors(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import main

    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    record = json.loads(CliRunner().invoke(main, ["extract", str(story), "--json"]).stdout)
    assert record["author"] == "Jane Doe, John Roe" and record["authors"] == ["Jane Doe", "John Roe"]
    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(main, ["ingest", str(story), "--db", db, "-q"]).exit_code == 0
    exported = CliRunner().invoke(main, ["export", "articles", "--db", db]).stdout
    assert json.loads(exported.splitlines()[0])["authors"] == ["Jane Doe", "John Roe"]


# -- page furniture inside the text ------------------------------------------------------------

FURNISHED = (
    "Dam holds as river crests\n\n"
    "By Lena Novak\n\n"
    "Mayor Tom Alvarez said on Monday that the dam was safe.\n"
    "WATCH: Mayor says the dam is safe\n"
    "Engineers inspected the spillway overnight. \"There is no crack,\" chief engineer Ruth Day said.\n"
    "Read more: Senator says flood funds are dead\n"
    "\"We are ready,\" said coach Dan Ortiz at practice. (Photo: Jane Roe/The Herald)\n"
    "Video - Residents say the water rose fast\n"
    "More than 200 residents said they would stay.\n"
)


def test_layout_furniture_lines_are_labels_and_captions():
    from onrecord.layout import furniture

    lines = [FURNISHED[a:b] for a, b in furniture(FURNISHED)]
    assert lines == ["WATCH: Mayor says the dam is safe", "Read more: Senator says flood funds are dead",
                     "\"We are ready,\" said coach Dan Ortiz at practice. (Photo: Jane Roe/The Herald)",
                     "Video - Residents say the water rose fast"]


def test_layout_furniture_says_nothing_and_the_story_still_speaks():
    record = analyze(FURNISHED)
    names = {sp.id: sp.name for sp in record.speakers}
    said = [(s.content.text, names[s.speaker.id]) for s in record.statements]
    assert said == [("the dam was safe", "Tom Alvarez"), ("There is no crack", "Ruth Day"),
                    ("they would stay", "More than 200 residents")]


def test_layout_a_user_label_joins_the_furniture():
    from onrecord.layout import furniture
    from onrecord.lexicon import lexicon_with

    text = "Inside the race: Senator says the seat is safe\nThe senator said the seat was safe.\n"
    assert furniture(text) == []
    assert furniture(text, lexicon_with({"layout": {"furniture_labels": ["inside the race"]}})) == [(0, 46)]


@pytest.mark.parametrize("author, names", [
    ("Dr Ana Ruiz; Special to the Ledger", ["Dr Ana Ruiz"]),
    ("Tom Reyes, Staff Writer", ["Tom Reyes"]),
    ("Marcus Hale and Eliza Tran", ["Marcus Hale", "Eliza Tran"]),
    ("staff", ["staff"]),  # a label alone is kept: nothing better names the author
])
def test_layout_byline_labels_are_no_authors(author, names):
    assert split_authors(author) == names


def test_layout_a_video_blurb_is_furniture():
    from onrecord.layout import furniture

    text = ("Feld said the clinics would stay open.\nWATCH: What parents should know\n"
            "In the video, Feld says symptoms usually start with a fever.\n"
            "Ortiz says Adeyemi is fit to start. (1:12)\nThe clinic opens at eight.\n")
    assert [text[a:b] for a, b in furniture(text)] == [
        "WATCH: What parents should know", "In the video, Feld says symptoms usually start with a fever.",
        "Ortiz says Adeyemi is fit to start. (1:12)"]


def test_layout_is_found_once_the_reader_s_layout_serves_the_analysis(monkeypatch):
    """The reader found the headline and byline; the analysis takes them with the same words,
    and finds them again only when its words differ."""
    from onrecord import analyze_many
    from onrecord.analysis.pipeline import make_extractor
    from onrecord.analysis.rules import layout as layout_step
    from onrecord.lexicon import lexicon_with

    [loaded] = list(read_bytes(STORY.encode(), "story.txt", name="story.txt"))
    article = loaded.article
    assert article.layout is not None and article.layout[1].headline

    def not_again(*args, **kwargs):
        raise AssertionError("the layout was found a second time")

    monkeypatch.setattr(layout_step, "find_layout", not_again)
    [record] = list(analyze_many([article], extractor=make_extractor(engine="fast")))
    assert record.layout.headline.text == "Commission rejects Kremlin claims on gas supplies"
    other = make_extractor(lexicon_with({"layout": {"byline_openers": ["reporting by"]}}), engine="fast")
    with pytest.raises(AssertionError, match="second time"):
        list(analyze_many([article], extractor=other))


def test_layout_a_title_given_later_makes_the_layout_be_found_again():
    [loaded] = list(read_bytes(STORY.encode(), "story.txt", name="story.txt"))
    give(loaded.article, title="Another title")
    assert loaded.article.layout is None


def test_layout_a_press_release_dateline_below_its_deck_makes_the_lines_above_heading():
    text = ("NEWS PROVIDED BY\nMay 13, 2024, 08:00 ET\nCorvane Systems to Acquire Tallis Robotics\n"
            "All-cash transaction expected to close in the third quarter\n"
            "NORTHBRIDGE, May 13, 2024 /PRNewswire/ -- Corvane Systems said it would buy Tallis Robotics.\n")
    layout = find_layout(text)
    assert layout.place == "Northbridge" and layout.agency == "PRNewswire"
    deck = text.index("All-cash")
    assert any(a <= deck < b for a, b in layout.furniture)
    record = analyze(text)
    assert all("third quarter" not in s.content.text for s in record.statements)


def test_layout_a_dateline_without_a_wire_is_only_looked_for_where_the_story_starts():
    text = ("Storm hits the coast\n\nThe storm came ashore at noon.\n"
            "BERLIN, May 5 - The minister said the talks would go on.\n")
    assert find_layout(text).dateline is None

"""A user's lexicon reaches the whole house: the linking of an ingest, a relink, the
confidence shares and the headline read from a page, not only the analysis of one article."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord import analyze
from onrecord.cli import main
from onrecord.lexicon import LexiconError, default_lexicon, in_force, lexicon_with, using
from onrecord.names import clean_name, spelling_key

# Two stories of my own that name one minister with two spellings of his given name, a
# pair the shipped identity words do not know ("Ioannis" is also written "Yannis").
MONDAY = ("ATHENS (Reuters) - Finance Minister Ioannis Petridis said on Monday that the budget "
          "would be balanced by next year. \"We will not borrow again,\" Petridis said.\n")
TUESDAY = ("ATHENS (AP) - Yannis Petridis, the finance minister, said on Tuesday that pensions "
           "would not be cut. Opposition leaders said the plan was unrealistic.\n")
VARIANTS = '[identity]\ngiven_name_variants = [["ioannis", "yannis", "giannis"]]\n'


def _write_stories(folder):
    folder.mkdir()
    (folder / "monday.txt").write_text(MONDAY, encoding="utf-8")
    (folder / "tuesday.txt").write_text(TUESDAY, encoding="utf-8")
    return folder


def _petridis_identities(db: str) -> list[dict]:
    out = CliRunner().invoke(main, ["speakers", "--db", db, "--name", "Petridis", "--format", "json"]).stdout
    return json.loads(out)


@pytest.fixture()
def stories(tmp_path):
    words = tmp_path / "words.toml"
    words.write_text(VARIANTS, encoding="utf-8")
    return _write_stories(tmp_path / "stories"), words


def test_identity_words_of_a_lexicon_file_join_speakers_at_ingest(tmp_path, stories):
    folder, words = stories
    plain, custom = str(tmp_path / "plain.db"), str(tmp_path / "custom.db")
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", plain, "-q"]).exit_code == 0
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", custom, "-q", "--lexicon", str(words)]).exit_code == 0
    assert len(_petridis_identities(plain)) == 2  # two given names: two people, as shipped
    [joined] = _petridis_identities(custom)
    assert joined["statements"] >= 2


def test_relink_with_a_lexicon_file_and_stale_links_name_the_words(tmp_path, stories):
    folder, words = stories
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(folder), "--db", db, "-q"]).exit_code == 0
    assert len(_petridis_identities(db)) == 2
    stale = runner.invoke(main, ["relink", "--where-stale", "--db", db, "--lexicon", str(words)])
    assert stale.exit_code == 0 and "relinking" in stale.stderr
    assert len(_petridis_identities(db)) == 1
    again = runner.invoke(main, ["relink", "--where-stale", "--db", db, "--lexicon", str(words)])
    assert "up to date" in again.stdout
    # the shipped words now find the links stale, and split the two spellings again
    assert "relinking" in runner.invoke(main, ["relink", "--where-stale", "--db", db]).stderr
    assert len(_petridis_identities(db)) == 2


def test_steps_corpus_digest_follows_the_lexicon(stories):
    _, words = stories
    runner = CliRunner()
    shipped = json.loads(runner.invoke(main, ["steps", "--corpus", "--format", "json"]).stdout)["words"]
    custom = json.loads(runner.invoke(main, ["steps", "--corpus", "--format", "json",
                                              "--lexicon", str(words)]).stdout)["words"]
    assert shipped == default_lexicon().digest and custom != shipped


def test_using_puts_a_lexicon_in_force_and_restores_the_shipped_one():
    custom = lexicon_with({"identity": {"given_name_variants": [["ioannis", "yannis"]]}})
    assert spelling_key("Yannis") != spelling_key("Ioannis")
    with using(custom):
        assert in_force() is custom
        assert spelling_key("Yannis") == spelling_key("Ioannis")
        with using(None):  # None keeps what is in force
            assert in_force() is custom
    assert in_force() is default_lexicon()
    assert spelling_key("Yannis") != spelling_key("Ioannis")


def test_not_name_words_of_a_lexicon_cut_names_and_the_cache_follows_the_lexicon():
    """``clean_name`` is remembered per lexicon: a word a user marks as never a name cuts it."""
    assert clean_name("Maria Lopez Reportedly", "person") == "Maria Lopez Reportedly"
    custom = lexicon_with({"identity": {"not_name_words": ["reportedly"]}})
    with using(custom):
        assert clean_name("Maria Lopez Reportedly", "person") == "Maria Lopez"
    assert clean_name("Maria Lopez Reportedly", "person") == "Maria Lopez Reportedly"


def test_confidence_shares_of_a_lexicon_file_reach_the_record():
    text = '"The budget is balanced," Finance Minister Ana Ruiz said on Monday.'
    [shipped] = analyze(text).statements
    assert shipped.confidence == pytest.approx(default_lexicon().confidence.rules["direct"]["named"])
    custom = lexicon_with({"confidence": {"rules": {"direct": {"named": 0.5}}}})
    [statement] = analyze(text, lexicon=custom).statements
    assert statement.confidence == pytest.approx(0.5)


@pytest.mark.parametrize("overlay, message", [
    ({"confidence": {"rules": {"direct": {"named": "high"}}}}, "'confidence.rules.direct.named' must be a float"),
    ({"confidence": {"model": {"bands": [[0.8]]}}}, "list of [lower bound, share] pairs"),
    ({"identity": {"given_name_variants": ["ioannis"]}}, "list of word lists"),
    ({"identity": {"surnames": ["x"]}}, "unknown key 'identity.surnames'"),
])
def test_bad_identity_and_confidence_tables_are_refused_with_the_key(overlay, message):
    with pytest.raises(LexiconError, match=message.replace("[", r"\[").replace("]", r"\]")):
        lexicon_with(overlay)


def test_headline_of_an_ingested_page_is_read_with_the_ingest_lexicon(tmp_path):
    """A byline opener the user adds is used when the text's byline is read at ingest."""
    story = tmp_path / "story.txt"
    story.write_text("Port strike ends after nine days\n\nReporting by Lena Novak\n\n"
                     "The dockers' union said on Friday that its members would return to work.\n",
                     encoding="utf-8")
    words = tmp_path / "words.toml"
    words.write_text('[layout]\nbyline_openers = ["reporting by"]\n', encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(main, ["ingest", str(story), "--db", db, "-q", "--lexicon", str(words)]).exit_code == 0
    out = CliRunner().invoke(main, ["export", "articles", "--format", "jsonl", "--db", db]).stdout
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["author"] == "Lena Novak"

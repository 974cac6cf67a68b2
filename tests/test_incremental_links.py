"""Linking stories one ingest at a time gives what a full relink of the same corpus gives:
the week of harbour stories (``record_corpus``) in date order, in reverse order (an archive
filled backwards), and with a copy that moves a story's first date earlier."""

from datetime import date

import pytest
from record_corpus import SATURDAY, WEEK
from sqlalchemy import select

from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput
from onrecord.record import relink as linking
from onrecord.store.schema import disputes, identities, link_pending, quotation_members, quotations, speakers

STORIES = WEEK + [{"doc_id": "sat", "text": SATURDAY, "published": "2025-06-07", "site": "coastdaily.example"}]


def _ingest_one(engine, story: dict, published: str | None = None) -> object:
    day = published or story["published"]
    item = Loaded(story["doc_id"] + (published or ""),
                  ArticleInput(story["text"], date.fromisoformat(day), site=story["site"]),
                  sha256=story["doc_id"] + (published or ""))
    return Ingestor(engine).ingest_loaded([item]).linked


def _links(engine) -> dict[str, set]:
    with engine.connect() as conn:
        return {
            "identities": set(conn.execute(select(identities.c.id, identities.c.name, identities.c.kind,
                                                  identities.c.named)).all()),
            "speakers": set(conn.execute(select(speakers.c.id, speakers.c.identity_id, speakers.c.surname)).all()),
            "quotations": set(conn.execute(select(quotations.c.id, quotations.c.identity_id, quotations.c.text,
                                                  quotations.c.appearances)).all()),
            "members": set(conn.execute(select(quotation_members.c.statement_id, quotation_members.c.quotation_id,
                                               quotation_members.c.relation, quotation_members.c.changes)).all()),
            "disputes": set(conn.execute(select(disputes.c.claim_id, disputes.c.denial_id, disputes.c.score,
                                                disputes.c.evidence).where(disputes.c.scope == "corpus")).all()),
        }


@pytest.fixture
def always_incremental(monkeypatch):
    """Every ingest after the first links incrementally, however small the corpus."""
    monkeypatch.setattr(linking, "FULL_SHARE", 1e9)


@pytest.mark.parametrize("order", ["by date", "backwards"])
def test_one_story_at_a_time_links_as_a_full_relink_does(db_url, always_incremental, order):
    engine = open_corpus(db_url)
    stories = STORIES if order == "by date" else STORIES[::-1]
    summaries = [_ingest_one(engine, story) for story in stories]
    linked = [s for s in summaries[1:] if s is not None]  # (a wire copy stores nothing new)
    assert len(linked) == len(STORIES) - 2 and all(s.incremental for s in linked)
    incremental = _links(engine)
    assert incremental["disputes"] and incremental["quotations"]  # the week has both to get right
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


def test_a_copy_dated_earlier_relinks_its_story(db_url, always_incremental):
    engine = open_corpus(db_url)
    for story in STORIES:
        _ingest_one(engine, story)
    # the Saturday story turns out to have been printed first on Tuesday by a wire service
    summary = _ingest_one(engine, STORIES[-1], published="2025-06-03")
    assert summary is not None and summary.incremental
    incremental = _links(engine)
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


def test_a_run_stopped_before_linking_is_linked_by_the_next(db_url, always_incremental, monkeypatch):
    engine = open_corpus(db_url)
    for story in STORIES[:3]:
        _ingest_one(engine, story)
    monkeypatch.setattr(Ingestor, "link_across", lambda self: None)  # stopped after storing
    _ingest_one(engine, STORIES[3])
    with engine.connect() as conn:
        assert conn.execute(select(link_pending.c.article_id)).all()
    monkeypatch.undo()
    monkeypatch.setattr(linking, "FULL_SHARE", 1e9)
    summary = _ingest_one(engine, STORIES[4])
    assert summary.incremental
    with engine.connect() as conn:
        assert not conn.execute(select(link_pending.c.article_id)).all()
    incremental = _links(engine)
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


def test_stale_links_are_relinked_whole(tmp_path, always_incremental, monkeypatch):
    engine = open_corpus(str(tmp_path / "c.db"))
    _ingest_one(engine, STORIES[0])
    monkeypatch.setattr(linking, "linker_state", lambda ids=None: {"linkers": ["identities.v0"], "words": "x"})
    assert not _ingest_one(engine, STORIES[1]).incremental
    engine.dispose()


def test_a_claim_stored_after_its_denial_is_found_by_it(db_url, always_incremental):
    """The denials come first (dated); the claims they deny arrive later, undated (a
    saved page without a date): the stored denials find them."""
    engine = open_corpus(db_url)
    for story in STORIES[::-1]:
        if story["doc_id"] in ("sun", "mon", "mon-wire", "tue"):
            continue
        _ingest_one(engine, story)
    before = _links(engine)["disputes"]
    for story in STORIES[:4]:
        item = Loaded(story["doc_id"], ArticleInput(story["text"], None, site=story["site"]), sha256=story["doc_id"])
        Ingestor(engine).ingest_loaded([item])
    incremental = _links(engine)
    assert incremental["disputes"] != before  # a denial now finds the mayor's undated claim
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


DENIAL = """Harbour authority denies quay sale

PORTHAVEN, June 10 - Harbour authority spokesman Tom Reyes denied on Tuesday that the authority had sold the northern quay to a shipping company last winter.
"""

CLAIM = """Councillor says quay was sold

Councillor Jane Pike said the harbour authority had secretly sold the northern quay to a foreign shipping company.
"""


def test_an_undated_claim_stored_later_is_found_by_a_dated_denial(db_url, always_incremental):
    engine = open_corpus(db_url)
    _ingest_one(engine, STORIES[0])
    Ingestor(engine).ingest_loaded([Loaded("denial", ArticleInput(DENIAL, date(2025, 6, 10)), sha256="denial")])
    summary = Ingestor(engine).ingest_loaded([Loaded("claim", ArticleInput(CLAIM, None), sha256="claim")]).linked
    assert summary.incremental
    incremental = _links(engine)
    assert len(incremental["disputes"]) == 1
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


def test_a_story_in_a_denials_window_reweighs_its_link(db_url, always_incremental):
    """A word's weight is its rarity in the denial's window: a later story printed in that
    window, sharing one word with the denial and denying nothing, changes the link's score
    as a full relink would."""
    engine = open_corpus(db_url)
    _ingest_one(engine, STORIES[0])
    Ingestor(engine).ingest_loaded([Loaded("claim", ArticleInput(CLAIM, date(2025, 6, 9)), sha256="claim")])
    Ingestor(engine).ingest_loaded([Loaded("denial", ArticleInput(DENIAL, date(2025, 6, 10)), sha256="denial")])
    before = _links(engine)["disputes"]
    crowded = "PORTHAVEN, June 10 - Fisherman Ali Demir said the quay was crowded with tourists.\n"
    Ingestor(engine).ingest_loaded([Loaded("crowded", ArticleInput(crowded, date(2025, 6, 10)), sha256="crowded")])
    incremental = _links(engine)
    assert len(before) == 1 and incremental["disputes"] != before
    linking.relink(engine)
    assert _links(engine) == incremental
    engine.dispose()


def test_reanalysis_keeps_the_links_across_articles(tmp_path):
    """Reanalysis gives statements new ids: their quotations and disputes are made again."""
    from onrecord.corpus import reanalyze

    engine = open_corpus(str(tmp_path / "c.db"))
    for story in STORIES:
        _ingest_one(engine, story)
    before = _links(engine)
    assert reanalyze(engine).reanalysed == len(STORIES) - 1
    after = _links(engine)
    assert len(after["quotations"]) == len(before["quotations"]) > 0
    assert len(after["disputes"]) == len(before["disputes"]) > 0
    engine.dispose()

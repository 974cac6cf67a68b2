"""The corpus: ingest, duplicates collapsed but never lost, speakers across articles, reruns."""

import gzip
import json

import pytest
from corpus_data import FLOOD, REPAIRS, VOLUNTEERS, cut_last_paragraph, edited, retitled
from sqlalchemy import select

from onrecord.corpus import Ingestor, open_corpus
from onrecord.store.schema import appearances, articles, documents, speaker_aliases, speakers, statements
from onrecord.store.writer import counts


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "flood.txt").write_text(FLOOD, encoding="utf-8")
    (folder / "repairs.txt").write_text(REPAIRS, encoding="utf-8")
    (folder / "volunteers.txt").write_text(VOLUNTEERS, encoding="utf-8")
    copies = folder / "copies"
    copies.mkdir()
    (copies / "flood-exact.txt").write_text(FLOOD.replace("\n", "\r\n"), encoding="utf-8")
    (copies / "flood-retitled.txt").write_text(retitled(FLOOD), encoding="utf-8")
    (copies / "repairs-cut.txt").write_text(cut_last_paragraph(REPAIRS), encoding="utf-8")
    (copies / "volunteers-edited.txt").write_text(edited(VOLUNTEERS), encoding="utf-8")
    return folder


def outcomes(engine):
    with engine.connect() as conn:
        return {row.source.rsplit("/", 1)[-1]: (row.outcome, row.article_id)
                for row in conn.execute(select(documents))}


def test_corpus_planted_duplicates_collapse_to_their_stories(db_url, corpus_dir):
    engine = open_corpus(db_url)
    summary = Ingestor(engine).ingest([str(corpus_dir)])
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (7, 3, 4, 0)
    got = outcomes(engine)
    assert got["flood-exact.txt"] == ("duplicate", got["flood.txt"][1])
    assert got["flood-retitled.txt"] == ("duplicate", got["flood.txt"][1])
    assert got["repairs-cut.txt"] == ("duplicate", got["repairs.txt"][1])
    assert got["volunteers-edited.txt"] == ("duplicate", got["volunteers.txt"][1])
    with engine.connect() as conn:
        assert counts(conn)["articles"] == 3 and counts(conn)["appearances"] == 7
        per_article = dict(conn.execute(select(appearances.c.article_id, appearances.c.id)
                                        .order_by(appearances.c.id)).all())
        assert len(per_article) == 3
        exact = conn.execute(select(appearances.c.exact).join(documents, documents.c.id == appearances.c.document_id)
                             .where(documents.c.source.like("%flood-exact.txt"))).scalar()
        assert exact is True
        # statements are stored once per story, not once per copy
        stored = conn.execute(select(statements.c.article_id).distinct()).scalars().all()
        assert sorted(stored) == sorted({v[1] for v in got.values()})


def test_corpus_rerun_adds_nothing(db_url, corpus_dir):
    engine = open_corpus(db_url)
    Ingestor(engine).ingest([str(corpus_dir)])
    with engine.connect() as conn:
        before = counts(conn)
    summary = Ingestor(engine).ingest([str(corpus_dir)])
    assert (summary.new, summary.duplicate, summary.unchanged, summary.failed) == (0, 0, 7, 0)
    with engine.connect() as conn:
        assert counts(conn) == before


def test_corpus_changed_input_is_ingested_again(db_url, corpus_dir):
    engine = open_corpus(db_url)
    Ingestor(engine).ingest([str(corpus_dir / "flood.txt")])
    (corpus_dir / "flood.txt").write_text(REPAIRS, encoding="utf-8")
    summary = Ingestor(engine).ingest([str(corpus_dir / "flood.txt")])
    assert summary.new == 1


def test_corpus_first_appearance_is_the_earliest_publication(db_url, tmp_path):
    lines = [{"text": FLOOD, "published": "2025-03-12", "doc_id": "late", "site": "late.example"},
             {"text": retitled(FLOOD), "published": "2025-03-11", "doc_id": "early", "site": "early.example"}]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    engine = open_corpus(db_url)
    Ingestor(engine).ingest([str(path)])
    with engine.connect() as conn:
        row = conn.execute(select(articles.c.published, articles.c.first_published)).one()
        assert (row.published, row.first_published) == ("2025-03-12", "2025-03-11")
        sites = conn.execute(select(appearances.c.site).order_by(appearances.c.published)).scalars().all()
        assert sites == ["early.example", "late.example"]


def test_corpus_speakers_are_one_across_articles_by_full_name(db_url, tmp_path):
    texts = [
        "President Donald J. Trump said on Monday that tariffs would rise.",
        "Donald Trump told reporters the tariffs were working. Trump added that talks continued.",
        "Smith said the factory would close.",
        "Smith said the harvest was late.",
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"text": t}) for t in texts), encoding="utf-8")
    engine = open_corpus(db_url)
    Ingestor(engine).ingest([str(path)])
    with engine.connect() as conn:
        trump = conn.execute(select(speakers.c.id).where(speakers.c.name.like("%Trump%"))).scalars().all()
        assert len(trump) == 1
        by_trump = conn.execute(select(statements.c.article_id).where(statements.c.speaker_id == trump[0])
                                .distinct()).scalars().all()
        assert len(by_trump) == 2
        aliases = set(conn.execute(select(speaker_aliases.c.alias).where(speaker_aliases.c.speaker_id == trump[0]))
                      .scalars())
        assert {"Donald Trump", "Trump"} <= aliases
        smiths = conn.execute(select(speakers.c.id).where(speakers.c.name == "Smith")).scalars().all()
        assert len(smiths) == 2  # two stories, surname only: not merged


def test_corpus_reads_html_feeds_and_gzip(db_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Flood | Daily Post</title>"
        "<meta property='og:site_name' content='Daily Post'>"
        "<meta property='article:published_time' content='2025-03-11T08:00:00Z'>"
        "<link rel='canonical' href='https://dailypost.example/flood'></head><body><nav>Menu</nav><article>"
        + "".join(f"<p>{line}</p>" for line in FLOOD.splitlines()[2:] if line) + "</article></body></html>",
        encoding="utf-8")
    items = "".join(
        f"<item><title>Story {n}</title><link>https://feed.example/{n}</link>"
        f"<pubDate>Wed, 12 Mar 2025 10:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>"
        for n, body in ((1, REPAIRS.replace("\n", "<br/>")), (2, VOLUNTEERS.replace("\n", "<br/>"))))
    (folder / "feed.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed Times</title>"
                                     f"{items}</channel></rss>", encoding="utf-8")
    (folder / "story.txt.gz").write_bytes(gzip.compress(
        "The harbour master said the port would reopen on Friday after the storm.".encode()))
    engine = open_corpus(db_url)
    summary = Ingestor(engine).ingest([str(folder)])
    assert (summary.new, summary.failed) == (4, 0)
    with engine.connect() as conn:
        rows = {r.url or "gz": r for r in conn.execute(select(articles))}
        assert rows["https://dailypost.example/flood"].site == "Daily Post"
        assert rows["https://dailypost.example/flood"].published == "2025-03-11"
        assert rows["https://feed.example/1"].title == "Story 1" and rows["https://feed.example/2"].site == "Feed Times"
        assert "harbour master" in rows["gz"].text


def test_corpus_bad_inputs_are_recorded_and_the_rest_goes_on(db_url, tmp_path, monkeypatch):
    from onrecord.ingest import readers

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(FLOOD, encoding="utf-8")
    (folder / "broken.html").write_text("<html><body><div><nav>only a menu</nav>", encoding="utf-8")
    (folder / "feed.rss").write_text("this is not xml at all", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Le maire a dit que le café resterait ouvert.".encode("latin-1"))
    (folder / "lines.jsonl").write_text(json.dumps({"title": "no text here"}) + "\n" + json.dumps({"text": REPAIRS}),
                                        encoding="utf-8")
    (folder / "huge.txt").write_text("word " * 3000, encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10_000)
    engine = open_corpus(db_url)
    summary = Ingestor(engine).ingest([str(folder), str(tmp_path / "missing")])
    reasons = {source.rsplit("/", 1)[-1]: reason for source, reason in summary.failures}
    assert set(reasons) == {"broken.html", "feed.rss", "lines.jsonl:1", "huge.txt", "missing"}
    assert "no article text" in reasons["broken.html"]
    assert "no such file or directory" in reasons["missing"]
    assert summary.new == 3  # good.txt, latin1.txt, lines.jsonl:2
    got = outcomes(engine)
    assert got["huge.txt"][0] == "failed" and got["latin1.txt"][0] == "new"

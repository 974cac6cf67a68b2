"""Records say what made them; reanalysis brings a corpus up to date and keeps its ids."""

from __future__ import annotations

from click.testing import CliRunner
from corpus_data import FLOOD, REPAIRS, retitled
from sqlalchemy import select

from onrecord.analysis import engine as engine_module
from onrecord.analysis.engine import Extractor
from onrecord.analysis.settings import AnalysisSettings
from onrecord.cli import main
from onrecord.corpus import Ingestor, open_corpus, reanalyze
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput, ArticleRecord
from onrecord.store import writer
from onrecord.store.schema import appearances, articles, speakers, statements


def _loaded(text: str, source: str, published: str) -> Loaded:
    return Loaded(source, ArticleInput(text, published, doc_id=source), sha256=f"sha-{source}")


def _snapshot(engine):
    with engine.connect() as conn:
        return {
            "articles": conn.execute(select(articles.c.id, articles.c.extractor).order_by(articles.c.id)).all(),
            "appearances": conn.execute(select(appearances.c.id, appearances.c.article_id)).all(),
            "speakers": dict(conn.execute(select(speakers.c.key, speakers.c.id)).all()),
            "statements": conn.execute(select(statements.c.article_id, statements.c.local_id, statements.c.speaker_id,
                                              statements.c.content).order_by(statements.c.id)).all(),
        }


def _corpus(db_url, extractor):
    engine = open_corpus(db_url, writer=True)
    Ingestor(engine, extractor=extractor).ingest_loaded([
        _loaded(FLOOD, "a", "2025-03-11"), _loaded(retitled(FLOOD), "b", "2025-03-12"),
        _loaded(REPAIRS, "c", "2025-03-12")])
    return engine


def test_reanalyze_upgrades_stale_stories_and_keeps_ids(db_url, monkeypatch):
    monkeypatch.setattr(engine_module, "__version__", "0.0.9")  # a corpus made by an older onrecord
    older = Extractor()
    monkeypatch.undo()
    assert older.info.version == "0.0.9" and older.info.id != Extractor().info.id
    engine = _corpus(db_url, older)
    before = _snapshot(engine)
    assert {made_by for _, made_by in before["articles"]} == {older.info.id}
    current = Extractor()
    summary = reanalyze(engine, current, where_stale=True)
    assert (summary.checked, summary.reanalysed, summary.current, summary.failed) == (2, 2, 0, 0)
    after = _snapshot(engine)
    assert [a for a, _ in after["articles"]] == [a for a, _ in before["articles"]]
    assert {made_by for _, made_by in after["articles"]} == {current.info.id}
    assert after["appearances"] == before["appearances"]
    assert all(after["speakers"][key] == sid for key, sid in before["speakers"].items())
    assert after["statements"] == before["statements"]  # the same words, made again, same speaker ids
    with engine.connect() as conn:
        record = ArticleRecord.model_validate_json(conn.execute(select(articles.c.record)).scalars().first())
    assert record.extractor.id == current.info.id and record.doc_id == "a"
    again = reanalyze(engine, current, where_stale=True)
    assert (again.reanalysed, again.current) == (0, 2)


def test_reanalyze_a_failed_story_stays_whole(db_url, monkeypatch):
    engine = _corpus(db_url, Extractor(settings=AnalysisSettings(continuation_window=2999)))
    before = _snapshot(engine)
    calls = []

    def broken(conn, article_id, record, speaker_ids):
        calls.append(article_id)
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_store_statements", broken)
    try:
        reanalyze(engine, Extractor(), where_stale=True)
    except RuntimeError:
        pass
    assert calls and _snapshot(engine) == before  # the transaction was rolled back: wholly old


def test_ingest_notes_a_stale_story_and_reanalyze_command(tmp_path):
    db = str(tmp_path / "news.db")
    story = tmp_path / "flood.txt"
    story.write_text(FLOOD, encoding="utf-8")
    engine = open_corpus(db, writer=True)
    Ingestor(engine, extractor=Extractor(settings=AnalysisSettings(nearby_window=599))).ingest([str(story)])
    runner = CliRunner()
    rerun = runner.invoke(main, ["ingest", str(story), "--db", db])
    assert rerun.exit_code == 0
    assert "stored record was made by another extractor" in rerun.stderr
    assert f"onrecord reanalyze --where-stale --db {db}" in rerun.stderr
    result = runner.invoke(main, ["reanalyze", "--where-stale", "--db", db])
    assert result.exit_code == 0
    assert result.stdout.endswith("checked 1, reanalysed 1, current 0, failed 0\n")
    quiet = runner.invoke(main, ["ingest", str(story), "--db", db])
    assert "another extractor" not in quiet.stderr

"""Batch analysis on Dask: the same corpus as a sequential ingest, reruns, failures, pickling."""

import pickle

import cloudpickle
import pyarrow.parquet as pq
import pytest
from corpus_data import FLOOD, REPAIRS, VOLUNTEERS, cut_last_paragraph, edited, retitled
from sqlalchemy import select
from test_crash_resume import story

from onrecord import ArticleInput, analyze
from onrecord.batch import Cluster, analyze_shard, run_batch
from onrecord.corpus import Ingestor, open_corpus
from onrecord.store.schema import appearances, articles, documents, speakers, statements

pytestmark = pytest.mark.slow


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(24):
        (folder / f"s{n:02d}.txt").write_text(story(n), encoding="utf-8")
    for name, text in (("flood", FLOOD), ("repairs", REPAIRS), ("volunteers", VOLUNTEERS)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    # copies land in other shards than their originals
    (folder / "z-flood-retitled.txt").write_text(retitled(FLOOD), encoding="utf-8")
    (folder / "z-repairs-cut.txt").write_text(cut_last_paragraph(REPAIRS), encoding="utf-8")
    (folder / "z-volunteers-edited.txt").write_text(edited(VOLUNTEERS), encoding="utf-8")
    (folder / "z-broken.jsonl").write_text("not json\n", encoding="utf-8")
    return folder


def snapshot(db: str) -> dict:
    """What a corpus holds, independent of row ids and order."""
    engine = open_corpus(db)
    with engine.connect() as conn:
        fp = dict(conn.execute(select(articles.c.id, articles.c.fingerprint)).all())
        said = sorted((fp[r.article_id], r.local_id, r.content, r.type, r.kind, r.key)
                      for r in conn.execute(select(statements, speakers.c.key).outerjoin(
                          speakers, speakers.c.id == statements.c.speaker_id)))
        seen = sorted((r.source.rsplit("/", 1)[-1], r.outcome, fp.get(r.article_id)) for r in conn.execute(select(documents)))
        shown = sorted((fp[r.article_id], r.exact) for r in conn.execute(select(appearances)))
    engine.dispose()
    return {"statements": said, "documents": seen, "appearances": shown}


def test_batch_equals_sequential_ingest_and_reruns_skip(inputs, tmp_path, db_url):
    sequential = str(tmp_path / "sequential.db")
    Ingestor(open_corpus(sequential, writer=True)).ingest([str(inputs)])
    with Cluster(workers=2) as cluster:
        summary = run_batch([str(inputs)], cluster, db=db_url, shard_size=4)
        assert (summary.read, summary.new, summary.duplicate, summary.failed) == (31, 27, 3, 1)
        assert snapshot(db_url) == snapshot(sequential)
        again = run_batch([str(inputs)], cluster, db=db_url, shard_size=4)
        assert (again.new, again.duplicate, again.unchanged) == (0, 0, 30)


def test_batch_writes_parquet_shards(inputs, tmp_path):
    out = tmp_path / "out"
    with Cluster(workers=1) as cluster:
        summary = run_batch([str(inputs)], cluster, out=out, shard_size=10)
    assert summary.new == 27
    tables = {kind: pq.ParquetDataset(sorted((out / kind).glob("shard-*.parquet"))).read()
              for kind in ("articles", "statements")}
    assert tables["articles"].num_rows == 27
    assert tables["statements"].num_rows == len(snapshot(str(out / "corpus.db"))["statements"])


def test_batch_failed_shard_is_retried_then_reported_and_rerun_finishes(inputs, tmp_path, monkeypatch):
    from dask.distributed import Client, LocalCluster

    import onrecord.batch as batch_module

    def broken(items):
        raise RuntimeError("worker lost")

    class InProcess(Cluster):
        def __enter__(self):
            self._cluster = LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self._cluster)
            return self

    db = str(tmp_path / "c.db")
    with InProcess(workers=1) as cluster:
        monkeypatch.setattr(batch_module, "analyze_shard", broken)
        summary = run_batch([str(inputs)], cluster, db=db, shard_size=100)
        assert summary.new == 0 and summary.failed == 31  # every story of the shard, its copies, the bad line
        reasons = [reason for _, reason in summary.failures]
        assert sum("after 2 retries: worker lost" in r for r in reasons) == 27
        assert sum("original could not be analysed" in r for r in reasons) == 3
        monkeypatch.setattr(batch_module, "analyze_shard", analyze_shard)
        again = run_batch([str(inputs)], cluster, db=db, shard_size=100)
        assert (again.new, again.duplicate, again.failed) == (27, 3, 1)


def test_batch_what_crosses_to_workers_pickles():
    items = [ArticleInput("The mayor said the bridge was safe.", "2025-03-15", doc_id="a", title="t", url="u")]
    record = analyze(items[0].text, published="2025-03-15")
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        assert loads(dumps(items)) == items
        assert loads(dumps(record)) == record
        assert loads(dumps(analyze_shard)) is analyze_shard
    assert analyze_shard(items)[0] == record.model_copy(update={"doc_id": "a", "title": "t"})

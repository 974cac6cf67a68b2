"""Batch analysis on a Dask cluster: the parsing runs on the workers, the rest here.

The driver reads the inputs and settles everything that needs no parsing, exactly as
``onrecord ingest`` does: inputs already held are skipped, exact and near copies of stored
stories (or of stories still out on the workers) become appearances. New stories go to the
workers in shards; each worker loads the NLP model once and analyses shard after shard.
Results come back to the driver, which stores them, one transaction per story, through the
same code as ``ingest``, so a batch run leaves the same corpus as a sequential one and
duplicates collapse however the stories were spread over workers. A shard whose task fails
is retried, then its stories are recorded as failed, with the reason. Only a bounded
number of shards is out at a time, so memory stays flat however long the input.

``--out DIR`` keeps the corpus state in ``DIR/corpus.db`` (so a rerun skips what is done)
and writes every finished shard's statements and articles as Parquet files under ``DIR``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .corpus import Ingestor, Story, Summary, open_corpus
from .ingest.readers import MAX_CHARS
from .model import ArticleInput, ArticleRecord
from .neardup import DEFAULT_THRESHOLD
from .analysis.limits import AnalysisLimits
from .analysis.pipeline import analyze_stream, make_extractor

#: Stories per task: large enough to use the parser's batch path, small enough to retry.
SHARD_SIZE = 16
#: Shards out on the cluster at once, per worker.
IN_FLIGHT_PER_WORKER = 3
RETRIES = 2


def analyze_shard(items: list[ArticleInput], limits: AnalysisLimits | None = None,
                  engine: str | None = None) -> list[ArticleRecord | str]:
    """The task run on a worker: records for a shard of articles (an error text for an
    article whose analysis failed). The models (spaCy, and the tagger for the accurate
    engine) are loaded once per worker process."""
    return [result if isinstance(result, ArticleRecord) else f"{type(result).__name__}: {result}"
            for _, result in analyze_stream(items, extractor=make_extractor(engine=engine), limits=limits)]


@dataclass
class Cluster:
    """A Dask client, on a running scheduler or on a local cluster started for the run."""

    scheduler: str | None = None
    workers: int = 2

    def __enter__(self):
        import dask
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            self._cluster = None
            self.client = Client(self.scheduler)
        else:
            # Dask's default makes workers trim their heap after every 64 kB freed, which costs
            # the parser's many small allocations some 10%: give the heap room instead
            dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 128 * 1024 * 1024})
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            self.client = Client(self._cluster)
        return self

    @property
    def size(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def run_batch(paths: Iterable[str], cluster: Cluster, *, db: str | None = None, out: str | Path | None = None,
              threshold: float = DEFAULT_THRESHOLD, shard_size: int = SHARD_SIZE, encoding: str | None = None,
              max_chars: int = MAX_CHARS, progress: Callable[[Summary], None] | None = None,
              limits: AnalysisLimits | None = None, engine_name: str | None = None,
              given: dict | None = None, on_file: Callable[[str], None] | None = None) -> Summary:
    """Ingest ``paths`` with the parsing spread over ``cluster``'s workers (``engine_name``: fast or accurate;
    ``given``: ``published``, ``site``, ``title`` for inputs that lack them)."""
    from dask.distributed import wait

    sink = ParquetSink(Path(out)) if out else None
    engine = open_corpus(str(sink.state) if sink else db, writer=True)
    ingestor = Ingestor(engine, threshold, progress=progress, extractor=make_extractor(engine=engine_name),
                        limits=limits, given=given, on_file=on_file)
    limit = IN_FLIGHT_PER_WORKER * cluster.size
    in_flight: dict = {}  # future -> its stories

    def collect(done) -> None:
        for future in done:
            stories = in_flight.pop(future)
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - the shard failed after its retries
                results = [RuntimeError(f"shard failed on the cluster after {RETRIES} retries: {exc}")] * len(stories)
            stored = []
            for story, result in zip(stories, results):
                ingestor.finish(story, RuntimeError(result) if isinstance(result, str) else result)
                if isinstance(result, ArticleRecord):
                    stored.append(story)
            if sink and stored:
                sink.write(engine, stored)

    def submit(stories: list[Story]) -> None:
        # only what was given travels with the task (a test's stand-in takes the shard alone)
        extra = {k: v for k, v in (("limits", limits), ("engine", engine_name)) if v is not None}
        future = cluster.client.submit(analyze_shard, [s.loaded.article for s in stories], retries=RETRIES,
                                       pure=False, **extra)
        in_flight[future] = stories
        if len(in_flight) >= limit:
            collect(wait(list(in_flight), return_when="FIRST_COMPLETED").done)

    shard: list[Story] = []
    for story in ingestor.stories(ingestor.read(paths, encoding, max_chars)):
        shard.append(story)
        if len(shard) >= shard_size:
            submit(shard)
            shard = []
    if shard:
        submit(shard)
    while in_flight:
        collect(wait(list(in_flight), return_when="FIRST_COMPLETED").done)
    ingestor.link_across()
    engine.dispose()
    return ingestor.summary


class ParquetSink:
    """Parquet files of the stories each shard stored, for ``batch --out DIR``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.state = folder / "corpus.db"

    def write(self, engine, stories: list[Story]) -> None:
        """Write the statements and articles of freshly stored stories, atomically."""
        import pyarrow as pa
        import pyarrow.parquet as pq
        from .neardup import fingerprint
        from .store.queries import StatementFilter, articles_by_fingerprint, find_statements

        prints = [fingerprint(s.loaded.article.text) for s in stories]
        with engine.connect() as conn:
            rows = articles_by_fingerprint(conn, prints)
            ids = sorted(r["id"] for r in rows)
            statements = [row for article_id in ids
                          for row in find_statements(conn, StatementFilter(article_id=article_id), limit=10_000,
                                                     order="time")]
        if not ids:
            return
        name = f"shard-{ids[0]:09d}-{ids[-1]:09d}.parquet"
        for kind, data in (("articles", rows), ("statements", statements)):
            target = self.folder / kind / name
            target.parent.mkdir(exist_ok=True)
            partial = target.with_suffix(".partial")
            pq.write_table(pa.Table.from_pylist(data) if data else pa.table({}), partial)
            partial.replace(target)

"""``Watch``: follow sources, ingest what is new as ``ingest`` does, alert on what was said.

One round: the due sources are polled (conditionally, politely, concurrently); what they
list that is new (or that they say changed) becomes a pending item; each pending item's
page is fetched once and ingested through the ``Ingestor`` (duplicates collapsed, one
transaction a story), the corpus is linked across stories, the new statements are checked
against the rules, and the alerts go to the sinks. Every step's outcome is written to the
corpus before the next begins, so a watch stopped at any point (or killed) resumes where it
was: nothing is fetched twice once ingested, no alert is made twice, none is lost.
"""

from __future__ import annotations

from typing import Any

import asyncio
import signal
import threading
from datetime import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from ..analysis.engine import Extractor
from ..analysis.limits import AnalysisLimits
from ..analysis.pipeline import analyze_stream, default_extractor
from ..corpus.ingest import Ingestor, Story
from ..ingest.readers import InputError, Loaded, read_bytes, sha256
from ..lexicon import using
from ..model import ArticleInput
from ..store import factcheck_queries, watch_queries as wq
from ..store.writer import document_article
from .fetch import FetchSettings, Fetched, fetch_all
from .listing import list_items
from .rules import RuleSet
from .sinks import Sink, SinkError
from .sources import Source
from .state import later, parse_stamp, stamp, utcnow


@dataclass(frozen=True)
class WatchSettings:
    """How the watch paces itself, besides fetching's own limits (``FetchSettings``)."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    max_attempts: int = 3  # fetches of one item's page (each with its retries) before it is given up
    batch: int = 50  # items fetched, then ingested, at a time
    max_backoff: float = 6 * 3600.0  # the longest pause a failing source gets
    quiet_backoff: int = 4  # a source that keeps finding nothing is polled up to this many times slower
    idle_max: float = 60.0  # the longest sleep between two looks at the sources' schedule


@dataclass
class RoundReport:
    """What one round did."""

    polled: int = 0
    not_modified: int = 0
    source_errors: int = 0
    new_items: int = 0
    edited_items: int = 0
    fetched: int = 0
    item_errors: int = 0
    new: int = 0
    duplicate: int = 0
    unchanged: int = 0
    failed: int = 0
    alerts: int = 0
    delivered: int = 0
    sink_failures: int = 0
    stopped: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """One line for people."""
        return (f"polled {self.polled} (not modified {self.not_modified}, errors {self.source_errors}), "
                f"items new {self.new_items} edited {self.edited_items}, pages fetched {self.fetched} "
                f"(errors {self.item_errors}), stories new {self.new} duplicate {self.duplicate} "
                f"unchanged {self.unchanged} failed {self.failed}, alerts {self.alerts} "
                f"(sink failures {self.sink_failures})" + ("; stopped" if self.stopped else ""))


class Watch:
    """A watch over one corpus: its sources, rules and sinks."""

    def __init__(self, engine: Engine, sources: list[Source], rules: RuleSet | None = None,
                 sinks: list[Sink] | None = None, *, extractor: Extractor | None = None,
                 limits: AnalysisLimits | None = None, settings: WatchSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.engine = engine
        self.sources = sources
        self.rules = rules or RuleSet()
        self.sinks = sinks or []
        self.extractor = extractor or default_extractor()
        self.limits = limits
        self.settings = settings or WatchSettings()
        self.transport = transport  # tests and the benchmark may hand one in
        self.requests = 0  # HTTP requests sent, robots.txt included

    # -- the whole ---------------------------------------------------------------------------

    def sync(self) -> None:
        """Make the corpus's sources those given (new ones added, gone ones inactive)."""
        with self.engine.begin() as conn:
            wq.sync_sources(conn, [s.as_row() for s in self.sources])

    def run_once(self, stop: threading.Event | None = None, *, due_only: bool = False) -> RoundReport:
        """One round over every source (``due_only``: those whose next poll is due)."""
        stop = stop or threading.Event()
        report = RoundReport()
        self.sync()
        prefetched = self._poll(report, due_only)
        if not stop.is_set():
            self._ingest_pending(report, stop, prefetched)
        self._link()
        self._alert(report)
        self._deliver(report, stop)
        report.stopped = stop.is_set()
        return report

    def run(self, stop: threading.Event, on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Rounds until ``stop`` is set: each polls the due sources, then sleeps until the next is due."""
        first = True
        while not stop.is_set():
            report = self.run_once(stop, due_only=not first)
            first = False
            if on_round:
                on_round(report)
            stop.wait(self.seconds_to_next())

    def seconds_to_next(self) -> float:
        """How long until a source is due (at least a second, at most ``idle_max``)."""
        now = utcnow()
        with self.engine.connect() as conn:
            due = [parse_stamp(r["next_poll_at"]) for r in wq.source_rows(conn)]
        waits = [(d - now).total_seconds() for d in due if d is not None] or [0.0]
        return max(1.0, min(min(waits), self.settings.idle_max))

    # -- polling sources ---------------------------------------------------------------------

    def _poll(self, report: RoundReport, due_only: bool) -> dict[str, Fetched]:
        """Poll the sources; record what each said. Returns the bodies of page sources (their item)."""
        now = utcnow()
        with self.engine.connect() as conn:
            rows = [r for r in wq.source_rows(conn)
                    if not due_only or (parse_stamp(r["next_poll_at"]) or now) <= now]
        answers = self._fetch([(r["url"], r["etag"], r["last_modified"]) for r in rows])
        prefetched: dict[str, Fetched] = {}
        with self.engine.begin() as conn:  # the round's polls, written together
            for row, answer in zip(rows, answers):
                report.polled += 1
                if self._record_poll(conn, row, answer, report):
                    prefetched[row["url"]] = answer
        return prefetched

    def _record_poll(self, conn: Connection, row: dict[str, Any], answer: Fetched, report: RoundReport) -> bool:
        """Write one poll's outcome; True when the source is a page whose body is its item."""
        now = utcnow()
        values: dict[str, object] = {"last_polled_at": stamp(now), "polls": row["polls"] + 1}
        body_sha = sha256(answer.body) if answer.ok else None
        if answer.ok and body_sha != row["body_sha"]:
            listing = list_items(answer.body, answer.final_url or row["url"], row["kind"])
            if listing.error is None:
                new, edited = wq.add_items(conn, row["id"], listing.items)
                report.new_items += new
                report.edited_items += edited
                quiet = 0 if new or edited else row["unchanged"] + 1
                values.update(etag=answer.etag, last_modified=answer.last_modified, body_sha=body_sha,
                              items_seen=row["items_seen"] + new, unchanged=quiet)
                self._succeeded(values, row, now, quiet)
                wq.update_source(conn, row["id"], **values)
                return listing.kind == "page"
            answer = Fetched(answer.url, answer.status, error=listing.error)
        if answer.ok or answer.not_modified:  # nothing new: the same body, or a 304
            report.not_modified += 1
            quiet = row["unchanged"] + 1
            values["unchanged"] = quiet
            if answer.etag or answer.last_modified:
                values.update(etag=answer.etag or row["etag"], last_modified=answer.last_modified or
                              row["last_modified"])
            self._succeeded(values, row, now, quiet)
        else:
            report.source_errors += 1
            report.errors.append((row["url"], answer.error or "failed"))
            failures = row["failures"] + 1
            pause = min(row["interval"] * 2 ** min(failures, 20), self.settings.max_backoff)
            values.update(failures=failures, last_error=answer.error, last_error_at=stamp(now),
                          next_poll_at=later(pause, now))
        wq.update_source(conn, row["id"], **values)
        return False

    def _succeeded(self, values: dict[str, object], row: dict[str, Any], now: datetime, quiet: int) -> None:
        """A poll that worked: errors cleared, the next poll after the interval (longer when quiet)."""
        slower = min(2 ** max(0, quiet - 1), self.settings.quiet_backoff)
        values.update(failures=0, last_success_at=stamp(now), next_poll_at=later(row["interval"] * slower, now))

    def _fetch(self, triples: list[tuple[str, str | None, str | None]]) -> list[Fetched]:
        """Fetch politely (one event loop a batch); answers in order."""
        if not triples:
            return []
        answers = asyncio.run(fetch_all(triples, self.settings.fetch, self.transport))
        self.requests += len(answers)
        return answers

    # -- fetching and ingesting items --------------------------------------------------------

    def _ingest_pending(self, report: RoundReport, stop: threading.Event, prefetched: dict[str, Fetched]) -> None:
        """Fetch and ingest every pending item once, a batch at a time, until done or stopped."""
        with self.engine.connect() as conn:
            todo = wq.items(conn, "pending", max_attempts=self.settings.max_attempts)
        for start in range(0, len(todo), self.settings.batch):
            if stop.is_set():
                return
            batch = todo[start:start + self.settings.batch]
            wanted = [i for i in batch if i["url"] not in prefetched]
            answers = dict(zip((i["id"] for i in wanted), self._fetch(
                [(i["url"], i["etag"] if i["sha256"] else None, i["last_modified"] if i["sha256"] else None)
                 for i in wanted])))
            read: list[tuple[dict[str, Any], Fetched, list[Loaded | InputError]]] = []
            for item in batch:
                answer = prefetched.get(item["url"]) or answers[item["id"]]
                inputs = self._read_item(item, answer, report)
                if inputs is not None:
                    read.append((item, answer, inputs))
                if stop.is_set():  # the item in hand goes on to be ingested; the rest wait
                    break
            self._ingest(read, report, stop)

    def _read_item(self, item: dict[str, Any], answer: Fetched, report: RoundReport) -> list[Loaded | InputError] | None:
        """An item's page read as ``ingest`` reads a file; None when there is nothing to ingest."""
        now = stamp(utcnow())
        if answer.not_modified:
            with self.engine.begin() as conn:
                wq.update_item(conn, item["id"], status="done", fetched_at=now, reason="not modified")
            return None
        if not answer.ok:
            report.item_errors += 1
            report.errors.append((item["url"], answer.error or "failed"))
            attempts = item["attempts"] + 1
            with self.engine.begin() as conn:
                wq.update_item(conn, item["id"], attempts=attempts, reason=answer.error, fetched_at=now,
                               status="failed" if attempts >= self.settings.max_attempts else "pending")
            return None
        report.fetched += 1
        inputs = list(read_bytes(answer.body, item["url"], name=urlsplit(item["url"]).path))
        for one in inputs:
            if isinstance(one, Loaded) and not one.article.url:
                one.article.url = answer.final_url or item["url"]
        return inputs

    def _ingest(self, read: list[tuple[dict[str, Any], Fetched, list[Loaded | InputError]]], report: RoundReport,
                stop: threading.Event) -> None:
        """Ingest the pages read (as ``ingest`` does), then write each item's outcome."""
        ingestor = Ingestor(self.engine, extractor=self.extractor, limits=self.limits)
        done: list[tuple[dict[str, Any], Fetched, list[Loaded | InputError]]] = []
        stories: dict[int, Story] = {}

        def inputs() -> Iterator[Loaded | InputError]:
            for entry in read:
                done.append(entry)
                yield from entry[2]
                if stop.is_set():  # the item in hand is finished; the rest wait for the next run
                    return

        def articles() -> Iterator[ArticleInput]:
            for story in ingestor.stories(inputs()):
                stories[id(story.loaded.article)] = story
                yield story.loaded.article

        with using(self.extractor.lexicon):
            for article, result in analyze_stream(articles(), extractor=self.extractor, limits=self.limits):
                ingestor.finish(stories.pop(id(article)), result)
        summary = ingestor.summary
        report.new += summary.new
        report.duplicate += summary.duplicate
        report.unchanged += summary.unchanged
        report.failed += summary.failed
        failures = dict(summary.failures)
        with self.engine.begin() as conn:  # the batch's outcomes, written together
            for item, answer, loaded in done:
                self._item_outcome(conn, item, answer, loaded, failures)

    def _item_outcome(self, conn: Connection, item: dict[str, Any], answer: Fetched,
                      inputs: list[Loaded | InputError], failures: dict[str, str]) -> None:
        """An item is ingested (its story known, alerts due) or failed (its page held no article)."""
        article_id = None
        for one in inputs:
            if isinstance(one, Loaded):
                article_id = article_id or document_article(conn, one.source, one.sha256)[0]
        values: dict[str, object] = {"fetched_at": stamp(utcnow()), "sha256": sha256(answer.body),
                                     "etag": answer.etag, "last_modified": answer.last_modified,
                                     "attempts": item["attempts"] + 1}
        if article_id is not None:
            values.update(status="ingested", article_id=article_id, reason=None)
        else:
            reasons = [failures.get(one.source) or (one.message if isinstance(one, InputError) else None)
                       for one in inputs]
            values.update(status="failed", reason="; ".join(r for r in reasons if r) or "no article in the page")
        wq.update_item(conn, item["id"], **values)

    def _link(self) -> None:
        """Link the new stories across the corpus (identities, quotations, disputes)."""
        ingestor = Ingestor(self.engine, extractor=self.extractor, limits=self.limits)
        with using(self.extractor.lexicon):
            ingestor.link_across()

    # -- alerts ------------------------------------------------------------------------------

    def _alert(self, report: RoundReport) -> None:
        """Check the statements of every ingested item against the rules; store the alerts."""
        with self.engine.connect() as conn:
            todo = wq.items(conn, "ingested")
            followed = wq.quotation_statements(conn, sorted(self.rules.followed)) if self.rules.followed else {}
        for start in range(0, len(todo), self.settings.batch):
            with self.engine.begin() as conn:  # alerts stored and items done together: none lost, none twice
                for item in todo[start:start + self.settings.batch]:
                    alerts = self._alerts_of(conn, item, followed) if self.rules.rules else []
                    wq.add_alerts(conn, alerts)
                    wq.update_item(conn, item["id"], status="done")
                    report.alerts += len(alerts)

    def _alerts_of(self, conn: Connection, item: dict[str, Any], followed: dict[int, set[int]]) -> list[dict[str, Any]]:
        """The alerts the statements of an item's story fire."""
        statements = wq.article_statements(conn, item["article_id"])
        ids = [s["statement_id"] for s in statements]
        denies = wq.denied_claims(conn, ids) if self.rules.followed else {}
        printed = wq.printings(conn, ids) if self.rules.followed else {}
        checked = factcheck_queries.checks_of(conn, ids) if any(r.factchecked for r in self.rules.rules) else {}
        alerts = []
        for s in statements:
            printing = printed.get(s["statement_id"])
            if printing is not None:
                printing = {**printing, "followed": [f for f, members in followed.items()
                                                     if s["statement_id"] in members]}
            links = {"denies": denies.get(s["statement_id"], []), "printing": printing,
                     "factchecks": checked.get(s["statement_id"], [])}
            for rule in self.rules.rules:
                why = rule.check(s, links)
                if why is not None:
                    alerts.append({"rule": rule.name, "statement_id": s["statement_id"],
                                   "article_id": s["article_id"], "why": why,
                                   "payload": payload(rule.name, why, s, item)})
        return alerts

    def _deliver(self, report: RoundReport, stop: threading.Event) -> None:
        """Hand every undelivered alert to every sink; a failing sink is counted, never fatal."""
        with self.engine.connect() as conn:
            pending = wq.undelivered_alerts(conn)
        for alert in pending:
            message = {"id": alert["id"], "created_at": alert["created_at"], **alert["payload"]}
            for sink in self.sinks:
                try:
                    sink.send(message)
                    ok, problem = True, None
                except SinkError as exc:
                    ok, problem = False, str(exc)
                except Exception as exc:  # noqa: BLE001 - a sink's own bug must not stop the watch
                    ok, problem = False, f"{type(exc).__name__}: {exc}"
                report.delivered += ok
                report.sink_failures += not ok
                with self.engine.begin() as conn:
                    wq.sink_outcome(conn, sink.name, ok=ok, error=problem)
            with self.engine.begin() as conn:
                wq.mark_delivered(conn, [alert["id"]])


def payload(rule: str, why: str, s: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """An alert as every sink sends it: the rule and why, the statement, its article, the item."""
    return {
        "rule": rule, "why": why,
        "statement": {"id": s["statement_id"], "speaker": s["speaker"], "identity": s["identity"],
                      "type": s["type"], "kind": s["kind"], "cue": s["cue"], "content": s["content"],
                      "confidence": s["confidence"], "when": s["when_date"]},
        "article": {"id": s["article_id"], "title": s["title"], "url": s["url"], "site": s["site"],
                    "published": s["published"]},
        "found_at": {"item": item["url"], "source": item["source_url"]},
    }


def stop_on_signals(stop: threading.Event, notice: Callable[[str], None] | None = None) -> None:
    """SIGINT and SIGTERM set ``stop``: the item in hand finishes, then the watch ends. A
    second signal ends it at once (the story in hand is rolled back by its transaction)."""
    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if notice:
            notice(f"{signal.Signals(signum).name}: finishing the item in hand, then stopping "
                   "(again to stop at once)")

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)



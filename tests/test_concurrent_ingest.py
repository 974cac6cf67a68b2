"""Several ingest processes writing to one database at once: no story, appearance or speaker
is stored twice, and none of them fails on a conflict."""

import subprocess
import sys

import pytest
from sqlalchemy import func, select
from test_crash_resume import story

from onrecord.store.db import database_url, make_engine
from onrecord.store.schema import appearances, articles, documents, speakers, statements

pytestmark = pytest.mark.slow


def retold(text: str) -> str:
    """A near copy: another headline and a byline before the same story."""
    return "Council news in brief\nBy Staff Reporter\n" + text


def test_concurrent_ingest_processes_keep_one_of_everything(db_url, tmp_path):
    folders = [tmp_path / name for name in ("a", "b", "c")]
    for folder in folders:
        folder.mkdir()
    for n in range(20):
        (folders[0] / f"s{n:02d}.txt").write_text(story(n), encoding="utf-8")
        (folders[2] / f"same-{n:02d}.txt").write_text(story(n), encoding="utf-8")  # exact copies, other names
    for n in range(10, 30):
        (folders[1] / f"s{n:02d}.txt").write_text(story(n), encoding="utf-8")
    for n in range(10):
        (folders[1] / f"retold-{n:02d}.txt").write_text(retold(story(n)), encoding="utf-8")
    processes = [subprocess.Popen([sys.executable, "-m", "onrecord.cli", "ingest", str(folder), "--db", db_url, "-q"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for folder in folders]
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
    inputs = 20 + 20 + 10 + 20
    engine = make_engine(database_url(db_url))
    with engine.connect() as conn:
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar()  # noqa: E731
        assert count(articles) == 30  # stories 0-29, each once
        assert count(documents) == inputs and count(appearances) == inputs
        outcomes = dict(conn.execute(select(documents.c.outcome, func.count()).group_by(documents.c.outcome)).all())
        assert outcomes == {"new": 30, "duplicate": inputs - 30}
        keys = conn.execute(select(speakers.c.key)).scalars().all()
        assert len(keys) == len(set(keys))
        per_article = conn.execute(select(statements.c.article_id, func.count()).group_by(statements.c.article_id)).all()
        assert len(per_article) == 30 and all(n >= 3 for _, n in per_article)
    engine.dispose()

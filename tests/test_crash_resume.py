"""Killing an ingest at any moment leaves no half-stored article; running it again finishes."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

NAMES = ["Ada Park", "Ben Cole", "Cara Diaz", "Dev Shah", "Eli Ford", "Fay Moss", "Gus Hale", "Ida West",
         "Jon Reyes", "Kim Ochoa", "Lou Banks", "Mia Stone", "Ned Frost", "Ola Price", "Pia Lund", "Raj Mehta"]
THINGS = ["bridge", "library", "harbour", "stadium", "tramline", "school", "hospital", "reservoir", "market",
          "airport", "museum", "theatre", "factory", "orchard", "canal", "observatory"]


def story(n: int) -> str:
    name, thing = NAMES[n % len(NAMES)], THINGS[(n * 7) % len(THINGS)]
    return (f"{name} said on Monday that the {thing} in district {n} would close for {n + 3} weeks.\n"
            f"“We need {n * 11} more workers before the {thing} can open,” {name.split()[1]} told reporters.\n"
            f"Residents of district {n} urged the council to publish the {thing} repair budget of {n * 1000} pounds.\n")


def run_ingest(folder, db):
    return subprocess.Popen([sys.executable, "-m", "onrecord.cli", "ingest", str(folder), "--db", str(db), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stored_documents(db) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def check_integrity(db):
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for article_id, record in conn.execute("SELECT id, record FROM articles"):
            import json
            expected = len(json.loads(record)["statements"])
            stored = conn.execute("SELECT count(*) FROM statements WHERE article_id = ?", (article_id,)).fetchone()[0]
            fts = conn.execute("SELECT count(*) FROM statements_fts WHERE rowid IN "
                               "(SELECT id FROM statements WHERE article_id = ?)", (article_id,)).fetchone()[0]
            assert stored == expected == fts
            assert conn.execute("SELECT count(*) FROM appearances WHERE article_id = ?", (article_id,)).fetchone()[0] >= 1
        orphans = conn.execute("SELECT count(*) FROM documents WHERE outcome IN ('new', 'duplicate') AND id NOT IN "
                               "(SELECT document_id FROM appearances)").fetchone()[0]
        assert orphans == 0


@pytest.mark.slow
def test_crash_kill_during_ingest_then_resume(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(40):
        (folder / f"story{n:02d}.txt").write_text(story(n), encoding="utf-8")
    db = tmp_path / "c.db"
    process = run_ingest(folder, db)
    deadline = time.time() + 120
    while stored_documents(db) < 5 and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed; give it more work"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = stored_documents(db)
    assert 5 <= killed_at < 40
    check_integrity(db)

    rerun = run_ingest(folder, db)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert out.decode().strip().endswith(f"read 40, new {40 - killed_at}, duplicate 0, unchanged {killed_at}, failed 0")
    check_integrity(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 40
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 40

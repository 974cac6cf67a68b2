"""``onrecord watch``: --once for cron, status, import-opml, the files' mistakes, and a
long-running watch stopped by SIGTERM; the sources and rules files as the README writes them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.watch.sources import SourcesError, from_toml, load_sources

from watch_server import PUTIN_DENIES, ZELENSKY_ACCUSES, rss

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="World">
    <outline type="rss" text="Local News" title="Local News" xmlUrl="{base}/feed.xml" htmlUrl="{base}/"/>
    <outline type="rss" text="Wire — “world”" xmlUrl="https://wire.example/world.rss"/>
  </outline>
  <outline text="no feed here"/>
</body></opml>
"""


@pytest.fixture
def site(site):
    """The shared local site (conftest.py), serving a feed of two stories."""
    site.put("/feed.xml", rss(site.base, [("/a1", "a", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                          ("/a2", "b", "Sat, 15 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/a1", PUTIN_DENIES)
    site.put("/a2", ZELENSKY_ACCUSES)
    return site


@pytest.fixture
def runner():
    return CliRunner()


def files(tmp_path: Path, site) -> tuple[Path, Path, Path]:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[defaults]\ninterval = "15m"\n\n[[source]]\nurl = "{site.url("/feed.xml")}"\n'
                       f'name = "Local News"\n', encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "putin"\nspeaker = "Putin"\n\n[[sink]]\nkind = "jsonl"\n'
                     'path = "alerts.jsonl"\n', encoding="utf-8")
    return sources, rules, tmp_path / "news.db"


def test_watch_cli_once_then_status(runner, site, tmp_path):
    sources, rules, db = files(tmp_path, site)
    args = ["watch", "--sources", str(sources), "--rules", str(rules), "--once", "--host-interval", "0",
            "--db", str(db)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{db}: polled 1 (not modified 0, errors 0), items new 2 edited 0, pages fetched 2 "
                             "(errors 0), stories new 2 duplicate 0 unchanged 0 failed 0, alerts 2 "
                             "(sink failures 0)\n")
    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [(a["rule"], a["statement"]["content"]) for a in alerts] == [
        ("putin", "Russian troops had attacked civilians in the Kursk region"),
        ("putin", "Our soldiers did not fire on anyone")]

    result = runner.invoke(main, ["watch", "status", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    state = json.loads(result.stdout)
    [source] = state["sources"]
    assert (source["source"], source["items_seen"], source["done"], source["pending"], source["last_error"]) == (
        "Local News", 2, 2, 0, None)
    assert source["last_success"] and source["next_poll"] > source["last_success"]
    assert state["sinks"][0]["name"] == f"jsonl:{tmp_path / 'alerts.jsonl'}"
    assert (state["sinks"][0]["delivered"], state["alerts"]) == (2, {"total": 2, "undelivered": 0})

    result = runner.invoke(main, ["watch", "status", "--db", str(db)])
    assert result.exit_code == 0
    assert "Local News" in result.stdout and "alerts: 2 (0 not yet delivered)" in result.stdout

    # again: nothing new, nothing sent twice
    result = runner.invoke(main, args)
    assert result.exit_code == 0 and "polled 1 (not modified 1, errors 0), items new 0" in result.stdout
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 2


def test_watch_cli_once_exits_1_and_says_which_source_failed(runner, site, tmp_path):
    sources, _, db = files(tmp_path, site)
    sources.write_text(sources.read_text() + f'\n[[source]]\nurl = "{site.url("/missing.xml")}"\n')
    result = runner.invoke(main, ["watch", "--sources", str(sources), "--once", "--host-interval", "0",
                                  "--retries", "0", "--db", str(db)])
    assert result.exit_code == 1
    assert f"onrecord: error: {site.url('/missing.xml')}: HTTP 404 Not Found" in result.stderr
    assert "stories new 2" in result.stdout


@pytest.mark.parametrize("text, message", [
    ("", "no sources; add one as [[source]]"),
    ('[[source]]\nurl = "ftp://x.example/feed"\n', "is not an http(s) URL"),
    ('[[source]]\nurl = "https://x.example/feed"\ninterval = "1s"\n', "under the polite minimum of 10 s"),
    ('[[source]]\nurl = "https://x.example/feed"\ninterval = "soon"\n', "is not a duration"),
    ('[[source]]\nurl = "https://x.example/feed"\nkind = "podcast"\n', "kind 'podcast' is none of"),
    ('[[source]]\nurl = "https://x.example/a"\n[[source]]\nurl = "https://x.example/a"\n', "is named twice"),
    ('[[source]]\nurl = "https://x.example/a"\nfrequency = 3\n', "unknown key(s) frequency"),
    ('[[sources]]\nurl = "https://x.example/a"\n', "unknown table(s) sources"),
])
def test_watch_sources_file_mistakes_say_how_to_fix_them(text, message, tmp_path, runner):
    with pytest.raises(SourcesError) as caught:
        from_toml(text, "sources.toml")
    assert message in str(caught.value)
    path = tmp_path / "s.toml"
    path.write_text(text)
    result = runner.invoke(main, ["watch", "--sources", str(path), "--once", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and message in result.stderr


def test_watch_sources_intervals_and_opml(site, tmp_path):
    [source] = from_toml('[defaults]\ninterval = "2h"\n[[source]]\nurl = "https://x.example/a"\nkind = "sitemap"\n')
    assert (source.url, source.kind, source.interval) == ("https://x.example/a", "sitemap", 7200.0)
    assert from_toml('[[source]]\nurl = "https://x.example/a"\ninterval = 90\n')[0].interval == 90.0
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML.format(base=site.base), encoding="utf-8")
    assert [(s.url, s.name, s.kind) for s in load_sources(opml)] == [
        (site.url("/feed.xml"), "Local News", "feed"), ("https://wire.example/world.rss", "Wire — “world”", "feed")]


def test_watch_cli_import_opml_writes_a_sources_file(runner, site, tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML.format(base=site.base), encoding="utf-8")
    result = runner.invoke(main, ["watch", "import-opml", str(opml)])
    assert result.exit_code == 0
    assert result.stdout == (
        "# onrecord watch sources (see: onrecord watch --help)\n\n[defaults]\ninterval = 900\n\n"
        f'[[source]]\nurl = "{site.url("/feed.xml")}"\nname = "Local News"\nkind = "feed"\n\n'
        '[[source]]\nurl = "https://wire.example/world.rss"\nname = "Wire — “world”"\nkind = "feed"\n')
    written = tmp_path / "sources.toml"
    written.write_text(result.stdout, encoding="utf-8")
    assert [s.url for s in load_sources(written)] == [site.url("/feed.xml"), "https://wire.example/world.rss"]
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline text='x'/></body></opml>")
    result = runner.invoke(main, ["watch", "import-opml", str(bad)])
    assert result.exit_code == 2 and "no feeds in this OPML file" in result.stderr


def test_watch_cli_needs_sources(runner, tmp_path):
    result = runner.invoke(main, ["watch", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "--sources sources.toml" in result.stderr


def test_watch_cli_status_of_a_corpus_never_watched(runner, tmp_path):
    db = tmp_path / "x.db"
    runner.invoke(main, ["watch", "status", "--db", str(db)])  # no corpus: says how to make one
    from onrecord.corpus import open_corpus

    open_corpus(str(db))
    result = runner.invoke(main, ["watch", "status", "--db", str(db)])
    assert result.exit_code == 0 and "no sources watched yet" in result.stderr


def test_watch_cli_sigterm_stops_a_long_running_watch_gracefully(site, tmp_path):
    sources, rules, db = files(tmp_path, site)
    env = {**os.environ, "ONRECORD_ENGINE": "fast"}
    proc = subprocess.Popen([sys.executable, "-m", "onrecord.cli", "watch", "--sources", str(sources), "--rules",
                             str(rules), "--host-interval", "0", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 90
        alerts = tmp_path / "alerts.jsonl"
        while time.monotonic() < deadline and not (alerts.exists() and len(alerts.read_text().splitlines()) == 2):
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.endswith("watch stopped\n")
    assert "SIGTERM: finishing the item in hand, then stopping" in err
    assert "stories new 2" in err


def test_watch_readme_recipe_files_are_valid(monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Watch the news")[1].split("\n## ")[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```toml\n")[1:]]
    assert len(blocks) == 2
    sources = from_toml(blocks[0], "README sources")
    assert [(s.kind, s.interval) for s in sources] == [("auto", 900.0), ("sitemap", 900.0)]
    from onrecord.watch import load_sinks, parse_rules

    monkeypatch.setenv("ONRECORD_WEBHOOK_SECRET", "x")
    monkeypatch.setenv("ONRECORD_SMTP_PASSWORD", "y")
    rules = parse_rules(blocks[1], "README rules")
    assert [r.name for r in rules.rules] == ["putin", "ceasefire-denials", "claim-41", "checked-claims"]
    assert [s.name.split(":")[0] for s in load_sinks(rules.sinks)] == ["jsonl", "webhook", "smtp"]
    alert = json.loads(section.split("```json\n")[1].split("```")[0])
    assert alert["statement"]["type"] == "denial" and alert["why"]

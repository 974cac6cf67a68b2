"""Fixtures for the browser tests: a server on loopback, headless Chromium, a fresh tab.

Chromium is Debian's package driven by Playwright. Without it the importing test module is
skipped, unless ``ONRECORD_REQUIRE_BROWSER=1`` (as CI sets) makes its absence a failure.
Screenshots go to ``ARTIFACTS`` (``test-artifacts/`` or ``$ONRECORD_ARTIFACTS``). A test
module imports what it uses::

    from browser_kit import ARTIFACTS, browser, page, record_server, server  # noqa: F401
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from record_corpus import ingest_week
from web_fixtures import build_corpus

from onrecord.web import WebSettings, create_app

CHROMIUM = os.environ.get("ONRECORD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("ONRECORD_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))

if not CHROMIUM:
    if os.environ.get("ONRECORD_REQUIRE_BROWSER") == "1":
        raise RuntimeError("browser tests need Chromium: apt-get install chromium (or set ONRECORD_CHROMIUM)")
    pytest.skip("Chromium not found (apt-get install chromium); browser tests skipped", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_server(db: Path, **settings) -> Iterator[str]:
    """Serve the corpus at ``db`` on a free loopback port while the caller holds the iterator."""
    port = _free_port()
    config = uvicorn.Config(create_app(WebSettings(db=str(db), **settings)), host="127.0.0.1", port=port,
                            log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not running.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The web test corpus (tests/web_fixtures.py), five results a page."""
    db = tmp_path_factory.mktemp("browser") / "browser.db"
    build_corpus(db)
    yield from run_server(db, default_page_size=5)


@pytest.fixture(scope="module")
def record_server(tmp_path_factory):
    """The Porthaven week, linked across articles."""
    db = tmp_path_factory.mktemp("browser-week") / "week.db"
    ingest_week(db)
    yield from run_server(db)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A desktop-sized tab that fails the test if any script in the page opens a dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.dialogs = dialogs
    yield tab
    assert dialogs == [], f"a script ran in the page: {dialogs}"
    context.close()

"""Settings of the web server: where the corpus is, who may write, and the limits.

Read from the command line, then ``ONRECORD_*`` environment variables, then a TOML file
(``--config FILE``, else ``./onrecord.toml`` or ``~/.config/onrecord/config.toml``) with a
``[web]`` table::

    [web]
    token = "a long random string"   # required to POST /api/articles; reading is open
    max_body_bytes = 1000000         # largest request body (413 beyond)
    max_page_size = 100              # most rows a page may ask for
    max_download_rows = 100000       # most rows one search download (/search.csv, .jsonl) holds
    query_timeout = 5.0              # seconds before a database query is stopped
    max_analyses = 2                 # analyses at once (POST /api/analyze, /analyze, /api/articles)
    analysis_processes = true        # run them in worker processes, so that pages answer meanwhile
    retry_after = 5                  # seconds a busy server (503) asks the client to wait
    max_analyze_chars = 100000       # longest text analysed on request (413 beyond)
    analysis_timeout = 20.0          # seconds one article's analysis may take (then it fails)
    max_statements = 2000            # most statements one article may hold
    base_url = "https://news.example/onrecord"  # for absolute links (JSON "next"); else relative
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

CONFIG_PLACES = (Path("onrecord.toml"), Path.home() / ".config" / "onrecord" / "config.toml")


@dataclass(frozen=True)
class WebSettings:
    """What the server needs to know."""

    db: str | None = None
    token: str | None = None
    max_body_bytes: int = 1_000_000
    max_page_size: int = 100
    max_download_rows: int = 100_000
    default_page_size: int = 20
    query_timeout: float = 5.0
    max_analyses: int = 2
    analysis_processes: bool = True  # analyses in worker processes: pages answer meanwhile
    retry_after: int = 5
    max_analyze_chars: int = 100_000
    analysis_timeout: float = 20.0
    max_statements: int = 2_000
    base_url: str | None = None

    @property
    def limits(self):
        """The analysis limits of this server (``onrecord.analysis.limits``)."""
        from ..analysis.limits import AnalysisLimits

        return AnalysisLimits(max_seconds=self.analysis_timeout, max_statements=self.max_statements)

    @classmethod
    def load(cls, db: str | None = None, config: str | Path | None = None, **overrides) -> "WebSettings":
        """Settings from a config file, the environment and explicit values, in rising priority."""
        settings = cls()
        path = Path(config) if config else next((p for p in CONFIG_PLACES if p.is_file()), None)
        if path is not None:
            with open(path, "rb") as fh:
                table = tomllib.load(fh).get("web", {})
            known = {f.name for f in fields(cls)}
            unknown = set(table) - known
            if unknown:
                raise ValueError(f"{path}: unknown [web] setting(s) {sorted(unknown)}; known: {sorted(known)}")
            for name, value in table.items():
                _check_setting(path, name, value, {f.name: f.type for f in fields(cls)}[name])
            settings = replace(settings, **table)
        env = {"token": os.environ.get("ONRECORD_TOKEN"), "db": os.environ.get("ONRECORD_DB")}
        settings = replace(settings, **{k: v for k, v in env.items() if v})
        explicit = {"db": db, **overrides}
        return replace(settings, **{k: v for k, v in explicit.items() if v is not None})


#: What each kind of setting must be in the config file, and how an error names it.
_SETTING_KINDS = {"bool": ((bool,), "true or false"), "int": ((int,), "a whole number"),
                  "float": ((int, float), "a number"),
                  "str | None": ((str,), "a string")}


def _check_setting(path: Path, name: str, value, annotation: str) -> None:
    """Refuse a config value of the wrong kind or a negative limit, naming the file and the
    setting: a server that starts with ``max_page_size = "ten"`` fails on its first request."""
    kinds, words = _SETTING_KINDS[annotation]
    if (isinstance(value, bool) and annotation != "bool") or not isinstance(value, kinds):
        raise ValueError(f"{path}: [web] {name} must be {words}, not {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ValueError(f"{path}: [web] {name} must not be negative, not {value!r}")

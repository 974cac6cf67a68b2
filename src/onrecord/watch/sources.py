"""What the watch follows: a sources file (TOML), or an OPML file as feed readers export it.

A TOML sources file::

    [defaults]
    interval = "15m"          # between polls of each source (s, m, h; or seconds)

    [[source]]
    url = "https://example.org/world/rss.xml"
    name = "Example World"    # optional
    kind = "feed"             # feed | sitemap | page; auto (the default) tells by content
    interval = "5m"           # optional, this source's own

An OPML file's outlines with an ``xmlUrl`` become feed sources, with their ``title`` or
``text`` as the name.
"""

from __future__ import annotations

from typing import Any

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: What a source may be: a feed, a news sitemap, a page; ``auto`` tells them apart by content.
KINDS = ("auto", "feed", "sitemap", "page")
#: Seconds between polls of a source, unless the file says otherwise.
DEFAULT_INTERVAL = 900.0
#: The shortest interval accepted: polling faster is not polite.
MIN_INTERVAL = 10.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


class SourcesError(ValueError):
    """A sources file that cannot be used as it is; the message says how to fix it."""


@dataclass(frozen=True)
class Source:
    """One source to follow."""

    url: str
    name: str | None = None
    kind: str = "auto"
    interval: float = DEFAULT_INTERVAL

    def as_row(self) -> dict[str, Any]:
        """The source as the store keeps it."""
        return {"url": self.url, "name": self.name, "kind": self.kind, "interval": self.interval}


def parse_interval(value: object, where: str, minimum: float = MIN_INTERVAL) -> float:
    """Seconds from ``600``, ``"10m"``, ``"1h"`` ...; at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SourcesError(f"{where}: interval {value!r} is not a duration (write 600, \"10m\" or \"1h\")")
    if isinstance(value, str):
        m = _DURATION.match(value)
        if not m:
            raise SourcesError(f"{where}: interval {value!r} is not a duration (write 600, \"10m\" or \"1h\")")
        seconds = float(m.group(1)) * _UNIT[(m.group(2) or "").lower() or None]
    else:
        seconds = float(value)
    if seconds < minimum:
        raise SourcesError(f"{where}: interval {seconds:g} s is under the polite minimum of {minimum:g} s")
    return seconds


def check_url(url: object, where: str) -> str:
    """An http(s) URL with a host, or an error that says what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise SourcesError(f"{where}: every source needs a url = \"https://...\"")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourcesError(f"{where}: {url!r} is not an http(s) URL (write it as https://host/path)")
    return url


def load_sources(path: str | Path, *, minimum: float = MIN_INTERVAL) -> list[Source]:
    """The sources of a TOML sources file or an OPML file (told apart by content)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourcesError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if data.lstrip()[:5].lower() in (b"<?xml", b"<opml"):
        return from_opml(data, str(path), minimum=minimum)
    return from_toml(data.decode("utf-8", errors="replace"), str(path), minimum=minimum)


def from_toml(text: str, where: str = "sources", *, minimum: float = MIN_INTERVAL) -> list[Source]:
    """The sources of a TOML sources file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{where}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"defaults", "source"}
    if unknown:
        raise SourcesError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}; "
                           "a sources file holds [defaults] and [[source]] entries")
    defaults = data.get("defaults", {})
    interval = parse_interval(defaults.get("interval", DEFAULT_INTERVAL), f"{where} [defaults]", minimum)
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{where}: no sources; add one as [[source]] url = \"https://example.org/feed.xml\"")
    return _unique([_source(entry, f"{where} source {n}", interval, minimum) for n, entry in enumerate(entries, 1)],
                   where)


def _source(entry: object, where: str, interval: float, minimum: float) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: write each source as a [[source]] table")
    unknown = set(entry) - {"url", "name", "kind", "interval"}
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (a source has url, name, kind, "
                           "interval)")
    kind = entry.get("kind", "auto")
    if kind not in KINDS:
        raise SourcesError(f"{where}: kind {kind!r} is none of {', '.join(KINDS)}")
    name = entry.get("name")
    return Source(check_url(entry.get("url"), where), str(name) if name else None, kind,
                  parse_interval(entry["interval"], where, minimum) if "interval" in entry else interval)


def _unique(sources: list[Source], where: str) -> list[Source]:
    """The sources, each URL once: a URL named twice is a mistake worth saying."""
    seen: set[str] = set()
    for s in sources:
        if s.url in seen:
            raise SourcesError(f"{where}: {s.url} is named twice; keep one entry")
        seen.add(s.url)
    return sources


def from_opml(data: bytes, where: str = "opml", *, minimum: float = MIN_INTERVAL,
              interval: float = DEFAULT_INTERVAL) -> list[Source]:
    """The feeds of an OPML file (every outline with an ``xmlUrl``, however nested)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourcesError(f"{where}: not a readable OPML file ({exc})") from exc
    sources, seen = [], set()
    for n, outline in enumerate(root.iter("outline"), 1):
        url = outline.get("xmlUrl")
        if not url:
            continue
        url = check_url(url, f"{where} outline {n}")
        if url not in seen:
            seen.add(url)
            sources.append(Source(url, outline.get("title") or outline.get("text") or None, "feed", interval))
    if not sources:
        raise SourcesError(f"{where}: no feeds in this OPML file (no outline has an xmlUrl)")
    return sources


def to_toml(sources: list[Source]) -> str:
    """A sources file for these sources (what ``watch import-opml`` writes)."""
    lines = ["# onrecord watch sources (see: onrecord watch --help)", "", "[defaults]",
             f"interval = {DEFAULT_INTERVAL:g}", ""]
    for s in sources:
        lines += ["[[source]]", f"url = {_quote(s.url)}"]
        if s.name:
            lines.append(f"name = {_quote(s.name)}")
        if s.kind != "auto":
            lines.append(f"kind = {_quote(s.kind)}")
        if s.interval != DEFAULT_INTERVAL:
            lines.append(f"interval = {s.interval:g}")
        lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    """A TOML basic string."""
    escaped = "".join(c if c >= " " and c not in '"\\\x7f' else f"\\u{ord(c):04x}" for c in text)
    return f'"{escaped}"'

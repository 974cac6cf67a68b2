"""RSS and Atom feed files: one article per entry, through feedparser.

An entry's full content is used when the feed carries it, its summary otherwise; either is
HTML, turned into text with its paragraphs kept. The entry's link, title, author and date
come with it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape

from ..model import ArticleInput

_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|blockquote|tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(html: str) -> str:
    """Text of an HTML fragment, one paragraph a line."""
    text = _TAG.sub("", _BLOCK.sub("\n", html))
    lines = (" ".join(unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def from_feed(data: bytes, source: str) -> Iterator[tuple[str, ArticleInput | None, str | None]]:
    """(source of the entry, article or None, reason when None) for each entry."""
    import feedparser

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser raises many kinds on broken feeds
        yield source, None, f"not a readable feed ({type(exc).__name__}: {exc})"
        return
    if not feed.entries:
        reason = f"not a readable feed ({feed.get('bozo_exception')})" if feed.get("bozo") else "a feed without entries"
        yield source, None, reason
        return
    site = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        content = entry.get("content") or []
        html = content[0].get("value") if content else entry.get("summary", "")
        body = html_to_text(html or "")
        if not body:
            yield where, None, "entry without text"
            continue
        yield where, ArticleInput(body, _date(entry), doc_id=entry.get("id") or entry.get("link") or where,
                                  title=entry.get("title"), url=entry.get("link"), site=site,
                                  author=entry.get("author")), None

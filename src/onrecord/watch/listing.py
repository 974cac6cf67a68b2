"""What a polled source lists: the pages of a feed's entries or of a news sitemap, or the
page itself. Each item is (url, stamp): the stamp (an entry's updated date, a sitemap's
lastmod, a page's hash) changes when the publisher says the item changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

#: The most items one poll of one source takes (the rest wait for the next poll).
MAX_ITEMS = 500
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass
class Listing:
    """The items of one answer, its kind, and why there are none when it cannot be read."""

    kind: str
    items: list[tuple[str, str | None]] = field(default_factory=list)
    error: str | None = None


def kind_of(body: bytes) -> str:
    """feed, sitemap or page, by the answer's content."""
    from ..ingest.readers import sniff

    head = body[:65_536].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    return "feed" if sniff(body) == "feed" else "page"


def list_items(body: bytes, url: str, kind: str = "auto", max_items: int = MAX_ITEMS) -> Listing:
    """The items an answer of ``url`` lists, as its ``kind`` (``auto``: by content) reads."""
    kind = kind_of(body) if kind == "auto" else kind
    if kind == "feed":
        found = feed_items(body, url)
    elif kind == "sitemap":
        found = sitemap_items(body, url)
    else:
        found = Listing("page", [(url, hashlib.sha256(body).hexdigest())])
    found.items = found.items[:max_items]
    return found


def _web(link: str | None, base: str) -> str | None:
    """An item's absolute http(s) URL (fragment dropped), or None for anything else."""
    if not link or not isinstance(link, str):
        return None
    absolute = urljoin(base, link.strip()).split("#", 1)[0]
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def feed_items(body: bytes, url: str) -> Listing:
    """The pages an RSS or Atom feed's entries link to, with each entry's stamp."""
    import feedparser

    try:
        feed = feedparser.parse(body)
    except Exception as exc:  # noqa: BLE001 - feedparser raises many kinds on broken feeds
        return Listing("feed", error=f"not a readable feed ({type(exc).__name__}: {exc})")
    if not feed.entries:
        if feed.get("bozo"):
            return Listing("feed", error=f"not a readable feed ({feed.get('bozo_exception')})")
        return Listing("feed")  # an empty feed is no error: nothing new
    items: dict[str, str | None] = {}
    for entry in feed.entries:
        link = _web(entry.get("link"), url)
        if link and link not in items:
            # the stored keys, read as stored (feedparser's own ``get("updated")`` warns)
            items[link] = dict.get(entry, "updated") or dict.get(entry, "published")
    if not items and feed.get("bozo"):
        return Listing("feed", error=f"not a readable feed ({feed.get('bozo_exception')})")
    return Listing("feed", list(items.items()))


def sitemap_items(body: bytes, url: str) -> Listing:
    """The pages of a (news) sitemap's ``<url>`` entries, with their lastmod or publication date."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return Listing("sitemap", error=f"not a readable sitemap ({exc})")
    name = etree.QName(root).localname
    if name == "sitemapindex":
        return Listing("sitemap", error="a sitemap index: name its sitemaps as sources instead")
    if name != "urlset":
        return Listing("sitemap", error=f"not a sitemap (its root is <{name}>, not <urlset>)")
    items: dict[str, str | None] = {}
    for entry in root:
        if not isinstance(entry.tag, str) or etree.QName(entry).localname != "url":
            continue
        loc = _web(entry.findtext(f"{{{_SITEMAP_NS}}}loc") or entry.findtext("loc"), url)
        stamp = (entry.findtext(f"{{{_SITEMAP_NS}}}lastmod") or
                 entry.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}publication_date"))
        if loc and loc not in items:
            items[loc] = stamp.strip() if stamp else None
    return Listing("sitemap", list(items.items()))

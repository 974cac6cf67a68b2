"""Saved web pages: main text and metadata through trafilatura.

Boilerplate (menus, footers, related links) is left out; the title, author, publication
date, site name, canonical URL and language come with the text, named as trafilatura and
news-please name them.
"""

from __future__ import annotations

import re

from ..model import ArticleInput
from .kind import page_hints

_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z-]+)", re.I)


def from_html(html: str, source: str) -> tuple[ArticleInput | None, str | None]:
    """The article of a saved page, or None and the reason there is none."""
    import trafilatura  # imported on first use: it takes a while to load

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on broken pages
        return None, f"could not extract the page's text ({type(exc).__name__}: {exc})"
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    body = (data.get("text") or "").strip()
    if not body:
        return None, "no article text found in the page (is it an article?)"
    lang = data.get("language") or (_LANG.search(html[:5000]).group(1) if _LANG.search(html[:5000]) else None)
    return ArticleInput(body, data.get("date"), doc_id=source, title=data.get("title"), url=data.get("url"),
                        site=data.get("sitename") or data.get("hostname"), author=data.get("author"),
                        language=lang, hints=page_hints(html)), None

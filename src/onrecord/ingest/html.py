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
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
#: Elements that only wrap others: beyond ``MAX_DEPTH`` of them their tags are dropped (the
#: text inside stays), since the HTML parser gives up on a tree deeper than 256.
WRAPPERS = {"div", "span", "section", "article", "main", "aside", "header", "footer", "nav", "font", "center",
            "blockquote", "b", "i", "em", "strong", "u", "small", "big"}
MAX_DEPTH = 180


def from_html(html: str, source: str) -> tuple[ArticleInput | None, str | None]:
    """The article of a saved page, or None and the reason there is none."""
    import trafilatura  # imported on first use: it takes a while to load

    html = flatten_deep(html)
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


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with the wrapper tags nested deeper than ``max_depth`` dropped (their text
    kept), in one pass; a page of normal depth comes back unchanged. A page of 10,000
    nested ``div`` s otherwise reaches the parser's depth limit and loses all its text."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open wrapper tags: (name, dropped)
    depth = 0  # wrappers kept open
    last = 0
    changed = False
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name not in WRAPPERS or self_closing:
            continue
        drop = False
        if not closing:
            drop = depth >= max_depth
            stack.append((name, drop))
            depth += 0 if drop else 1
        else:
            while stack:  # close up to the matching wrapper (HTML leaves some unclosed)
                open_name, dropped = stack.pop()
                depth -= 0 if dropped else 1
                if open_name == name:
                    drop = dropped
                    break
        if drop:
            out.append(html[last:m.start()])
            last = m.end()
            changed = True
    if not changed:
        return html
    out.append(html[last:])
    return "".join(out)

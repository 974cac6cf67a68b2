"""The watch's alerts on the web: the ``/alerts`` page (and its JSON twin) and an Atom feed,
``/alerts.atom``, for a feed reader to follow. Each alert shows the statement, its speaker
and type, its article, the rule that fired and why."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from .deps import Page, connection, page_params
from .deps import corpus as corpus_door
from .links import safe_url
from .views import page_count, respond, twin

router = APIRouter(include_in_schema=False)
#: How many alerts the feed carries (the newest).
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
#: Characters XML 1.0 cannot carry, whatever the escaping.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@twin(router, "/alerts")
def alerts_page(request: Request, rule: str | None = Query(None, max_length=200, description="one rule's alerts"),
                page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """The alerts of ``onrecord watch``, newest first."""
    rule = (rule or "").strip() or None
    listing = corpus.alerts(rule=rule, limit=page.size, offset=page.offset, conn=conn)
    return respond(request, "alerts.html", {
        "alerts": [_shown(a) for a in listing.rows], "total": listing.total, "filters": {"rule": rule},
        "page": page.page, "pages": page_count(listing.total, page.size)})


def _shown(alert: dict) -> dict:
    """An alert as the page and its twin show it: its row and what the sinks were sent."""
    data = alert["payload"]
    return {"id": alert["id"], "rule": alert["rule"], "why": alert["why"], "created_at": alert["created_at"],
            "delivered_at": alert["delivered_at"], "statement": data.get("statement", {}),
            "article": data.get("article", {}), "found_at": data.get("found_at", {})}


@router.get("/alerts.atom")
def alerts_feed(request: Request, rule: str | None = Query(None, max_length=200), conn=Depends(connection),
                corpus=Depends(corpus_door)) -> Response:
    """The newest alerts as an Atom feed."""
    rule = (rule or "").strip() or None
    alerts = [_shown(a) for a in corpus.alerts(rule=rule, limit=FEED_SIZE, conn=conn).rows]
    base = str(request.base_url).rstrip("/")
    return Response(atom_feed(alerts, base, rule), media_type="application/atom+xml; charset=utf-8")


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value or ""))


def atom_feed(alerts: list[dict], base: str, rule: str | None = None) -> bytes:
    """An Atom 1.0 document of alerts (``base``: this server, for the ids and links)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "onrecord alerts" + (f": {_text(rule)}" if rule else "")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/alerts.atom" + (f"?rule={_text(rule)}" if rule else "")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/alerts.atom")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}/alerts")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = alerts[0]["created_at"] if alerts else "1970-01-01T00:00:00+00:00"
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "onrecord watch"
    for alert in alerts:
        feed.append(_entry(alert, base))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(alert: dict, base: str) -> ET.Element:
    s, article = alert["statement"], alert["article"]
    speaker = s.get("identity") or s.get("speaker") or "speaker unknown"
    entry = ET.Element(f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{base}/alerts#alert-{alert['id']}"
    ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(f"{alert['rule']}: {speaker} ({s.get('type')})")
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = alert["created_at"]
    if article.get("id") is not None:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=f"{base}/articles/{int(article['id'])}")
    if safe_url(article.get("url")):
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=_text(article["url"]))
    ET.SubElement(entry, f"{{{ATOM}}}category", term=_text(alert["rule"]))
    ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = _text(
        f"{speaker} ({s.get('type')}): \u201c{s.get('content')}\u201d. In: {article.get('title') or 'untitled'}"
        f" ({article.get('site') or 'unknown site'}, {article.get('published') or 'undated'}). "
        f"Why: {alert['why']}")
    return entry

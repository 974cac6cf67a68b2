"""A local news site for the watch's tests: feeds, sitemaps and pages on 127.0.0.1 that a
test changes between polls, with the faults real servers have (5xx, timeouts, redirect
loops, huge bodies, malformed feeds). Every request is logged, so tests can assert what the
watch asked, and how politely."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Resource:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True  # answer with an ETag (and 304 to a matching If-None-Match)
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering (a slow server)
    redirect: str | None = None  # Location of a 302
    endless: bool = False  # stream bytes until the client hangs up (a 200 MB answer)
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """The resources of the local site, changeable while it serves."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.log: list[tuple[str, dict[str, str]]] = []  # (path, request headers)
        self.posts: list[tuple[str, dict[str, str], bytes]] = []  # (path, headers, body) of every POST
        self.post_status: dict[str, int] = {}  # what a POST to a path answers (200 by default)
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes | str = b"", **kwargs) -> Resource:
        resource = Resource(body.encode("utf-8") if isinstance(body, str) else body, **kwargs)
        with self.lock:
            self.resources[path] = resource
        return resource

    def requests(self, path: str) -> list[dict[str, str]]:
        """The headers of every request of ``path`` so far."""
        with self.lock:
            return [h for p, h in self.log if p == path]

    def count(self, path: str) -> int:
        return len(self.requests(path))


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            path = self.path
            with site.lock:
                site.log.append((path, {k.lower(): v for k, v in self.headers.items()}))
                resource = site.resources.get(path)
            if resource is None:
                self._answer(404, b"not found", "text/plain")
                return
            if resource.delay:
                time.sleep(resource.delay)
            if resource.redirect:
                self.send_response(302)
                self.send_header("Location", resource.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if resource.endless:
                self._endless(resource)
                return
            tag = '"' + hashlib.sha256(resource.body).hexdigest()[:16] + '"'
            if resource.etag and resource.status == 200 and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = dict(resource.headers)
            if resource.etag:
                headers["ETag"] = tag
            if resource.last_modified:
                headers["Last-Modified"] = resource.last_modified
            self._answer(resource.status, resource.body, resource.content_type, headers)

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with site.lock:
                site.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = site.post_status.get(self.path, 200)
            self._answer(status, b"{}", "application/json")

        def _answer(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _endless(self, resource: Resource) -> None:
            self.send_response(200)
            self.send_header("Content-Type", resource.content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            try:
                for _ in range(200_000_000 // len(chunk) + 1):  # 200 MB, unless the client hangs up first
                    self.wfile.write(frame)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up (the watch stopping a 200 MB answer) is expected here


def serve() -> Site:
    """Start a local site (stop it with ``site.server.shutdown()``)."""
    site = Site()
    site.server = _QuietServer(("127.0.0.1", 0), _handler(site))
    site.server.daemon_threads = True
    threading.Thread(target=site.server.serve_forever, daemon=True).start()
    return site


def http_date(seconds_ago: float = 0) -> str:
    return formatdate(time.time() - seconds_ago, usegmt=True)


# -- content ---------------------------------------------------------------------------------

def page(title: str, paragraphs: list[str], published: str = "2025-03-14") -> str:
    """A news page as sites serve them: navigation, the article, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"en\"><head><title>{title}</title>"
            f"<meta property=\"article:published_time\" content=\"{published}\">"
            f"<meta property=\"og:site_name\" content=\"Local News\"></head><body>"
            f"<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright Local News</footer></body></html>")


def rss(base: str, entries: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (path, title, updated) entries."""
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
                    f"<pubDate>{u}</pubDate></item>" for p, t, u in entries)
    return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local News</title>"
            f"<link>{base}/</link><description>news</description>{items}</channel></rss>")


def atom(base: str, entries: list[tuple[str, str, str]]) -> str:
    """An Atom feed of (path, title, updated) entries."""
    items = "".join(f"<entry><title>{t}</title><link href=\"{base}{p}\"/><id>{base}{p}</id>"
                    f"<updated>{u}</updated></entry>" for p, t, u in entries)
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>Local Atom</title><id>{base}/atom</id><updated>2025-03-14T10:00:00Z</updated>{items}</feed>")


def sitemap(base: str, entries: list[tuple[str, str]]) -> str:
    """A news sitemap of (path, publication date) entries."""
    urls = "".join(f"<url><loc>{base}{p}</loc><news:news><news:publication_date>{d}</news:publication_date>"
                   f"</news:news></url>" for p, d in entries)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
            "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">" + urls + "</urlset>")


PUTIN_DENIES = page("Putin denies Kursk attacks", [
    "MOSCOW, March 14 (Reuters) - Russian President Vladimir Putin denied on Thursday that Russian troops "
    "had attacked civilians in the Kursk region.",
    "\u201cOur soldiers did not fire on anyone,\u201d Putin told reporters in Moscow.",
    "Ukrainian President Volodymyr Zelensky said the ceasefire proposal was a trap.",
])
ZELENSKY_ACCUSES = page("Zelensky accuses Moscow", [
    "KYIV, March 15 (AP) - Ukrainian President Volodymyr Zelensky accused Moscow of stalling the ceasefire talks.",
    "\u201cThey want more time to attack,\u201d Zelensky said in his nightly address.",
    "The Kremlin spokesman Dmitry Peskov said the talks would continue next week.",
], published="2025-03-15")
PESKOV_TALKS = page("Kremlin on talks", [
    "MOSCOW, March 16 (Reuters) - Kremlin spokesman Dmitry Peskov said on Sunday that the delegations "
    "would meet again in Istanbul.",
    "\u201cWe are ready to listen,\u201d Peskov told the state news agency.",
], published="2025-03-16")

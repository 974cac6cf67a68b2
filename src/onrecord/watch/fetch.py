"""Polite fetching over HTTP (``httpx``): what a watch asks of other people's servers.

Every request names the tool (``User-Agent``), is conditional where the last answer gave
validators (``ETag``, ``Last-Modified``), waits its turn at its host (a few at a time,
spaced apart, longer where robots.txt asks for a ``Crawl-delay``), honours robots.txt,
stops at a time limit and a size limit, follows a bounded number of redirects, and is
retried with growing pauses when the server fails or cannot be reached. A failure is an
answer (``Fetched.error``), never an exception: one bad source costs that source only.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__

#: The name every request carries, so that a site's owner can tell who is asking.
USER_AGENT = f"onrecord-watch/{__version__} (+https://pypi.org/project/onrecord/; news watch)"
#: Answers worth asking again a little later; others (404, 410 ...) are final for this poll.
RETRY_STATUS = {429, 500, 502, 503, 504}
#: The longest pause a ``Retry-After`` may impose within one poll (seconds).
MAX_RETRY_AFTER = 30.0
#: The most of a robots.txt read (bytes).
ROBOTS_MAX_BYTES = 512_000


@dataclass(frozen=True)
class FetchSettings:
    """The limits of fetching; every one explicit, every one configurable."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds for one response, whole (connect, headers, body)
    max_bytes: int = 10_000_000  # largest response body read (after decompression)
    max_redirects: int = 5
    retries: int = 2  # further tries after a timeout, a failed connection, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    per_host: int = 2  # requests in flight to one host
    host_interval: float = 1.0  # seconds between two requests' starts at one host
    concurrency: int = 16  # requests in flight in all
    robots: bool = True  # honour robots.txt

    def __post_init__(self) -> None:
        """Limits that would make the watch impolite or stuck are refused, with the fix."""
        if self.timeout <= 0 or self.max_bytes <= 0:
            raise ValueError("timeout and max_bytes must be positive (e.g. timeout=20, max_bytes=10_000_000)")
        if self.per_host < 1 or self.concurrency < 1:
            raise ValueError("per_host and concurrency must be at least 1")
        if self.retries < 0 or self.backoff < 0 or self.host_interval < 0 or self.max_redirects < 0:
            raise ValueError("retries, backoff, host_interval and max_redirects cannot be negative")


@dataclass
class Fetched:
    """One answer: the body and validators, or the error that stands for it."""

    url: str
    status: int | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    content_type: str | None = None
    error: str | None = None
    tries: int = 0

    @property
    def ok(self) -> bool:
        """A body came back (200-299)."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        """The server said nothing changed since the validators sent (304)."""
        return self.error is None and self.status == 304


@dataclass
class _Host:
    """One host's turn-taking: how many requests at once, and when the next may start."""

    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def turn(self) -> None:
        """Wait until this host may be asked again."""
        async with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_start = time.monotonic() + self.interval


class TooLarge(Exception):
    """A response over the size limit."""


class Fetcher:
    """Fetches URLs politely; use as ``async with Fetcher(settings) as f: await f.get(url)``."""

    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings or FetchSettings()
        self._transport = transport
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock: dict[str, asyncio.Lock] = {}
        self._all: asyncio.Semaphore | None = None
        self._client: httpx.AsyncClient | None = None
        #: requests sent (robots.txt included), for the benchmark and the tests
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._all = asyncio.Semaphore(s.concurrency)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.timeout), follow_redirects=True, max_redirects=s.max_redirects,
            transport=self._transport, trust_env=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The answer to a (conditional) GET of ``url``, after robots.txt and retries."""
        if self.settings.robots and not await self._allowed(url):
            return Fetched(url, error="robots.txt disallows it for onrecord-watch")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        fetched = Fetched(url)
        for attempt in range(self.settings.retries + 1):
            fetched = await self._once(url, headers, self.settings.max_bytes)
            fetched.tries = attempt + 1
            pause = self._retry_pause(fetched, attempt)
            if pause is None:
                break
            await asyncio.sleep(pause)
        return fetched

    def _retry_pause(self, fetched: Fetched, attempt: int) -> float | None:
        """How long to wait before asking again, or None when asking again is no use."""
        if attempt >= self.settings.retries:
            return None
        retryable = fetched.status in RETRY_STATUS or (fetched.status is None and fetched.error is not None
                                                       and fetched.error.startswith(("timed out", "cannot connect")))
        return self.settings.backoff * (2 ** attempt) if retryable else None

    async def _once(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        """One request, its host's turn taken; errors become ``Fetched.error``."""
        assert self._client is not None and self._all is not None, "use the Fetcher as 'async with Fetcher() as f'"
        host = self._host(url)
        async with self._all, host.slots:
            await host.turn()
            self.requests += 1
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._read(url, headers, max_bytes)
            except (TimeoutError, httpx.TimeoutException):
                return Fetched(url, error=f"timed out after {self.settings.timeout:g} s")
            except httpx.TooManyRedirects:
                return Fetched(url, error=f"more than {self.settings.max_redirects} redirects (a redirect loop?)")
            except TooLarge as exc:
                return Fetched(url, error=str(exc))
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                return Fetched(url, error=f"cannot connect: {type(exc).__name__}: {exc}")
            except httpx.HTTPError as exc:
                return Fetched(url, error=f"request failed: {type(exc).__name__}: {exc}")

    async def _read(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        """Stream one response, stopping at ``max_bytes``."""
        assert self._client is not None
        async with self._client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge(f"response of {int(declared):,} bytes is over the limit of {max_bytes:,}")
            chunks, size = [], 0
            if response.status_code < 300:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"response over the limit of {max_bytes:,} bytes")
                    chunks.append(chunk)
            fetched = Fetched(url, response.status_code, b"".join(chunks), response.headers.get("ETag"),
                              response.headers.get("Last-Modified"), str(response.url),
                              response.headers.get("Content-Type"))
            if response.status_code >= 400:
                fetched.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            return fetched

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        if key not in self._hosts:
            self._hosts[key] = _Host(asyncio.Semaphore(self.settings.per_host), self.settings.host_interval)
        return self._hosts[key]

    async def _allowed(self, url: str) -> bool:
        """Whether robots.txt lets this tool fetch ``url`` (read once per host and run).

        As RFC 9309 says: no robots.txt (4xx) allows everything; one that cannot be read
        (5xx, no answer) disallows everything for now."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._robots_lock.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._read_robots(origin)
        parser = self._robots[origin]
        if parser is None:
            return False
        return parser.can_fetch(self.settings.user_agent, url)

    async def _read_robots(self, origin: str) -> RobotFileParser | None:
        """The parsed robots.txt of ``origin``; None when it must be taken as 'disallow all'."""
        fetched = await self._once(f"{origin}/robots.txt", {}, ROBOTS_MAX_BYTES)
        parser = RobotFileParser()
        if fetched.status is not None and 400 <= fetched.status < 500:
            parser.parse([])  # none: everything allowed
        elif fetched.ok:
            parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
            delay = parser.crawl_delay(self.settings.user_agent)
            if delay:
                host = self._host(origin)
                host.interval = max(host.interval, min(float(delay), 60.0))
        else:
            return None
        return parser


async def fetch_all(urls: list[tuple[str, str | None, str | None]], settings: FetchSettings | None = None,
                    transport: httpx.AsyncBaseTransport | None = None) -> list[Fetched]:
    """Fetch (url, etag, last_modified) triples concurrently, politely; answers in order."""
    async with Fetcher(settings, transport) as fetcher:
        return list(await asyncio.gather(*(fetcher.get(u, etag=e, last_modified=m) for u, e, m in urls)))

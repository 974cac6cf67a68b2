"""ASGI middleware: a bound on request bodies, and the security headers of every response."""

from __future__ import annotations

import json

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# the API docs page: Swagger UI sets inline styles on its elements, and nothing more
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _error(status: int, message: str) -> tuple[dict, bytes]:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
    return start, body


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, declared or streamed.

    The body is read here first, at most ``max_bytes`` of it, and handed on whole: a
    chunked body that grows past the limit is answered 413 before any handler sees it
    (a handler's body parser would report a failure in the middle as a bad request).
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(send)
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                return await self._too_large(send)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send) -> None:
        start, body = _error(413, f"request body over the limit of {self.max_bytes:,} bytes")
        await send(start)
        await send({"type": "http.response.body", "body": body})


#: The longest query string answered (a search's words and filters fit in a few hundred).
MAX_QUERY_BYTES = 8 * 1024


class NoNulParams:
    """Refuse a query string holding a NUL character (422: PostgreSQL cannot compare text
    with one, so a search for ``%00`` would fail inside the database instead of here), and
    one over ``MAX_QUERY_BYTES`` (414)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if len(query) > MAX_QUERY_BYTES:
            start, body = _error(414, f"query string over the limit of {MAX_QUERY_BYTES:,} bytes")
            await send(start)
            return await send({"type": "http.response.body", "body": body})
        if b"%00" in query or b"\x00" in query:
            start, body = _error(422, "invalid request: parameters may not hold NUL characters (%00)")
            await send(start)
            return await send({"type": "http.response.body", "body": body})
        return await self.app(scope, receive, send)


class SecurityHeaders:
    """Content-Security-Policy and friends on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = DOCS_CSP if scope.get("path") == "/api/docs" else CSP

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)

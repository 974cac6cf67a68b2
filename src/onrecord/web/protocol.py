"""The HTTP protocol the server runs: uvicorn's h11 protocol, with its own errors in the
one JSON shape the application uses (``{"ok": false, "error": ..., "status": 400}``).

A request the HTTP parser refuses (``Content-Length: -5``, a broken request line) never
reaches the application; uvicorn answers it in plain text. Here it is answered as every
other error is. The parser also holds a request line and headers of up to
``MAX_HEAD_BYTES`` (h11's default is 16 KB), so that a long query string reaches the
application and gets its 414 in the same shape, instead of a reset connection.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

#: The most bytes of request line and headers read before refusing the request.
MAX_HEAD_BYTES = 2 * 1024 * 1024


class JsonErrorsH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose own 400 answers are JSON in the application's shape."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"ok": False, "error": f"invalid HTTP request: {msg.rstrip('.')}",
                           "status": 400}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def server_options() -> dict:
    """What ``uvicorn.run`` / ``uvicorn.Config`` need to serve with this protocol."""
    return {"http": JsonErrorsH11Protocol, "h11_max_incomplete_event_size": MAX_HEAD_BYTES}

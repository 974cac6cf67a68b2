"""Links the pages make: only http(s) to the outside, filters kept or changed in place.

Links to the server itself are relative (a path and a query), or built on the configured
``base_url``; never from the request's ``Host`` header, which the client chooses (a link
made from it could send a reader to another site, or poison a cache).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from starlette.datastructures import URL, QueryParams


def safe_url(value: str | None) -> str | None:
    """A link target only when it is an http(s) URL (never ``javascript:`` or ``data:``)."""
    if not value:
        return None
    return value if urlparse(value.strip()).scheme in ("http", "https") else None


def local_path(path: str, query: str = "") -> str:
    """A path on this server, never a link elsewhere: ``//evil.example/x`` becomes ``/evil.example/x``."""
    path = "/" + path.lstrip("/\\")
    return f"{path}?{query}" if query else path


def absolute(base_url: str | None, link: str) -> str:
    """``link`` (a local path) on the configured base URL, or as it is without one."""
    return base_url.rstrip("/") + link if base_url else link


def json_twin(url: URL) -> str:
    """The JSON twin of the page at ``url``: the same path with ``.json``, the same query."""
    return local_path((url.path.rstrip("/") or "/index") + ".json", url.query)


def with_params(url: URL, **changes) -> str:
    """The current URL with some query parameters replaced (None removes one).

    The filter fields keep their query names, except ``query``, which is ``q``.
    """
    params = dict(QueryParams(url.query))
    for key, value in changes.items():
        key = "q" if key == "query" else key
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    if "page" not in changes:
        params.pop("page", None)  # another filter starts again at the first page
    return local_path(url.path, urlencode(params))  # as Starlette's QueryParams writes a query

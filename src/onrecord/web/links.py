"""Links the pages make: only http(s) to the outside, filters kept or changed in place."""

from __future__ import annotations

from urllib.parse import urlparse

from starlette.datastructures import URL, QueryParams


def safe_url(value: str | None) -> str | None:
    """A link target only when it is an http(s) URL (never ``javascript:`` or ``data:``)."""
    if not value:
        return None
    return value if urlparse(value.strip()).scheme in ("http", "https") else None


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
    return str(url.replace_query_params(**params))

"""Reading plain text and JSONL articles from files or standard input.

Text is decoded as UTF-8 (a byte-order mark is dropped); text that is not UTF-8 is read as
Windows-1252, the usual encoding of such news files, and the reader says so. Binary files
are refused rather than turned into nonsense. A JSONL file holds one article per line:
``text`` plus optional ``doc_id``/``id``, ``published``/``publication_date``/``date`` and
``title`` (see ``FIELD_NAMES``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..pipeline import ArticleInput

#: Longest article accepted by default (characters); configurable with ``max_chars``.
MAX_CHARS = 2_000_000
#: Article fields and the names they may have in a JSONL line, first match wins.
FIELD_NAMES = {
    "text": ("text", "content", "body", "maintext"),
    "doc_id": ("doc_id", "id", "uid", "url"),
    "published": ("published", "publication_date", "date_publish", "date", "datePublished"),
    "title": ("title", "headline"),
}


@dataclass
class InputError:
    """Why one input (a file, or one line of it) could not be read."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Loaded:
    """An article read from an input, with where it came from and any note on reading it."""

    source: str
    article: ArticleInput
    note: str | None = None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Text from bytes, and a note when it was not plain UTF-8.

    Raises ``ValueError`` for binary data.
    """
    if encoding:
        return data.decode(encoding, errors="replace"), None
    if b"\x00" in data[:65536]:
        raise ValueError("looks like a binary file, not text (it holds NUL bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        sample = data[:65536]
        controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
        if controls > len(sample) * 0.01:
            raise ValueError("looks like a binary file, not text") from exc
        return data.decode("cp1252", errors="replace"), (
            f"not UTF-8 (byte {exc.start}); read as Windows-1252 — pass --encoding to choose another"
        )


def _field(record: dict, name: str):
    for key in FIELD_NAMES[name]:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def read_jsonl(text: str, source: str, max_chars: int = MAX_CHARS) -> Iterator[Loaded | InputError]:
    """Articles from JSONL text, one per non-empty line."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "not a JSON object (expected {\"text\": ...})")
            continue
        body = _field(record, "text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, f'no article text (expected one of the fields {", ".join(FIELD_NAMES["text"])})')
            continue
        if len(body) > max_chars:
            yield InputError(where, _too_long(len(body), max_chars))
            continue
        doc_id = _field(record, "doc_id")
        published = _field(record, "published")
        title = _field(record, "title")
        yield Loaded(where, ArticleInput(body, str(published) if published else None,
                                         doc_id=str(doc_id) if doc_id is not None else where,
                                         title=str(title) if title else None))


def _too_long(length: int, max_chars: int) -> str:
    return f"{length:,} characters is over the limit of {max_chars:,} (raise it with --max-chars)"


def read_path(path: str, *, encoding: str | None = None, max_chars: int = MAX_CHARS,
              jsonl: bool | None = None) -> Iterator[Loaded | InputError]:
    """Articles from a file path (``-`` for standard input).

    A ``.jsonl``/``.ndjson`` file (or ``jsonl=True``) is read as one article per line;
    anything else as one article of plain text.
    """
    source = "<stdin>" if path == "-" else path
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        yield InputError(source, "no such file")
        return
    except IsADirectoryError:
        yield InputError(source, "is a directory (give the files inside it)")
        return
    except OSError as exc:
        yield InputError(source, f"cannot be read ({exc.strerror or exc})")
        return
    try:
        text, note = decode(data, encoding)
    except ValueError as exc:
        yield InputError(source, str(exc))
        return
    is_jsonl = jsonl if jsonl is not None else path.lower().endswith((".jsonl", ".ndjson"))
    if is_jsonl:
        yield from read_jsonl(text, source, max_chars)
        return
    if not text.strip():
        yield InputError(source, "empty file, nothing to analyse")
    elif len(text) > max_chars:
        yield InputError(source, _too_long(len(text), max_chars))
    else:
        yield Loaded(source, ArticleInput(text, doc_id=source), note)

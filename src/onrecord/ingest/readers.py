"""Reading articles from files or standard input, whatever their kind.

The kind is recognised by content as well as by name: plain text, saved HTML pages
(``html.py``), JSONL with one article per line, RSS/Atom feeds (``feeds.py``), and gzip
files of any of these. Text is decoded as UTF-8 (a byte-order mark is dropped); text that
is not UTF-8 is read as Windows-1252, the usual encoding of such news files, and the reader
says so. Binary files are refused rather than turned into nonsense. A JSONL line holds
``text`` plus optional ``doc_id``/``id``, ``published``/``publication_date``/``date`` and
``title`` (see ``FIELD_NAMES``).

Each input yields its own fingerprint (the SHA-256 of its bytes, or of its line or feed
entry), so that a corpus can tell an input it already holds from a changed one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from ..layout import guess
from ..model import ArticleInput
from .clean import clean_article, clean_text, display_name, replace_surrogate_references
from .feeds import from_feed
from .html import from_html
from .kind import classify

#: Longest article accepted by default (characters); configurable with ``max_chars``.
MAX_CHARS = 2_000_000
#: Largest input file read (bytes, after decompression): larger ones are refused, not loaded.
MAX_FILE_BYTES = 200_000_000
#: Most gzip layers opened one inside the other (``.jsonl.gz`` is one).
MAX_GZIP_LAYERS = 4
#: How far into an XML file the root element of a feed is looked for.
FEED_SNIFF_BYTES = 65_536
#: Byte-order marks of the encodings that are not ASCII-compatible (UTF-32 first: its
#: little-endian mark begins with UTF-16's).
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: Article fields and the names they may have in a JSONL line, first match wins.
FIELD_NAMES = {
    "text": ("text", "content", "body", "maintext"),
    "doc_id": ("doc_id", "id", "uid", "url"),
    "published": ("published", "publication_date", "date_publish", "date", "datePublished"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "site": ("site", "sitename", "source_domain", "publisher"),
    "author": ("author", "authors", "byline"),
    "language": ("language", "lang"),
}


#: What onrecord reads, said when it refuses an input that is none of these.
EXPECTED = "onrecord reads plain text, HTML pages, JSONL (one article per line), RSS/Atom feeds and gzip of these"
#: File signatures of what is not an article (images, documents, archives), by their first bytes.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"BM", None),
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a Word/Excel/EPUB file, which are ZIPs)"),
    (b"PK\x05\x06", "an empty ZIP archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"), (b"BZh", None), (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"SQLite format 3\x00", "a SQLite database"), (b"\x7fELF", "a program (ELF)"),
    (b"OggS", "an Ogg audio or video file"), (b"ID3", "an MP3 audio file"), (b"fLaC", "a FLAC audio file"),
)


def not_an_article(data: bytes) -> str | None:
    """What an input is when its first bytes say it is no text (an image, an archive ...), else None."""
    for magic, what in SIGNATURES:
        if data.startswith(magic):
            if what is None:  # short signatures, checked further: "BM" and "BZh" open words too
                if magic == b"BM" and len(data) > 14 and b"\x00" in data[2:14]:
                    what = "a BMP image"
                elif magic == b"BZh" and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
                    what = "a bzip2 archive"
                else:
                    continue
            return f"{what}, not an article; {EXPECTED}"
    if data[:12].startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"a {data[8:12].decode().strip()} file, not an article; {EXPECTED}"
    if len(data) > 262 and data[257:262] == b"ustar":
        return f"a tar archive, not an article; {EXPECTED} (unpack it and give the files)"
    return None


def json_document(text: str) -> str | None:
    """Why a JSON text that is not one article per line is refused (a pretty-printed object,
    an annotation file, an array), or None when it is no such thing."""
    head = text.lstrip()
    if not head.startswith(("{", "[")):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict):
        keys = ", ".join(list(map(str, value))[:5]) + (" ..." if len(value) > 5 else "")
        lines = text.strip().count("\n") + 1
        found = (f"one article as a JSON object over {lines} lines" if _field(value, "text") else
                 f"a JSON document over {lines} lines (keys: {keys}), not an article")
        return (f'{found}; onrecord reads JSONL, one article per line: {{"text": ..., "title": ..., '
                f'"published": ...}} (e.g. jq -c . FILE > FILE.jsonl)')
    if isinstance(value, list):
        return (f"a JSON array of {len(value)} item(s), not JSONL; onrecord reads JSONL, one article per line: "
                f'{{"text": ..., "title": ..., "published": ...}} (e.g. jq -c \'.[]\' FILE > FILE.jsonl)')
    return None


@dataclass
class InputError:
    """Why one input (a file, or one line of it) could not be read."""

    source: str
    message: str
    sha256: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Loaded:
    """An article read from an input, with where it came from and any note on reading it."""

    source: str
    article: ArticleInput
    note: str | None = None
    sha256: str = ""

    def __post_init__(self) -> None:
        """Every article read is made safe here, its one way in (``onrecord.ingest.clean``)."""
        self.source = clean_text(self.source)[0]  # a name given through the API, say
        cleaned = clean_article(self.article)
        if cleaned:
            self.note = f"{self.note}; {cleaned}" if self.note else cleaned
        guess(self.article)  # headline, byline, dateline: what the text shows, where the input is silent
        if self.article.kind is None:  # news, opinion, interview, press release, or not news
            origin = self.article.origin
            found = classify(self.article.text, self.article.hints, dateline=origin.get("place") == "dateline",
                             byline=origin.get("author") in ("byline", "metadata"))
            self.article.kind, self.article.kind_evidence = found.kind, list(found.evidence)


#: Text has almost no control bytes; a file whose first 64 KB hold more than this share of
#: them (and at least ``BINARY_CONTROL_MIN``) is binary. A stray NUL in a saved page is no
#: reason to refuse it: it is removed from the text like other unsafe characters.
BINARY_CONTROL_SHARE = 0.01
BINARY_CONTROL_MIN = 4


def _control_share(sample: bytes) -> float:
    """The share of control bytes (NUL included; not tab, line feed, form feed, CR) in
    ``sample``; 0 when there are too few to say anything."""
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) if controls >= BINARY_CONTROL_MIN else 0.0


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Text from bytes, and a note when it was not plain UTF-8.

    Raises ``ValueError`` for binary data.
    """
    if encoding:
        return data.decode(encoding, errors="replace"), None
    for bom, name in BOMS:  # UTF-16 and UTF-32 hold NUL bytes, but say what they are
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), f"read as {name.upper()} (byte-order mark)"
    sample = data[:65536]
    if b"\x00" in sample and _control_share(sample) > BINARY_CONTROL_SHARE:
        raise ValueError("looks like a binary file, not text (it holds many NUL and control bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        if _control_share(sample) > BINARY_CONTROL_SHARE:
            raise ValueError("looks like a binary file, not text") from exc
        return data.decode("cp1252", errors="replace"), (
            f"not UTF-8 (byte {exc.start}); read as Windows-1252 — pass --encoding to choose another"
        )


def _text_field(record: dict, name: str) -> str | None:
    """A field as text; a list (``"authors": ["A", "B"]``) as its items joined by ``, ``."""
    value = _field(record, name)
    if isinstance(value, list):
        items = [str(v) for v in value if v not in (None, "")]
        return ", ".join(items) or None
    return str(value) if value is not None else None


def _field(record: dict, name: str):
    for key in FIELD_NAMES[name]:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes (or of text as UTF-8; a lone surrogate as its own three bytes)."""
    return hashlib.sha256(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data).hexdigest()


def read_jsonl(text: str, source: str, max_chars: int = MAX_CHARS) -> Iterator[Loaded | InputError]:
    """Articles from JSONL text, one per non-empty line.

    Lines end at ``\n`` only (with an optional ``\r``), as JSON Lines says: U+2028 or U+0085
    inside a string is text, where ``str.splitlines`` would cut the line there.
    """
    read = 0
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        read += 1
        where = f"{source}:{number}"
        digest = sha256(line)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})", digest)
            continue
        except RecursionError:
            yield InputError(where, "JSON nested too deeply to read (an article is one flat object)", digest)
            continue
        except ValueError as exc:  # valid JSON Python will not read: an integer of over 4,300 digits
            what = "an integer of over 4,300 digits" if "digits" in str(exc) else _first_words(exc)
            yield InputError(where, f"a value onrecord cannot read: {what}", digest)
            continue
        if not isinstance(record, dict):
            yield InputError(where, "not a JSON object (expected {\"text\": ...})", digest)
            continue
        body = _field(record, "text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, f'no article text (expected one of the fields {", ".join(FIELD_NAMES["text"])})',
                             digest)
            continue
        if len(body) > max_chars:
            yield InputError(where, _too_long(len(body), max_chars), digest)
            continue
        doc_id = _field(record, "doc_id")
        published = _text_field(record, "published")
        title = _text_field(record, "title")
        yield Loaded(where, ArticleInput(body, published or None,
                                         doc_id=str(doc_id) if doc_id is not None else where,
                                         title=title or None,
                                         url=_text_field(record, "url"), site=_text_field(record, "site"),
                                         author=_text_field(record, "author"),
                                         language=_text_field(record, "language")), sha256=digest)
    if not read:  # said, so that an empty file is not silently taken for a done one
        yield InputError(source, "empty file, nothing to analyse", sha256(text))


def _too_long(length: int, max_chars: int) -> str:
    return f"{length:,} characters is over the limit of {max_chars:,} (raise it with --max-chars)"


def read_path(path: str, *, encoding: str | None = None, max_chars: int = MAX_CHARS,
              jsonl: bool | None = None) -> Iterator[Loaded | InputError]:
    """Articles from a file path (``-`` for standard input), whatever its kind."""
    source = "<stdin>" if path == "-" else display_name(path)
    try:
        data, problem = _read_stdin() if path == "-" else _read_file(path)
    except FileNotFoundError:
        data, problem = None, "no such file"
    except IsADirectoryError:
        data, problem = None, "is a directory (give the files inside it)"
    except OSError as exc:
        data, problem = None, f"cannot be read ({exc.strerror or exc})"
    if data is None:
        yield InputError(source, problem or "cannot be read")
        return
    try:
        yield from read_bytes(data, source, name=path, encoding=encoding, max_chars=max_chars, jsonl=jsonl)
    except Exception as exc:  # noqa: BLE001 - a reader's bug stops this input, not the run
        yield InputError(source, f"could not be read ({type(exc).__name__}: {exc}); please report this",
                         sha256(data))


def _read_stdin() -> tuple[bytes | None, str | None]:
    """Standard input, up to ``MAX_FILE_BYTES``: more is refused, as for a file."""
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return None, f"standard input over {MAX_FILE_BYTES:,} bytes; split it (JSONL: one article a line)"
    return data, None


def _read_file(path: str) -> tuple[bytes | None, str | None]:
    """A regular file's bytes, up to ``MAX_FILE_BYTES``. A device (``/dev/zero``), a FIFO or
    a socket is refused before it is opened: it has no size to check, and may never end."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file (a device, FIFO or socket); onrecord reads files and standard input"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"file over {MAX_FILE_BYTES:,} bytes; split it (JSONL: one article a line)"
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        return None, f"file over {MAX_FILE_BYTES:,} bytes; split it (JSONL: one article a line)"
    return data, None


def read_bytes(data: bytes, source: str, *, name: str = "", encoding: str | None = None,
               max_chars: int = MAX_CHARS, jsonl: bool | None = None) -> Iterator[Loaded | InputError]:
    """Articles from an input's bytes: gzip is opened, then the kind decides the reader."""
    layers = 0
    while data[:2] == b"\x1f\x8b":
        layers += 1
        if layers > MAX_GZIP_LAYERS:
            yield InputError(source, f"gzip inside gzip over {MAX_GZIP_LAYERS} layers deep", sha256(data))
            return
        inner, problem = _gunzip(data)
        if inner is None:
            yield InputError(source, problem or "broken gzip file", sha256(data))
            return
        data, name = inner, name.removesuffix(".gz")
    kind = "jsonl" if jsonl else sniff(data, name)
    refused = not_an_article(data) if kind == "text" else None
    if refused:
        yield InputError(source, refused, sha256(data))
        return
    if kind == "feed":
        yield from _read_feed(data, source, max_chars)
        return
    try:
        text, note = decode(data, encoding)
    except ValueError as exc:
        yield InputError(source, str(exc), sha256(data))
        return
    if kind == "jsonl":
        yield from read_jsonl(text, source, max_chars)
        return
    digest = sha256(data)
    if not text.strip():
        yield InputError(source, "empty file, nothing to analyse", digest)
        return
    refused = json_document(text) if kind == "text" else None
    if refused:
        yield InputError(source, refused, digest)
        return
    if kind == "html":
        article, reason = from_html(text, source)
        if article is None:
            yield InputError(source, reason or "no article text", digest)
            return
    else:
        article = ArticleInput(text, doc_id=source)
    if len(article.text) > max_chars:
        yield InputError(source, _too_long(len(article.text), max_chars), digest)
    else:
        yield Loaded(source, article, note, digest)


def _gunzip(data: bytes) -> tuple[bytes | None, str | None]:
    """The content of one gzip layer (at most ``MAX_FILE_BYTES``), or why it cannot be had."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            inner = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return None, f"broken gzip file ({exc})"
    if len(inner) > MAX_FILE_BYTES:
        return None, f"decompresses to over {MAX_FILE_BYTES:,} bytes"
    return inner, None


def _read_feed(data: bytes, source: str, max_chars: int) -> Iterator[Loaded | InputError]:
    """The entries of a feed; references to lone surrogates are read as U+FFFD, with a note."""
    data, references = replace_surrogate_references(data)
    note = f"{references} character reference(s) to lone surrogates read as U+FFFD" if references else None
    for where, article, reason in from_feed(data, source):
        if article is None:
            yield InputError(where, reason or "unreadable entry", sha256(data) if where == source else "")
        elif len(article.text) > max_chars:
            yield InputError(where, _too_long(len(article.text), max_chars), sha256(article.text))
        else:
            yield Loaded(where, article, note, sha256(article.text))


def sniff(data: bytes, name: str = "") -> str:
    """The kind of an input: ``feed``, ``html``, ``jsonl`` or ``text``, by name and content."""
    lower = name.lower()
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".rss", ".atom")):
        return "feed"  # named a feed: read as one, so that a broken feed is reported as such
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        prolog = data[:FEED_SNIFF_BYTES].lower()  # comments or a stylesheet may come first
        if any(tag in prolog for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
    if lower.endswith((".html", ".htm", ".xhtml")) or any(
            tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    if head.startswith(b"{"):
        start = data.find(b"{")
        end = data.find(b"\n", start)
        try:
            if isinstance(json.loads(data[start:end if end >= 0 else len(data)]), dict):
                return "jsonl"
        except json.JSONDecodeError:
            pass
        except (ValueError, RecursionError):
            return "jsonl"  # JSON too big or deep for Python: the line reader reports that line
    return "text"


def _first_words(exc: BaseException, limit: int = 120) -> str:
    """An exception's message, one line, short enough for a report."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"

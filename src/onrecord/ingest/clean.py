"""Text made safe where it enters onrecord: every field of every article read.

Two things in text break what comes after, far from where they came in: a lone surrogate
(JSON's ``"\\ud800"``, a feed's ``&#xD800;``) cannot be encoded as UTF-8, so the parser, the
JSON output and the database all refuse it; a NUL character is refused by PostgreSQL and
cuts C strings short. Each lone surrogate becomes U+FFFD (the replacement character) and
each NUL is removed, and every change is noted on the input's record, so that the text as
stored is the text the offsets point into.
"""

from __future__ import annotations

import os
import re
from dataclasses import fields

from ..model import ArticleInput

_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Character references to surrogates, which an XML or HTML parser may turn into one.
SURROGATE_REFERENCE = re.compile(rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*5[5-7]\d{3});")


def clean_text(value: str) -> tuple[str, list[str]]:
    """``value`` without lone surrogates or NULs, and what was changed, in words."""
    changes = []
    surrogates = len(_SURROGATE.findall(value))
    if surrogates:
        value = _SURROGATE.sub("\ufffd", value)
        changes.append(f"{surrogates} lone surrogate(s) replaced by U+FFFD")
    nuls = value.count("\x00")
    if nuls:
        value = value.replace("\x00", "")
        changes.append(f"{nuls} NUL character(s) removed")
    return value, changes


def clean_article(article: ArticleInput) -> str | None:
    """Clean every text field of ``article`` in place; a note of the changes, or None."""
    notes = []
    for f in fields(article):
        value = getattr(article, f.name)
        if isinstance(value, str):
            cleaned, changes = clean_text(value)
            if changes:
                setattr(article, f.name, cleaned)
                notes.append(f"{f.name}: {', '.join(changes)}")
    return "; ".join(notes) or None


def _is_surrogate_reference(match: re.Match) -> bool:
    digits = match.group()[2:-1]
    number = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return 0xD800 <= number <= 0xDFFF


def replace_surrogate_references(data: bytes) -> tuple[bytes, int]:
    """Markup with its character references to surrogates replaced by ``&#xFFFD;``."""
    count = 0

    def swap(match: re.Match) -> bytes:
        nonlocal count
        if not _is_surrogate_reference(match):
            return match.group()
        count += 1
        return b"&#xFFFD;"

    return SURROGATE_REFERENCE.sub(swap, data), count


def display_name(path: str) -> str:
    """A file name as people read it (and a database stores it): bytes that are not UTF-8,
    which Python keeps as lone surrogates, are shown as ``\\xNN``."""
    if not _SURROGATE.search(path):
        return path
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")

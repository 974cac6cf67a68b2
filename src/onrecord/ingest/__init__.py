"""Readers: files and streams in, articles (or a clear reason why not) out.

Every input yields either an ``ArticleInput`` or an ``InputError`` naming the file (and the
line, for JSONL), so that one bad input never stops the others and nothing a user gave is
silently dropped.
"""

from __future__ import annotations

from .readers import InputError, Loaded, read_path

__all__ = ["InputError", "Loaded", "read_path"]

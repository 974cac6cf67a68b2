"""What the user named: files, directories (walked recursively), glob patterns, ``-``."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

#: Files that are never articles (version-control and system files).
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def expand(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """(path, problem) for every file the user named; problem is None for readable paths."""
    for path in paths:
        if path == "-":
            yield path, None
        elif os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path):
            yield path, None
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield path, "no file matches this pattern"
            for match in matches:
                yield from (_walk(match) if os.path.isdir(match) else [(match, None)])
        else:
            yield path, "no such file or directory"


def _walk(directory: str) -> Iterator[tuple[str, None]]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name not in SKIP_NAMES:
                yield str(Path(root) / name), None

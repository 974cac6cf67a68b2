"""What the user named: files, directories (walked recursively), glob patterns, ``-``."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

#: Files that are never articles (version-control and system files).
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


#: Why a link inside a named folder that leads out of it is not read.
OUTSIDE_LINK = ("a link to {target}, outside the folder given: not read, since it would publish a file "
                "nobody named (--follow-symlinks reads it)")


def expand(paths: list[str], follow_symlinks: bool = False) -> Iterator[tuple[str, str | None]]:
    """(path, problem) for every file the user named; problem is None for readable paths.

    Inside a folder, a link (to a file or a folder) that leads out of the folder is
    reported, not read, unless ``follow_symlinks``: ``ingest d/`` must not pull in
    ``/etc/passwd`` through ``d/x.txt`` and then serve it.
    """
    for path in paths:
        if path == "-":
            yield path, None
        elif os.path.isdir(path):
            yield from _walk(path, follow_symlinks)
        elif os.path.exists(path):
            yield path, None
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield path, "no file matches this pattern"
            for match in matches:
                yield from (_walk(match, follow_symlinks) if os.path.isdir(match) else [(match, None)])
        else:
            yield path, "no such file or directory"


def _walk(directory: str, follow_symlinks: bool = False) -> Iterator[tuple[str, str | None]]:
    """The files under ``directory``, in name order; links out of it reported (see ``expand``)."""
    top = os.path.realpath(directory)
    for root, dirs, files in os.walk(directory, followlinks=follow_symlinks):
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            problem = _outside(Path(root) / name, top, follow_symlinks)
            if problem:
                yield str(Path(root) / name), problem
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if not name.startswith(".") and name not in SKIP_NAMES:
                path = Path(root) / name
                yield str(path), _outside(path, top, follow_symlinks)


def _outside(path: Path, top: str, follow_symlinks: bool) -> str | None:
    """Why a link under ``top`` is not followed: it leads out of ``top`` (None: read it)."""
    if follow_symlinks or not path.is_symlink():
        return None
    target = os.path.realpath(path)
    if target == top or target.startswith(top.rstrip(os.sep) + os.sep):
        return None
    return OUTSIDE_LINK.format(target=target)

"""The linkers across articles as named, versioned steps, as the analysis steps are.

A linker reads the stored corpus and replaces one kind of link: ``identities.v2`` joins
article speakers into identities, ``quotations.v2`` groups printings of one quotation,
``disputes.v3`` links denials to claims printed by other stories, ``factchecks.v1`` matches
imported fact-checks with the statements that make their claims. The order is data
(``DEFAULT_LINKERS``); a changed rule gets a new version, so a corpus knows which linkers
made its links (``corpus_state``) and ``relink --where-stale`` redoes only what is out of date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from ..lexicon import in_force


@dataclass(frozen=True)
class Linker:
    """One registered linker: its id (``name.vN``), what it makes, and the function."""

    id: str
    produces: str
    func: Callable[[Connection], int]
    doc: str

    @property
    def summary(self) -> str:
        """The first line of the linker's docstring, for ``onrecord steps --corpus``."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


class LinkerError(ValueError):
    """An unknown linker name, or a list that is not in dependency order."""


LINKERS: dict[str, Linker] = {}

#: The linkers a relink runs, in order: quotations and disputes read the identities.
DEFAULT_LINKERS: tuple[str, ...] = ("identities.v2", "quotations.v2", "disputes.v3", "factchecks.v1")


def linker(linker_id: str, produces: str) -> Callable[[Callable[[Connection], int]], Callable[[Connection], int]]:
    """Register ``func`` as the linker ``linker_id`` (``name.vN``); it returns how many links it made."""
    if "." not in linker_id or not linker_id.rsplit(".", 1)[1].startswith("v"):
        raise LinkerError(f"linker id {linker_id!r}: name it NAME.vN, e.g. identities.v2")

    def register(func: Callable[[Connection], int]) -> Callable[[Connection], int]:
        LINKERS[linker_id] = Linker(linker_id, produces, func, func.__doc__ or "")
        return func

    return register


def resolve_linkers(ids: Sequence[str] = DEFAULT_LINKERS) -> list[Linker]:
    """The registered linkers named in ``ids``, in that order (``record.relink`` registers them)."""
    unknown = [i for i in ids if i not in LINKERS]
    if unknown:
        raise LinkerError(f"unknown linker(s) {', '.join(unknown)}; known: {', '.join(sorted(LINKERS))}")
    return [LINKERS[i] for i in ids]


def words_digest() -> str:
    """What the linkers' words are: the digest of the lexicon in force (its identity words included)."""
    return in_force().digest


def linker_state(ids: Sequence[str] = DEFAULT_LINKERS) -> dict:
    """What a corpus stores about the linkers that made its links."""
    return {"linkers": list(ids), "words": words_digest()}

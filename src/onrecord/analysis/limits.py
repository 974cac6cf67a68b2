"""Limits on one article's analysis, so that no input can hold a run or a server.

Like trafilatura's limits, they bound the work rather than the result: an article that
goes past one is reported as failed, with the limit named, and the others go on. They are
not part of the extractor's identity (the settings digest): a record made within the limits
is the same record whatever they are.
"""

from __future__ import annotations

from dataclasses import dataclass


class AnalysisLimitError(RuntimeError):
    """An article went past a limit of its analysis."""


@dataclass(frozen=True)
class AnalysisLimits:
    """How much one article's analysis may take."""

    #: Seconds an article's analysis may run; checked before each parsed piece and after
    #: every step, so one piece (at most ``MAX_SEGMENT_CHARS``) or one step may go over.
    max_seconds: float = 120.0
    #: Most statements one article may hold (a news article has tens; tens of thousands
    #: means a planted or broken text, whose record would cost memory without use);
    #: the drafts are counted after every step, so the later steps do not run.
    max_statements: int = 5_000

    def __post_init__(self) -> None:
        if not self.max_seconds > 0 or self.max_statements < 1:
            raise ValueError(f"analysis limits must be positive, not {self}")


DEFAULT_LIMITS = AnalysisLimits()

"""Publication dates: one parser for the CLI, the corpus and the analysis.

A date given by a user or a reader is ISO text (``2025-03-15``, or a full timestamp whose
first ten characters are the day) or a ``date``; anything else is refused with the form
that is expected, so a typo never silently leaves every time expression unresolved.
"""

from __future__ import annotations

import re
from datetime import date


def parse_date(value: str | date | None) -> date | None:
    """A publication date from ISO text (``2025-03-15``, a full timestamp) or a date."""
    if value is None or isinstance(value, date):
        return value
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, e.g. 2025-03-15)")
    return date(int(match[1]), int(match[2]), int(match[3]))

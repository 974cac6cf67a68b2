"""Time expressions: when a statement was made, resolved against the publication date.

News dates speech relative to the day it is published: ``on Thursday`` is the latest
Thursday up to that day, ``yesterday`` the day before, ``last August`` the latest August
before the publication month, ``over the past week`` the seven days up to it. Those forms
are resolved here directly (dateparser returns nothing for several of them); other dates
(``March 3``, ``Sept. 11``) go to dateparser with the publication date as its base.
Inside a quotation a time is relative to when the speaker spoke, so it is resolved against
the statement's own date when that is known and left as text otherwise.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Token

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
TIME_WORDS = set(WEEKDAYS) | set(MONTHS) | set(RELATIVE_DAYS) | {
    "week", "month", "year", "morning", "afternoon", "evening", "night", "earlier", "later",
    "weekend", "day", "days", "weeks", "months", "years", "hours", "recently", "now",
}
_PERIODS = {"week": 7, "month": 30, "year": 365, "fortnight": 14}
_PAST_PERIOD = re.compile(r"(?:over|in|during|within)?\s*the\s+(?:past|last|previous)\s+(?:(\w+)\s+)?(week|month|year|fortnight)s?", re.I)
_LAST_MONTH = re.compile(r"\b(last|this|next)\s+(" + "|".join(MONTHS) + r")\b", re.I)
_LAST_UNIT = re.compile(r"\b(last|this|next)\s+(week|month|year|weekend)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "several": None}


def parse_date(value: str | date | None) -> date | None:
    """A publication date from ISO text (``2025-03-15``, a full timestamp) or a date."""
    if value is None or isinstance(value, date):
        return value
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, e.g. 2025-03-15)")
    return date(int(match[1]), int(match[2]), int(match[3]))


def resolve(text: str, base: date | None, future: bool = False) -> str | None:
    """An ISO 8601 date, month, year or interval for a time expression, or None."""
    if base is None:
        return None
    low = text.lower().strip()
    words = re.findall(r"[a-z]+|\d+", low)
    for word, shift in RELATIVE_DAYS.items():
        if word in words:
            return (base + timedelta(days=shift)).isoformat()
    for n, day in enumerate(WEEKDAYS):
        if day in words:
            back = (base.weekday() - n) % 7
            if future or "next" in words:
                return (base + timedelta(days=(n - base.weekday()) % 7 or 7)).isoformat()
            if "last" in words and back == 0:
                back = 7
            return (base - timedelta(days=back)).isoformat()
    period = _PAST_PERIOD.search(low)
    if period:
        count = _NUMBERS.get(period[1] or "", None) if period[1] and not period[1].isdigit() else (int(period[1]) if period[1] else 1)
        days = _PERIODS[period[2]] * (count or 1)
        return f"{(base - timedelta(days=days)).isoformat()}/{base.isoformat()}"
    month = _LAST_MONTH.search(low)
    if month:
        m = MONTHS.index(month[2].lower()) + 1
        year = base.year
        if month[1].lower() == "last" and m >= base.month:
            year -= 1
        if month[1].lower() == "next" and m <= base.month:
            year += 1
        return f"{year:04d}-{m:02d}"
    unit = _LAST_UNIT.search(low)
    if unit:
        return _relative_unit(unit[1].lower(), unit[2].lower(), base)
    return _dateparser(text, base)


def _relative_unit(which: str, unit: str, base: date) -> str:
    step = {"last": -1, "this": 0, "next": 1}[which]
    if unit in ("week", "weekend"):
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    if unit == "month":
        month = base.month + step
        year = base.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}"
    return f"{base.year + step:04d}"


@lru_cache(maxsize=2048)
def _dateparser(text: str, base: date) -> str | None:
    """Other absolute dates (``March 3``, ``Sept. 11, 2001``) through dateparser."""
    if not any(ch.isdigit() for ch in text) and not any(m[:3] in text.lower() for m in MONTHS):
        return None
    from datetime import datetime

    import dateparser

    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"]}
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on some odd strings; a time is optional
        return None
    if found is None:
        return None
    if re.search(r"\b\d{1,2}\b", text.replace(str(found.year), "")):
        return found.date().isoformat()
    return f"{found.year:04d}-{found.month:02d}"


def time_of(cue: Token, excluded, offset: int) -> tuple[int, int] | None:
    """The time phrase attached to a cue verb (``said on Thursday``), as char offsets.

    ``excluded(pos)`` is true for characters in the statement's content or speaker, which
    hold times of what was said, not of the saying.
    """
    for child in cue.children:
        if excluded(child.idx + offset):
            continue
        if child.dep_ in ("npadvmod", "tmod", "advmod") and _is_time(child):
            return _extent(child, offset)
        if child.dep_ == "prep" and child.lower_ in ("on", "in", "at", "during", "last", "this", "earlier", "late"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and _is_time(pobj):
                return _extent(child, offset)
    return None


def _is_time(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in TIME_WORDS


def _extent(tok: Token, offset: int) -> tuple[int, int]:
    return tok.left_edge.idx + offset, tok.right_edge.idx + len(tok.right_edge.text) + offset

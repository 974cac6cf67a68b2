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
from bisect import bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ...dates import parse_date
from ...lexicon import TimeWords, in_force
from ...model import TimeRef
from ..registry import step
from .syntax import is_time

if TYPE_CHECKING:
    from ..context import ArticleContext
    from .candidate import Candidate

#: Units of "last week", "this month", "next year" (resolved by ``_relative_unit``).
_UNITS = "week|month|year|weekend"


@lru_cache(maxsize=8)
def _patterns(periods: tuple[str, ...],
              months: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The time-phrase patterns for a lexicon's period and month words."""
    past = re.compile(r"(?:over|in|during|within)?\s*the\s+(?:past|last|previous)\s+(?:(\w+)\s+)?("
                      + "|".join(periods) + r")s?", re.I)
    month = re.compile(r"\b(last|this|next)\s+(" + "|".join(months) + r")\b", re.I)
    unit = re.compile(r"\b(last|this|next)\s+(" + _UNITS + r")\b", re.I)
    return past, month, unit


@step("when.v1", needs=("drafts",), produces="whens")
def statement_times(ctx: ArticleContext) -> list[TimeRef | None]:
    """When each statement was said, where its cue says (``said on Thursday``)."""
    return [_when(ctx, draft) for draft in ctx.drafts]


def _when(ctx: ArticleContext, draft: Candidate) -> TimeRef | None:
    if draft.cue_token is None:
        return None
    offset = ctx.offset_of(draft.cue_token) - draft.cue_token.idx
    found = time_of(draft.cue_token, draft.covers, offset, ctx.lexicon.time)
    if not found:
        return None
    text = ctx.span_text(found)
    published = ctx.published
    return TimeRef(start=found[0], end=found[1], text=text, date=resolve(text, published, words=ctx.lexicon.time),
                   relative_to="published" if published else None)


@step("times.v1", needs=("quotes", "drafts", "whens"), produces="times")
def article_times(ctx: ArticleContext) -> list[TimeRef]:
    """Every time expression of the article; those inside quotes relative to their statement."""
    found = []
    starts = [d.content[0] for d in ctx.drafts]
    words = ctx.lexicon.time
    for doc, offset in ctx.segments:
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            start, end = ent.start_char + offset, ent.end_char + offset
            text = ctx.text[start:end]
            owner = _owner(ctx, start, starts) if ctx.in_quote(start) else None
            if owner is not None:
                when = ctx.whens[owner]
                base = parse_date(when.date) if when and when.date and len(when.date) == 10 else None
                found.append(TimeRef(start=start, end=end, text=text, date=resolve(text, base, words=words),
                                     relative_to=f"s{owner + 1}"))
            else:
                found.append(TimeRef(start=start, end=end, text=text, date=resolve(text, ctx.published, words=words),
                                     relative_to="published" if ctx.published else None))
    return found


def _owner(ctx: ArticleContext, start: int, starts: list[int]) -> int | None:
    """The statement (index) whose content holds a quoted time: the nearest one before it."""
    k = bisect_right(starts, start)
    for n in range(k - 1, max(0, k - 20) - 1, -1):
        if start < ctx.drafts[n].content[1]:
            return n
    return None


def resolve(text: str, base: date | None, future: bool = False, words: TimeWords | None = None) -> str | None:
    """An ISO 8601 date, month, year or interval for a time expression, or None."""
    if base is None:
        return None
    vocab = words or in_force().time
    past_period, last_month, last_unit = _patterns(tuple(vocab.periods), vocab.months)
    low = text.lower().strip()
    parts = re.findall(r"[a-z]+|\d+", low)
    for word, shift in vocab.relative_days.items():
        if word in parts:
            return (base + timedelta(days=shift)).isoformat()
    for n, day in enumerate(vocab.weekdays):
        if day in parts:
            back = (base.weekday() - n) % 7
            if future or "next" in parts:
                return (base + timedelta(days=(n - base.weekday()) % 7 or 7)).isoformat()
            if "last" in parts and back == 0:
                back = 7
            return (base - timedelta(days=back)).isoformat()
    period = past_period.search(low)
    if period:
        count = vocab.numbers.get(period[1] or "", None) if period[1] and not period[1].isdigit() else (int(period[1]) if period[1] else 1)
        days = vocab.periods[period[2].lower()] * (count or 1)
        return f"{(base - timedelta(days=days)).isoformat()}/{base.isoformat()}"
    month = last_month.search(low)
    if month:
        m = vocab.months.index(month[2].lower()) + 1
        year = base.year
        if month[1].lower() == "last" and m >= base.month:
            year -= 1
        if month[1].lower() == "next" and m <= base.month:
            year += 1
        return f"{year:04d}-{m:02d}"
    unit = last_unit.search(low)
    if unit:
        return _relative_unit(unit[1].lower(), unit[2].lower(), base)
    return _dateparser(text, base, vocab.months)


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
def _dateparser(text: str, base: date, months: tuple[str, ...]) -> str | None:
    """Other absolute dates (``March 3``, ``Sept. 11, 2001``) through dateparser."""
    if not any(ch.isdigit() for ch in text) and not any(m[:3] in text.lower() for m in months):
        return None
    from datetime import datetime

    import dateparser

    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"]}
    try:
        found: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on some odd strings; a time is optional
        return None
    if found is None:
        return None
    if re.search(r"\b\d{1,2}\b", text.replace(str(found.year), "")):
        return found.date().isoformat()
    return f"{found.year:04d}-{found.month:02d}"


def time_of(cue: Token, excluded: Callable[[int], bool], offset: int, words: TimeWords) -> tuple[int, int] | None:
    """The time phrase attached to a cue verb (``said on Thursday``), as char offsets.

    ``excluded(pos)`` is true for characters in the statement's content or speaker, which
    hold times of what was said, not of the saying.
    """
    for child in cue.children:
        if excluded(child.idx + offset):
            continue
        if child.dep_ in ("npadvmod", "tmod", "advmod") and _says_when(child, words):
            return _extent(child, offset)
        if child.dep_ == "prep" and child.lower_ in words.prepositions:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and _says_when(pobj, words):
                return _extent(child, offset)
    return None


def _says_when(tok: Token, words: TimeWords) -> bool:
    return is_time(tok) or tok.lower_ in words.all_time_words


def _extent(tok: Token, offset: int) -> tuple[int, int]:
    return tok.left_edge.idx + offset, tok.right_edge.idx + len(tok.right_edge.text) + offset

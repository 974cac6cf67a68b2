"""A speaker's statements by week, as an inline SVG bar chart made on the server.

No script draws it and no stylesheet is needed to read it: every bar carries its week and
count in a ``<title>`` (a tooltip, and what a screen reader reads), the chart has a title and
a description, and the page prints the same numbers as a table. Text is escaped; the only
inputs are dates and counts, but a chart is no place to trust its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

#: Longest run of weeks drawn with the empty weeks between busy ones; a longer span draws
#: only the weeks with statements, so that a chart of years stays readable and bounded.
MAX_FILLED_WEEKS = 260
WIDTH, HEIGHT = 640, 160
TOP, BOTTOM, LEFT, RIGHT = 12, 28, 32, 8
#: Widest a week's slot is drawn, so that a speaker of one or two weeks gets bars, not a wall.
MAX_SLOT = 48
#: Narrowest chart, wide enough for its first and last week's labels.
MIN_WIDTH = 240


@dataclass
class Bar:
    """One week: its Monday, how many statements, and where it is drawn."""

    week: str
    count: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


def weeks_with_gaps(weeks: list[dict]) -> list[dict]:
    """The weeks from the first to the last with statements, the quiet ones at 0, so that
    the chart's spacing is time; only the busy weeks when the span is too long to draw."""
    if not weeks:
        return []
    counts = {w["week"]: w["count"] for w in weeks}
    first, last = date.fromisoformat(weeks[0]["week"]), date.fromisoformat(weeks[-1]["week"])
    span = (last - first).days // 7 + 1
    if span > MAX_FILLED_WEEKS:
        return list(weeks)
    days = (first + timedelta(weeks=i) for i in range(span))
    return [{"week": d.isoformat(), "count": counts.get(d.isoformat(), 0)} for d in days]


def chart_width(n: int) -> int:
    """How wide a chart of ``n`` weeks is drawn: as wide as its bars need, within bounds, so
    that a few weeks make a small chart that stays legible on a phone."""
    return max(MIN_WIDTH, min(WIDTH, LEFT + RIGHT + n * MAX_SLOT))


def layout(weeks: list[dict]) -> list[Bar]:
    """Bars scaled to the busiest week, side by side across the chart's width."""
    if not weeks:
        return []
    top = max(w["count"] for w in weeks) or 1
    slot = min(MAX_SLOT, (chart_width(len(weeks)) - LEFT - RIGHT) / len(weeks))
    gap = min(4.0, slot * 0.2)
    plot = HEIGHT - TOP - BOTTOM
    bars = []
    for i, w in enumerate(weeks):
        h = plot * w["count"] / top
        bars.append(Bar(w["week"], w["count"], round(LEFT + i * slot + gap / 2, 2), round(TOP + plot - h, 2),
                        round(slot - gap, 2), round(h, 2)))
    return bars


def _plural(n: int) -> str:
    return f"{n} statement{'' if n == 1 else 's'}"


def timeline_svg(weeks: list[dict], who: str) -> Markup:
    """The chart of ``weeks`` (``[{"week": "2025-06-02", "count": 3}, ...]``, with gaps filled)
    for the speaker named ``who``; empty markup when there are no dated statements."""
    bars = layout(weeks)
    if not bars:
        return Markup("")
    total = sum(b.count for b in bars)
    busiest = max(bars, key=lambda b: b.count)
    title = f"Statements by {who}, by week"
    desc = (f"{_plural(total)} over {len(bars)} week{'' if len(bars) == 1 else 's'}, from the week of "
            f"{bars[0].week} to the week of {bars[-1].week}; the busiest, the week of {busiest.week}, "
            f"has {_plural(busiest.count)}.")
    base = HEIGHT - BOTTOM
    width = chart_width(len(bars))
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" role="img" '
             f'aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="tl-title">{escape(title)}</title>', f'<desc id="tl-desc">{escape(desc)}</desc>',
             f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{width - RIGHT}" y2="{base}" stroke="#555" />',
             f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{busiest.count}</text>',
             f'<text class="tick" x="{LEFT - 4}" y="{base}" text-anchor="end">0</text>']
    for b in bars:
        parts.append(f'<rect class="bar" x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" fill="#0b4f9c" '
                     f'data-week="{escape(b.week)}" data-count="{b.count}">'
                     f'<title>Week of {escape(b.week)}: {_plural(b.count)}</title></rect>')
    parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 8}">week of {escape(bars[0].week)}</text>')
    if len(bars) > 1:
        end = bars[-1].x + bars[-1].width
        parts.append(f'<text class="tick" x="{round(max(end, LEFT + 180), 2)}" y="{HEIGHT - 8}" text-anchor="end">'
                     f'{escape(bars[-1].week)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

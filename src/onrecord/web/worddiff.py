"""Two printings of one quotation side by side, with the words that differ marked.

The words are compared as the quotation linker compares them (``record.quotations``:
the same tokens, folded the same way), so the page marks exactly the changes the record
reports: inside the stretch both printings share, a word changed or dropped is struck in
the first printing and a word changed or added is marked in the other; words outside that
stretch (a printing that quotes only part of the sentence) are shown as not printed, not
as changes. Every piece of text is escaped.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from ..record.quotations import fold

_TOKEN = re.compile(r"[\w’'-]+")


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _wrap(text: str, spans: list[tuple[int, int]], marks: dict[int, str], tag: str) -> Markup:
    """``text`` escaped, each run of tokens with the same mark wrapped in ``tag``."""
    out, at, n = [], 0, 0
    while n < len(spans):
        kind = marks.get(n)
        if kind is None:
            n += 1
            continue
        end = n
        while end + 1 < len(spans) and marks.get(end + 1) == kind:
            end += 1
        start_char, end_char = spans[n][0], spans[end][1]
        element = tag if kind != "unprinted" else "span"
        out += [escape(text[at:start_char]),
                Markup(f'<{element} class="{kind}">'), escape(text[start_char:end_char]), Markup(f"</{element}>")]
        at, n = end_char, end + 1
    out.append(escape(text[at:]))
    return Markup("").join(out)


def side_by_side(first: str, other: str) -> tuple[Markup, Markup]:
    """``first`` and ``other`` as safe HTML: in ``first`` the words ``other`` changed or
    dropped (``<del>``) and those it does not print; in ``other`` the words it changed or
    added (``<ins>``)."""
    a_spans, b_spans = _spans(first), _spans(other)
    a = [fold(first[s:e]) for s, e in a_spans]
    b = [fold(other[s:e]) for s, e in b_spans]
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    first_marks: dict[int, str] = {}
    other_marks: dict[int, str] = {}
    equal = [n for n, op in enumerate(ops) if op[0] == "equal"]
    inner = range(equal[0], equal[-1] + 1) if equal else range(0)
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        if n not in inner:  # before or after the shared stretch: one printing quotes more
            first_marks.update((i, "unprinted") for i in range(i1, i2))
            other_marks.update((j, "unprinted") for j in range(j1, j2))
            continue
        change = {"replace": "changed", "delete": "dropped", "insert": "added"}[tag]
        first_marks.update((i, change) for i in range(i1, i2))
        other_marks.update((j, change) for j in range(j1, j2))
    return _wrap(first, a_spans, first_marks, "del"), _wrap(other, b_spans, other_marks, "ins")

"""Text from articles made safe for where it is written: a terminal, or a spreadsheet.

Article text is untrusted. On a terminal, an ESC sequence in a title could clear the
screen, set the window title or hide what follows; a bidirectional override could show a
line in another order than it is stored. In a spreadsheet, a CSV cell that starts with
``=`` (or ``+``, ``-``, ``@``, a tab, a carriage return) is taken for a formula, and
``=HYPERLINK(...)`` runs when the reader clicks. Control characters are therefore shown
escaped in tables, and such cells are neutralised in CSV the way OWASP recommends: a
single quote is put in front, which spreadsheets show as text and do not evaluate.
"""

from __future__ import annotations

import csv
import re
from typing import IO

#: C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: What a CSV cell may not start with unless neutralised (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN`` (``\\uNNNN``), never sent."""
    return _CONTROL.sub(_escaped, text)


def one_line(text: str) -> str:
    """``text`` for a heading on a terminal: controls escaped, and a line break shown as
    ``\\n`` rather than sent, so that an article's title cannot forge a line of output."""
    return terminal_safe(text).replace("\n", "\\n").replace("\t", "\\t")


#: What JSON text may carry raw but a terminal would act on: C1 controls (U+009B starts a
#: control sequence) and the bidirectional controls (U+202E shows a line reversed).
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: the same JSON to a
    parser, harmless on a terminal. (They can only occur inside JSON strings.)"""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_cell(value):
    """A value for a CSV cell: text that a spreadsheet would take for a formula gets a
    leading ``'``; numbers and other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


#: Every CSV onrecord writes ends its lines as RFC 4180 says. It also makes the writer quote a
#: cell holding a lone carriage return, which a spreadsheet would otherwise take for a new row
#: (and the text after it for a new cell, formulas included).
CSV_LINE_END = "\r\n"


def csv_writer(handle: IO[str]):
    """The one CSV writer of every surface (CLI tables as CSV, exports, web downloads)."""
    return csv.writer(handle, lineterminator=CSV_LINE_END)

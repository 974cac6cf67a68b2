"""Making an article's text safe to parse, without moving a single offset.

Every change here keeps the text's length, character for character, so that offsets found
in the prepared text are offsets into the text as given:

- a lone surrogate (``"\\ud800"`` in JSON, a bad character reference) cannot be encoded as
  UTF-8, and spaCy hashes every token's UTF-8 bytes: it becomes U+FFFD, both in the text
  the steps read and in the text the parser reads;
- a long run of punctuation without spaces (``"`` × 20,000) makes spaCy's tokenizer work
  in quadratic time, since it strips one prefix or suffix at a time off the rest of the
  run: for the parser only, the inside of such a run is blanked, so the parser sees the
  run's ends and a stretch of spaces. The steps still read the run as it is.

Normal news has neither, so its parse, and its record, are unchanged.
"""

from __future__ import annotations

import re

#: Longest run of punctuation (no letters, digits or spaces) handed to the tokenizer whole.
MAX_PUNCT_RUN = 64
#: Characters kept at each end of a longer run, so that it still opens or closes what it did.
RUN_ENDS = 8

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))


def safe_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (same length)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def parser_text(text: str) -> str:
    """The text the parser reads: long punctuation runs blanked inside (same length)."""
    return _PUNCT_RUN.sub(_blank_inside, text)


def _blank_inside(match: re.Match[str]) -> str:
    run = match.group()
    return run[:RUN_ENDS] + " " * (len(run) - 2 * RUN_ENDS) + run[-RUN_ENDS:]

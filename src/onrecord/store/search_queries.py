"""What a page of search results shows beside each statement: the words the search matched
and the sentence around it in its article.

Both are read for a whole page at once (one query each, by statement id), never row by row;
the two selects are built once and take the ids and words as parameters.
The matched words come from the database's own full-text engine (SQLite FTS5 ``highlight``,
PostgreSQL ``ts_headline``), so they are exactly the words the search matched, stemmed as it
stems them; they are returned as character offsets into the statement's content, and the
pages escape the text themselves (no markup from the database reaches a page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, bindparam, case, func, literal_column, select

from .queries import FTS, _TERM, fts_query
from .schema import articles, statements

#: Most characters of article text read on each side of a statement for its context.
CONTEXT_CHARS = 240
#: Marks that the database puts around matched words. Unicode noncharacters: reserved for a
#: program's internal use, never meaningful text; a content holding them is not highlighted.
OPEN, CLOSE = "\ufdd0", "\ufdd1"
#: Where one sentence ends and the next begins: end punctuation, closing quotes or brackets,
#: then space; or a line break (headlines, datelines and paragraphs end there).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*")
#: Abbreviations whose full stop ends no sentence ("Mr. Putin said").
_ABBREVIATIONS = frozenset("mr mrs ms dr st gen lt col sgt capt prof sen rep gov jr sr no vs u.s u.k u.n e.g i.e"
                           .split())


def matched_spans(conn: Connection, ids: Iterable[int], query: str) -> dict[int, list[tuple[int, int]]]:
    """Where the words of ``query`` occur in the content of each statement, as the search
    matched them: ``{statement_id: [(start, end), ...]}`` (offsets into the content)."""
    ids = list(ids)
    if not ids or not _TERM.search(query or ""):
        return {}
    if conn.dialect.name == "postgresql":
        params = {"ids": ids, "words": " ".join(_TERM.findall(query))}
    else:
        params = {"ids": ids, "match": fts_query(query)}
    found = {}
    for statement_id, content, text in conn.execute(_marks_select(conn.dialect.name), params):
        spans = spans_between_marks(text or "", content)
        if spans:
            found[statement_id] = spans
    return found


@lru_cache(maxsize=4)
def _marks_select(dialect: str):
    """Each statement's content with the matched words marked, for the ids and the words of
    the parameters (``ids`` and ``words`` or ``match``); built once, as every page asks it."""
    ids = statements.c.id.in_(bindparam("ids", expanding=True))
    if dialect == "postgresql":
        tsquery = func.plainto_tsquery("english", bindparam("words"))
        marked = func.ts_headline("english", statements.c.content, tsquery,
                                  f"HighlightAll=true, StartSel={OPEN}, StopSel={CLOSE}")
        return select(statements.c.id, statements.c.content, marked).where(ids)
    marked = func.highlight(literal_column("statements_fts"), 0, OPEN, CLOSE)
    return (select(statements.c.id, statements.c.content, marked)
            .join(FTS, FTS.c.rowid == statements.c.id)
            .where(literal_column("statements_fts").op("MATCH")(bindparam("match"))).where(ids))


def spans_between_marks(marked: str, original: str) -> list[tuple[int, int]]:
    """The stretches of ``original`` that ``marked`` (the same text with ``OPEN``/``CLOSE``
    around matched words) marks; none when the two texts differ otherwise, so that a text
    that itself holds the marks, or one the engine changed, is shown plain rather than wrong."""
    spans, plain, start = [], [], None
    for piece in re.split(f"([{OPEN}{CLOSE}])", marked):
        if piece == OPEN:
            start = sum(map(len, plain))
        elif piece == CLOSE:
            if start is None:
                return []
            end = sum(map(len, plain))
            if end > start:
                spans.append((start, end))
            start = None
        else:
            plain.append(piece)
    if start is not None or "".join(plain) != original:
        return []
    return spans


def statement_contexts(conn: Connection, ids: Iterable[int], width: int = CONTEXT_CHARS) -> dict[int, dict]:
    """The sentence(s) around each statement in its article: ``{statement_id: {"before",
    "after", "clipped_before", "clipped_after"}}``. Reads at most ``width`` characters of
    article text on each side of each statement, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    found = {}
    for row in conn.execute(_windows_select(width), {"ids": ids}):
        before, after = row.before or "", row.after or ""
        found[row.id] = sentence_around(before, row.content, after, more_before=row.window_start > 0,
                                        more_after=len(after) == width)
    return found


@lru_cache(maxsize=4)
def _windows_select(width: int):
    """Each statement with ``width`` characters of its article on either side, for the ids
    of the ``ids`` parameter; built once."""
    start, end = statements.c.content_start, statements.c.content_end
    window_start = case((start > width, start - width), else_=0)  # 0-based; substr counts from 1
    return (select(statements.c.id, statements.c.content, window_start.label("window_start"),
                   func.substr(articles.c.text, window_start + 1, start - window_start).label("before"),
                   func.substr(articles.c.text, end + 1, width).label("after"))
            .join(articles, articles.c.id == statements.c.article_id)
            .where(statements.c.id.in_(bindparam("ids", expanding=True))))


def sentence_around(before: str, content: str, after: str, *, more_before: bool = False,
                    more_after: bool = False) -> dict:
    """The part of ``before`` and ``after`` that belongs to the sentence(s) holding ``content``.

    ``more_before``/``more_after`` say whether the article goes on past the windows; where no
    sentence boundary falls inside a window, the context is cut at a word and marked clipped.
    """
    text = before + content + after
    c_start, c_end = len(before), len(before) + len(content)
    first, last = 0, len(text)
    clipped_before, clipped_after = more_before, more_after
    for m in _SENTENCE_END.finditer(text):
        stop = m.start() + len(m.group().rstrip())  # the end of the punctuation and quotes
        if m.end() <= c_start and not _after_abbreviation(text, m.start()):
            first, clipped_before = m.end(), False
        elif stop >= c_end and not _after_abbreviation(text, m.start()):
            last, clipped_after = stop, False
            break
    if clipped_before and first == 0:
        first = _word_start(text, 0, c_start)
    if clipped_after and last == len(text):
        last = _word_end(text, c_end, len(text))
    return {"before": text[first:c_start].lstrip(), "after": text[c_end:last].rstrip(),
            "clipped_before": clipped_before, "clipped_after": clipped_after}


def _after_abbreviation(text: str, at: int) -> bool:
    """Whether the full stop at ``at`` closes an abbreviation or an initial (``George W. Bush``)
    rather than a sentence."""
    if text[at] != ".":
        return False
    word = re.search(r"[\w.]+$", text[max(0, at - 8):at])
    if not word:
        return False
    word = word.group().strip(".")
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _word_start(text: str, lo: int, hi: int) -> int:
    """The first word start in ``text[lo:hi]`` after a space (a window cut mid-word drops the part)."""
    space = text.find(" ", lo, hi)
    return space + 1 if space != -1 else lo


def _word_end(text: str, lo: int, hi: int) -> int:
    """The last word end in ``text[lo:hi]`` before a space."""
    space = text.rfind(" ", lo, hi)
    return space if space != -1 and space > lo else hi

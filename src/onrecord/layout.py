"""What a news story carries before its first sentence: its headline, byline and dateline.

A plain-text story usually opens with its headline on a line of its own, sometimes a
byline (``By Jane Doe``, ``Jane Doe, Reuters``), and a dateline before the first sentence
(``BERLIN, May 5 (Reuters) -``, ``WASHINGTON —``, ``KYIV, Ukraine, March 12, 2025 -``).
``find_layout`` finds them by shape, with the words of ``data/layout.toml`` (agencies,
byline openers, dashes) and the month names of ``data/time.toml``. Readers use it to give
a story its title, author, place and date when the input does not say them (``guess``);
the analysis uses it to keep these lines out of attribution (``layout.v1``). It imports no
NLP library, and it never changes the text: every span is an offset into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .lexicon import Lexicon, in_force
from .names import clean_name

#: A headline is a first line of at most this many words ...
HEADLINE_MAX_WORDS = 25
#: ... and characters.
HEADLINE_MAX_CHARS = 200
#: A byline line has at most this many words.
BYLINE_MAX_WORDS = 12
#: A dateline is at most this many characters, dash included.
DATELINE_MAX_CHARS = 90
#: A caption (a line with a photo credit) has at most this many words.
CAPTION_MAX_WORDS = 60
#: A dateline date without a year is in the year of the reference date, unless that puts it
#: more than this many days after it (a December dateline on a story of January 2).
DATELINE_AHEAD_DAYS = 31

_CLOSING = ".!?;:,…"
_QUOTES = "\"'“”‘’«»"
_NAME = r"[A-Z][\w.'’\-]*"  # one word of a name: Jane, O'Neil, J., Smith-Jones
_WORD = re.compile(r"\S+")


@dataclass
class Layout:
    """The headline, byline and dateline of a story (offsets into its text), and what they say."""

    headline: tuple[int, int] | None = None
    byline: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    author: str | None = None
    place: str | None = None
    agency: str | None = None
    month_day: tuple[int, int] | None = None
    year: int | None = None
    #: lines of page furniture in the text: video and promo labels, captions (``furniture``)
    furniture: list[tuple[int, int]] = field(default_factory=list)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The spans that are no part of the story's sentences, in text order."""
        return sorted([*(s for s in (self.headline, self.byline, self.dateline) if s), *self.furniture])

    def covering(self, pos: int) -> tuple[int, int] | None:
        """The layout span holding character ``pos``, if any."""
        return next((s for s in self.spans if s[0] <= pos < s[1]), None)

    def date(self, reference: date | None = None) -> date | None:
        """The dateline's date: its own year, else the reference date's (``--published``)."""
        if self.month_day is None:
            return None
        month, day = self.month_day
        year = self.year or (reference.year if reference else None)
        if year is None:
            return None
        try:
            found = date(year, month, day)
            if self.year is None and reference and found > reference + timedelta(days=DATELINE_AHEAD_DAYS):
                found = date(year - 1, month, day)
        except ValueError:
            return None
        return found


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, leading and trailing blanks left out."""
    found = []
    for m in re.finditer(r"[^\n]*", text):
        if m.start() > 0 and text[m.start() - 1] != "\n" and not m.group():
            continue  # the empty match after a line's end
        raw = m.group()
        stripped = raw.strip()
        start = m.start() + (len(raw) - len(raw.lstrip()))
        found.append((start, start + len(stripped)))
    return found


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text).lower().split())


_PATTERNS: dict[str, tuple] = {}


def _patterns(lexicon: Lexicon) -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset[str]]:
    """The dateline and byline patterns of a lexicon's words, made once per set of words."""
    found = _PATTERNS.get(lexicon.digest)
    if found is None:
        found = _PATTERNS[lexicon.digest] = _make_patterns(lexicon)
    return found


def _make_patterns(lexicon: Lexicon) -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset[str]]:
    words = lexicon.layout
    months = lexicon.time.months
    prefixes = sorted({m[:k] for m in months for k in range(3, len(m) + 1)}, key=len, reverse=True)
    month = "(?i:" + "|".join(map(re.escape, prefixes)) + ")"
    dashes = "|".join(re.escape(d) for d in sorted(words.dashes, key=len, reverse=True))
    dateline = re.compile(
        r"(?P<place>(?:[A-Z][A-Z.'’\-]+|[A-Z][a-z][\w.'’\-]*)(?:[ \-](?:[A-Z][A-Z.'’\-]+|[A-Z][a-z][\w.'’\-]*)){0,3})"
        r"(?P<region>(?:,\s*(?!" + month + r"\.?\s+\d)" + _NAME + r"(?:\s+" + _NAME + r"){0,2}){0,2})"
        r"(?:,?\s+(?P<month>" + month + r")\.?\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?)?"
        # "(Reuters)", or a press release's wire: "May 13, 2024 /PRNewswire/ --"
        r"(?:\s*\((?P<agency>[^()\n]{1,40})\)|\s+/(?P<wire>[^/\n]{1,40})/)?"
        r"\s*(?:" + dashes + r")(?=[ \t]*\S)")
    names = _NAME + r"(?:\s+" + _NAME + r"){0,4}"
    joiners = "|".join(re.escape(j) for j in sorted(words.byline_joiners, key=len, reverse=True))
    openers = "|".join(re.escape(o) for o in sorted(words.byline_openers, key=len, reverse=True))
    by = re.compile(r"(?i:" + openers + r")\s+(?P<names>" + names + r"(?:\s*(?:,|" + joiners + r")\s*" + names
                    + r")*?)(?:\s*(?:,|-|—|–)\s*(?P<agency>[\w .&\-]{2,40}))?\s*$")
    signed = re.compile(r"(?P<names>" + names + r")\s*(?:,|-|—|–|/)\s*(?P<agency>[\w .&\-]{2,40})$")
    return dateline, by, signed, frozenset(a.lower() for a in words.agencies)


#: How far down a press release's full dateline is looked for (lines, characters).
LATE_DATELINE_LINES = 6
LATE_DATELINE_CHARS = 1200


def _month_number(word: str, months: tuple[str, ...]) -> int | None:
    word = word.lower().rstrip(".")
    return next((i for i, m in enumerate(months, 1) if len(word) >= 3 and m.startswith(word)), None)


def _place_name(text: str) -> str:
    """``KYIV, Ukraine`` → ``Kyiv, Ukraine``; ``N.Y.`` and ``US`` stay as they are."""
    def word(w: str) -> str:
        return w.capitalize() if w.isupper() and len(w) > 2 and "." not in w else w
    return re.sub(r"[\w.'’]+", lambda m: word(m.group()), " ".join(text.split()))


def _dateline(text: str, start: int, lexicon: Lexicon) -> tuple[tuple[int, int], dict] | None:
    pattern, _, _, agencies = _patterns(lexicon)
    m = pattern.match(text, start)
    if m is None or m.end() - start > DATELINE_MAX_CHARS:
        return None
    place = m.group("place")
    caps = any(len(w) > 1 and w.isupper() for w in re.findall(r"[A-Za-z]+", place)) and \
        all(w.isupper() or len(w) <= 1 for w in re.findall(r"[A-Za-z]+", place))
    agency = m.group("agency") or m.group("wire")
    if not caps and not (m.group("month") or agency):
        return None  # "Washington - the..." could be prose; a capitalised place needs a date or agency
    if not caps and agency and agency.lower() not in agencies and not m.group("month"):
        return None
    info: dict = {"place": _place_name(place + (m.group("region") or "")), "agency": agency}
    if m.group("month"):
        number = _month_number(m.group("month"), lexicon.time.months)
        if number is None:
            return None
        info["month_day"] = (number, int(m.group("day")))
        info["year"] = int(m.group("year")) if m.group("year") else None
    return (start, m.end()), info


def _byline(line: str, lexicon: Lexicon) -> str | None:
    """The author(s) a byline line names, or None when the line is no byline."""
    if len(_WORD.findall(line)) > BYLINE_MAX_WORDS:
        return None
    _, by, signed, agencies = _patterns(lexicon)
    m = by.match(line)
    if m:
        names = m.group("names")
    else:
        m = signed.match(line)
        if m is None or m.group("agency").strip().lower() not in agencies:
            return None
        names = m.group("names")
    joiners = "|".join(re.escape(j) for j in lexicon.layout.byline_joiners)
    parts = [p.strip() for p in re.split(r"\s*(?:,|\s(?:" + joiners + r")\s)\s*", names) if p.strip()]
    return ", ".join(parts) or None


def split_authors(author: str | None, lexicon: Lexicon | None = None) -> list[str]:
    """The people an author field names, one a name: ``By A and B`` is two authors.

    ``;`` and ``|`` (how pages and trafilatura list authors) and the byline joiners
    (``and``, ``&``) always separate; a comma separates only when every part is a name of
    two words or more, so ``Doe, Jane`` (surname first) stays one author. A part that is no
    name (``Special opinion``, ``staff``) is a label, left out when a name stands beside it.
    """
    if not author or not author.strip():
        return []
    lexicon = lexicon or in_force()
    joiners = "|".join(re.escape(j) for j in lexicon.layout.byline_joiners)
    parts = [p.strip() for p in re.split(r"\s*(?:[;|]|\s(?:" + joiners + r")\s)\s*", author.strip()) if p.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(_WORD.findall(p)) >= 2 for p in pieces):
            names.extend(pieces)
        else:
            names.append(part)
    # a byline's label beside the name ("Dr Marisol Ortega; Special to the Ledger") names nobody
    labels = lexicon.layout.byline_labels
    named = [n for n in names if clean_name(n, "person") is not None
             and not any(" ".join(n.lower().split()[:k]) in labels for k in (1, 2, 3))]
    return named or names


def _headline_shape(line: str) -> bool:
    words = _WORD.findall(line)
    bare = line.rstrip(_QUOTES + " ")
    return (2 <= len(words) <= HEADLINE_MAX_WORDS and len(line) <= HEADLINE_MAX_CHARS
            and bool(bare) and bare[-1] not in _CLOSING and any(c.isalpha() for c in line))


def find_layout(text: str, lexicon: Lexicon | None = None, title: str | None = None) -> Layout:
    """The headline, byline and dateline at the top of ``text``, as far as their shape tells.

    The first line is the headline when it equals the given ``title`` (punctuation aside),
    or when it reads as one: short, without closing punctuation, followed by a blank line,
    a byline or a dateline. A byline may follow it (or open the text); the dateline opens
    the first line of the story proper.
    """
    lexicon = lexicon or in_force()
    layout = Layout()
    lines = _lines(text[:20_000])
    filled = [(i, s, e) for i, (s, e) in enumerate(lines) if e > s]
    if not filled:
        return layout
    k = 0  # index into filled of the line being looked at
    first_i, s, e = filled[0]
    first = text[s:e]

    def blank_after(i: int) -> bool:
        return i + 1 < len(lines) and lines[i + 1][1] == lines[i + 1][0]

    next_line = text[filled[1][1]:filled[1][2]] if len(filled) > 1 else ""
    next_start = filled[1][1] if len(filled) > 1 else None
    is_title = bool(title) and _comparable(first) == _comparable(title) and bool(_comparable(first))
    if len(filled) > 1 and (is_title or (_headline_shape(first) and _byline(first, lexicon) is None
                                         and _dateline(text, s, lexicon) is None
                                         and (blank_after(first_i) or _byline(next_line, lexicon)
                                              or _dateline(text, next_start, lexicon)))):
        layout.headline = (s, e)
        k = 1
    if k < len(filled) and len(filled) > k + 1:
        _, s, e = filled[k]
        author = _byline(text[s:e], lexicon)
        if author:
            layout.byline, layout.author = (s, e), author
            k += 1
    heading: list[tuple[int, int]] = []
    if k < len(filled):
        found = _dateline(text, filled[k][1], lexicon)
        if not found:
            found, heading = _late_dateline(text, filled[k:], lexicon)
        if found:
            layout.dateline, info = found
            layout.place, layout.agency = info["place"], info["agency"]
            layout.month_day, layout.year = info.get("month_day"), info.get("year")
    taken = set(layout.spans)
    layout.furniture = sorted(set(heading) | {s for s in furniture(text, lexicon) if s not in taken})
    return layout


def _late_dateline(text: str, lines: list[tuple[int, int, int]], lexicon: Lexicon,
                   ) -> tuple[tuple[tuple[int, int], dict] | None, list[tuple[int, int]]]:
    """A full dateline (place, date and agency or wire) a few lines down, and the lines above
    it: a press release opens with labels, a headline and a deck (``NORTHBRIDGE, May 13, 2024
    /PRNewswire/ --`` opens the story after them), and a story begins at its dateline, so
    those lines are its heading, never statements."""
    for n, (_, start, _) in enumerate(lines[:LATE_DATELINE_LINES]):
        if start > LATE_DATELINE_CHARS:
            break
        found = _dateline(text, start, lexicon)
        if found and found[1].get("month_day") and found[1].get("agency"):
            return found, [(s, e) for _, s, e in lines[:n]]
    return None, []


_FURNITURE: dict[str, re.Pattern] = {}
#: A clip's running time closing a line: "... jokes about the weather. (1:12)"
_RUNNING_TIME = re.compile(r"\(\d{1,2}:\d{2}(?::\d{2})?\)\s*$")


def furniture(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """The lines of a saved page's text that are its furniture, not its story: a video or
    promo label and what follows it (``WATCH: Mayor says the dam is safe``, ``Read more:
    Senator says ...``: the words of another page), and photo captions, known by their
    credit (``... at practice. (Photo: Jane Roe/The Herald)``), and a video's blurb (``In the
    video, Feld says ...``, or a line ending in a running time ``(1:12)``). Words of
    ``layout.toml``."""
    lexicon = lexicon or in_force()
    label = _FURNITURE.get(lexicon.digest)
    if label is None:
        labels = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                          sorted(lexicon.layout.furniture_labels, key=len, reverse=True))
        label = _FURNITURE[lexicon.digest] = re.compile(
            r"(?i:" + (labels or r"(?!)") + r")\s*(?:[:|»›>]|[-–—]\s|$)")
    marks = tuple(lexicon.layout.caption_marks)
    blurbs = tuple(lexicon.layout.video_blurbs)
    found = []
    for start, end in _lines(text):
        line = text[start:end]
        if not line:
            continue
        lowered = line.lower()
        short = len(_WORD.findall(line)) <= CAPTION_MAX_WORDS
        if label.match(line) or (short and (any(m in lowered for m in marks) or lowered.startswith(blurbs)
                                            or _RUNNING_TIME.search(line))):
            found.append((start, end))
    return found


def guess(article, lexicon: Lexicon | None = None) -> None:
    """Give an ``ArticleInput`` the title, author, place and date its text shows, where the
    input did not say them; ``article.origin`` records where each field came from
    (``metadata``: the input's own; ``headline``, ``byline``, ``dateline``: guessed)."""
    origin = article.origin
    for name in ("title", "published", "author", "site", "url"):
        if getattr(article, name) and name not in origin:
            origin[name] = "metadata"
    lexicon = lexicon or in_force()
    layout = find_layout(article.text, lexicon, title=article.title)
    article.layout = (lexicon.digest, layout)  # found once: the analysis takes it (layout.v1)
    if layout.headline and not article.title:
        article.title = article.text[layout.headline[0]:layout.headline[1]].strip()
        origin["title"] = "headline"
    if layout.author and not article.author:
        article.author, origin["author"] = layout.author, "byline"
    if layout.place and not article.place:
        article.place, origin["place"] = layout.place, "dateline"
    dated = layout.date()
    if dated and not article.published:
        article.published, origin["published"] = dated.isoformat(), "dateline"


def give(article, **given) -> None:
    """Fields given on the command line (``--published``, ``--site``, ``--title``): they fill
    what the input lacks and beat what was guessed from its text, never the input's own."""
    for name, value in given.items():
        if value is None:
            continue
        if name == "kind":  # the user's word on what the pages are beats every guess
            article.kind, article.kind_evidence, article.origin[name] = value, ["given with --kind"], "option"
        elif not getattr(article, name) or article.origin.get(name) not in ("metadata",):
            setattr(article, name, value)
            article.origin[name] = "option"
            if name == "title":
                article.layout = None  # another title may make another headline: found again

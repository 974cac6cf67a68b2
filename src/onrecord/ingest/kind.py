"""What kind of page an input is, and the evidence: news, opinion, interview, press release,
or not news at all (reference, forum, fiction, listing, tutorial).

Users save pages of every kind, and a game wiki's dialogue lines, a forum thread or a
tutorial's "you should" are not statements anyone made to the press. The kind is decided
from the page's own word first (schema.org types, Open Graph ``og:type``: what the
publisher declared), then from how the text is written:

* **news** shows a dateline or a byline, or reports speech (``said``, ``told``,
  ``according to``) at a news rate;
* **opinion** is written in the first person outside quotations, under a byline;
* **interview** is a transcript: turns labelled ``Q:``/``A:`` or with speakers' names;
* **press release** carries a wire service's or a company's release markers (``FOR
  IMMEDIATE RELEASE``, ``PRNewswire``, ``Media contact``, ``About Acme``);
* **not news** has the marks of a forum (posts, replies, ``wrote:``), a listing (prices,
  ``Add to cart``), a tutorial (steps, ``you`` on every line, ingredients), or fiction and
  reference (dialogue without reporting, no date, no byline) — and no sign of reporting.

A page with no evidence either way is news, as before: a record that leaves out a real
story's statements fails its user as surely as one that lists a forum's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

NEWS, OPINION, INTERVIEW, PRESS_RELEASE, NOT_NEWS = "news", "opinion", "interview", "press-release", "not-news"
KINDS: tuple[str, ...] = (NEWS, OPINION, INTERVIEW, PRESS_RELEASE, NOT_NEWS)

#: schema.org types (lower case) and what each declares.
SCHEMA_KINDS: dict[str, str] = {
    "newsarticle": NEWS, "reportagenewsarticle": NEWS, "backgroundnewsarticle": NEWS,
    "askpublicnewsarticle": NEWS, "liveblogposting": NEWS,
    "opinionnewsarticle": OPINION, "analysisnewsarticle": OPINION, "reviewnewsarticle": OPINION,
    "discussionforumposting": NOT_NEWS, "qapage": NOT_NEWS, "socialmediaposting": NOT_NEWS,
    "product": NOT_NEWS, "productgroup": NOT_NEWS, "offer": NOT_NEWS, "recipe": NOT_NEWS, "howto": NOT_NEWS,
    "faqpage": NOT_NEWS, "shortstory": NOT_NEWS, "book": NOT_NEWS, "videogame": NOT_NEWS,
}
#: Open Graph types that say a page is not an article.
OG_NOT_NEWS = {"product", "book", "video.movie", "video.episode", "video.tv_show", "music.song", "music.album",
               "profile", "game"}

_LD_JSON = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_OG_TYPE = re.compile(r"<meta[^>]+property=[\"']og:type[\"'][^>]*content=[\"']([^\"']+)|"
                      r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*property=[\"']og:type", re.I)

#: A wiki's marks in its HTML: MediaWiki's body class or generator, a site named a wiki.
_WIKI_HTML = re.compile(r"<body[^>]+class=[\"'][^\"']*\bmediawiki\b|<meta[^>]+name=[\"']generator[\"'][^>]+MediaWiki|"
                        r"<meta[^>]+property=[\"']og:site_name[\"'][^>]+content=[\"'][^\"']*\bWiki(?:pedia)?\b", re.I)
#: Literature declared by its title or section: "The Last Ferry — Fiction by Ada Winslow",
#: article:section "Short Stories"; a news story *about* a fiction prize says neither.
_TITLE = re.compile(r"<title[^>]*>([^<]{1,300})</title>", re.I)
_FICTION_TITLE = re.compile(r"\b(?:fiction|a short story|flash fiction|poem|poetry)\s+by\b|"
                            r"[|–—:]\s*(?:fiction|short stor(?:y|ies)|flash fiction|poetry)\s*(?:[|–—]|$)", re.I)
_SECTION = re.compile(r"<meta[^>]+property=[\"']article:section[\"'][^>]+content=[\"']([^\"']+)", re.I)
_LITERARY_SECTIONS = {"fiction", "short stories", "short story", "flash fiction", "poetry", "poems", "serial fiction"}
#: A genre label alone on one of a text's first lines ("FICTION", "A short story").
_GENRE_LINE = re.compile(r"\A(?:[^\n]*\n){0,4}\s*(?:fiction|short story|a short story|flash fiction|poetry)\s*$",
                         re.I | re.M)
#: A wiki copied as text keeps its section edit links: "Biography[edit]".
_EDIT_MARK = re.compile(r"\[\s*edit(?: source)?\s*\]\s*$", re.M | re.I)

_WORD = re.compile(r"[A-Za-z’']+")
_QUOTED = re.compile(r"[\"“][^\"”\n]{0,600}[\"”]")
_REPORTING = re.compile(r"\b(?:said|says|told|according to|announced|added|stated|reported|denied)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|my|myself)\b")
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you’re|you'll|you’ll)\b", re.I)
_TURN = re.compile(r"^(?:Q|A|[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}|[A-Z]{2,}(?: [A-Z]{2,})?)\s?:\s+\S", re.M)
_QA_TURN = re.compile(r"^(?:Q|A)\s?[:.]\s+\S", re.M)
_RELEASE = re.compile(r"FOR IMMEDIATE RELEASE|PR ?Newswire|Business ?Wire|GLOBE ?NEWSWIRE|\bMedia [Cc]ontacts?\b|"
                      r"^About [A-Z][\w&.,' -]{1,60}$|^#{3}\s*$|\((?:NYSE|NASDAQ|Nasdaq|LSE|TSX):\s?[A-Z]+\)", re.M)
_FORUM = re.compile(r"^\s*(?:Reply|Quote|Report|Posted (?:by|on)|Joined:?|Posts:|Re:|#\d+)\b|\bwrote:\s*$|"
                    r"\b\d+ (?:replies|posts|views)\b", re.M | re.I)
_SHOP = re.compile(r"\bAdd to (?:cart|basket|bag|wish ?list)\b|\bIn stock\b|\bOut of stock\b|\bFree (?:shipping|delivery)\b|"
                   r"\bSKU\b|\bBuy now\b|\bCustomer reviews\b", re.I)
_TUTORIAL = re.compile(r"^\s*(?:Step \d+|\d+[.)]\s+[A-Z]\w+ (?:the|a|your|it)\b)|\bIngredients\b|\bYou(?:'ll| will) need\b|"
                       r"^\s*(?:Tip|Note|Warning):", re.M | re.I)
_DIALOGUE_LINE = re.compile(r"^\s*[\"“][^\n]{2,300}[\"”]\s*$", re.M)


@dataclass(frozen=True)
class PageKind:
    """A page's kind and why (each piece of evidence a short phrase a person can check)."""

    kind: str
    evidence: tuple[str, ...]

    @property
    def is_news(self) -> bool:
        """Whether the page's statements belong in the record's listings by default."""
        return self.kind != NOT_NEWS


def page_hints(html: str) -> list[str]:
    """What a page declares it is: its schema.org types (``schema:NewsArticle``) and its
    Open Graph type (``og:article``), from the first 200 KB."""
    head = html[:200_000]
    hints: list[str] = []
    for block in _LD_JSON.findall(head):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for found in _schema_types(data):
            if f"schema:{found}" not in hints:
                hints.append(f"schema:{found}")
    og = _OG_TYPE.search(head)
    if og:
        hints.append(f"og:{(og.group(1) or og.group(2)).strip().lower()}")
    if _WIKI_HTML.search(head):
        hints.append("site:wiki")
    title = _TITLE.search(head)
    section = _SECTION.search(head)
    if (title and _FICTION_TITLE.search(title.group(1))) or (
            section and section.group(1).strip().lower() in _LITERARY_SECTIONS):
        hints.append("genre:fiction")
    return hints


def _schema_types(data, depth: int = 0) -> list[str]:
    """The ``@type`` values of a JSON-LD document, its ``@graph`` and top-level lists."""
    if depth > 3:
        return []
    if isinstance(data, list):
        return [t for item in data[:50] for t in _schema_types(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = data.get("@type")
    types = [found] if isinstance(found, str) else [t for t in found if isinstance(t, str)] if isinstance(found, list) \
        else []
    return [t for t in types if t.isalnum()][:10] + _schema_types(data.get("@graph"), depth + 1)


def classify(text: str, hints: list[str] | tuple[str, ...] = (), *, dateline: bool = False,
             byline: bool = False) -> PageKind:
    """The kind of a page from what it declares (``hints``) and how its text is written;
    ``dateline``/``byline``: whether its layout shows one."""
    declared = _declared(hints)
    if declared is not None:
        return declared
    words = max(1, len(_WORD.findall(text)))
    per_k = 1000 / words
    unquoted = _QUOTED.sub(" ", text)
    reporting = len(_REPORTING.findall(text)) * per_k
    lines = [line for line in text.splitlines() if line.strip()]
    turns = len(_TURN.findall(text))
    releases = _RELEASE.findall(text)
    news_signs = [s for s, shown in (("a dateline", dateline), ("a byline", byline),
                                     (f"reported speech ({reporting:.0f} cues per 1,000 words)", reporting >= 4))
                  if shown]
    if len(releases) >= 2:
        return PageKind(PRESS_RELEASE, (f"release markers: {', '.join(sorted({r.strip() for r in releases})[:3])}",))
    if lines and (len(_QA_TURN.findall(text)) >= 4 or turns >= max(4, 0.4 * len(lines))):
        return PageKind(INTERVIEW, (f"{turns} of {len(lines)} lines are labelled turns",))
    labelled = _labelled_not_news(text)
    if labelled and not dateline:  # the text says what it is, however much its characters talk
        return PageKind(NOT_NEWS, tuple(labelled))
    not_news = _not_news_signs(text, unquoted, lines, per_k, reporting)
    if not_news and not (dateline or reporting >= 8):
        return PageKind(NOT_NEWS, tuple(not_news + [f"no dateline{', no byline' if not byline else ''}",
                                                    f"reported speech {reporting:.1f} per 1,000 words"]))
    first = len(_FIRST_PERSON.findall(unquoted)) * per_k
    if byline and first >= 12 and not dateline:
        return PageKind(OPINION, (f"first person outside quotations ({first:.0f} per 1,000 words)", "a byline"))
    return PageKind(NEWS, tuple(news_signs) or ("no sign of another kind",))


def _declared(hints: list[str] | tuple[str, ...]) -> PageKind | None:
    """The kind the page's metadata declares, when it declares one."""
    for hint in hints:
        source, _, value = hint.partition(":")
        if source == "schema" and value.lower() in SCHEMA_KINDS:
            return PageKind(SCHEMA_KINDS[value.lower()], (f"the page declares schema.org {value}",))
        if source == "og" and value in OG_NOT_NEWS:
            return PageKind(NOT_NEWS, (f"the page declares og:type {value}",))
        if hint == "site:wiki":
            return PageKind(NOT_NEWS, ("the page is a wiki (MediaWiki, or a site named a wiki)",))
        if hint == "genre:fiction":
            return PageKind(NOT_NEWS, ("the page's title or section says it is fiction or poetry",))
    return None


def _labelled_not_news(text: str) -> list[str]:
    """What a text copied from a page says it is: a genre label at its top (``FICTION``,
    ``A short story``), or a wiki's section edit links (``Biography[edit]``)."""
    signs = []
    if _GENRE_LINE.search(text):
        signs.append("a genre label at the top (fiction, short story, poetry)")
    edits = len(_EDIT_MARK.findall(text))
    if edits >= 2:
        signs.append(f"{edits} wiki section edit links ('[edit]')")
    return signs


def _not_news_signs(text: str, unquoted: str, lines: list[str], per_k: float, reporting: float) -> list[str]:
    """The marks of a forum, a listing, a tutorial, or fiction/reference dialogue."""
    signs = []
    forum = len(_FORUM.findall(text))
    if forum >= 3:
        signs.append(f"forum marks ({forum}: replies, posts, 'wrote:')")
    shop = len(_SHOP.findall(text))
    if shop >= 2:  # prices alone are news about money; a shop asks the reader to buy
        signs.append(f"shop marks ({shop}: 'Add to cart', 'In stock')")
    tutorial = len(_TUTORIAL.findall(text))
    second = len(_SECOND_PERSON.findall(unquoted)) * per_k
    # "you" alone is a column's voice too: a tutorial shows steps, tips or what you will need
    if tutorial >= 2 or (tutorial and second >= 25 and reporting < 2):
        signs.append(f"instructions (steps {tutorial}, 'you' {second:.0f} per 1,000 words)")
    dialogue = len(_DIALOGUE_LINE.findall(text))
    if lines and dialogue >= max(3, 0.3 * len(lines)):
        signs.append(f"{dialogue} of {len(lines)} lines are bare quoted lines (dialogue)")
    return signs

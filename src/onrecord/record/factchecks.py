"""Fact-checkers' verdicts, read from the files they publish, and the statements they concern.

A fact-check is the checker's own: onrecord shows the verdict as the checker wrote it, with
the checker's name and link, and never makes one of its own. The files read:

* schema.org ``ClaimReview`` as JSON-LD: one object, a list of them, an ``@graph``, one a
  line (JSONL), or the ``<script type="application/ld+json">`` blocks of a saved page;
* the JSON that fact-check search tools export (``{"claims": [{"text", "claimant",
  "claimDate", "claimReview": [{"publisher", "url", "textualRating", "reviewDate"}]}]}``);
* CSV with a header row: ``claim``, ``claimant``, ``verdict`` (or ``rating``), ``checker``
  (or ``publisher``), ``url``, and optionally ``claim_date``, ``review_date``, ``language``.

A file with a review that lacks what a verdict needs (the claim's words, the verdict, the
checker, the link) is refused whole, with the line (or item) and the field: a half-read file
would leave a user believing the rest was checked.

A statement matches a reviewed claim when both hold: its speaker is the claimant (a name word
in common, spelt as names are compared) and it says what the claim says (``MATCH_MIN`` of the
claim's content words are the statement's, at least ``MIN_SHARED``). Shared topic alone is
never enough (``benchmarks/eval_claims.py`` showed that similarity cannot tell a claim from
its neighbour), so each match keeps its evidence: the shared words and how the claimant matched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser

from ..names import core_words, spelling_key
from .crossdisputes import content_words

#: Share of the claim's content words a statement must say, and at least this many.
MATCH_MIN = 0.6
MIN_SHARED = 3

_CSV_FIELDS = {
    "claim": ("claim", "claim_reviewed", "claimreviewed", "text", "claim_text"),
    "claimant": ("claimant", "author", "claim_author", "speaker"),
    "verdict": ("verdict", "rating", "textual_rating", "textualrating", "alternatename"),
    "checker": ("checker", "publisher", "fact_checker", "reviewer", "publisher_name"),
    "url": ("url", "review_url", "link"),
    "claim_date": ("claim_date", "claimdate", "date_claimed"),
    "review_date": ("review_date", "reviewdate", "date_published", "datepublished"),
    "language": ("language", "languagecode", "lang"),
}
REQUIRED = ("claim", "verdict", "checker", "url")


class FactCheckFileError(ValueError):
    """A fact-check file that cannot be read whole: where, which field, and what to do."""


@dataclass
class FactCheck:
    """One checker's verdict on one claim, as the checker published it."""

    claim: str
    verdict: str
    checker: str
    url: str
    claimant: str | None = None
    claim_date: str | None = None
    review_date: str | None = None
    checker_site: str | None = None
    language: str | None = None
    rating: dict = field(default_factory=dict)  # ratingValue / bestRating / worstRating as given

    @property
    def fingerprint(self) -> str:
        """The same review imported twice is one review (checker, link and claim)."""
        return hashlib.sha256("\x1f".join((self.checker, self.url, self.claim)).encode()).hexdigest()

    def row(self) -> dict:
        """The review as the store keeps it."""
        out = asdict(self)
        out["rating"] = json.dumps(self.rating) if self.rating else None
        out["fingerprint"] = self.fingerprint
        return out


# -- reading -------------------------------------------------------------------------------------

def read(data: bytes, name: str = "file") -> list[FactCheck]:
    """The reviews of a file of any kind read here; ``FactCheckFileError`` says why not."""
    text = _decode(data, name)
    stripped = text.lstrip()
    if not stripped:
        raise FactCheckFileError(f"{name}: the file is empty")
    if stripped[:1] in "{[":
        return _from_json_text(text, name)
    if stripped[:1] == "<":
        return _from_html(text, name)
    return _from_csv(text, name)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactCheckFileError(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _from_json_text(text: str, name: str) -> list[FactCheck]:
    try:
        return _from_json(json.loads(text), name)
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines()]
        if len([line for line in lines if line.strip()]) < 2:
            raise FactCheckFileError(f"{name}:{whole.lineno}: not JSON ({whole.msg}, column {whole.colno})") from None
        out: list[FactCheck] = []
        for number, line in enumerate(lines, 1):  # JSON lines: one review (or document) a line
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FactCheckFileError(f"{name}:{number}: not JSON ({exc.msg}, column {exc.colno})") from None
            out += _from_json(item, f"{name}:{number}")
        return out


def _from_json(doc: object, where: str) -> list[FactCheck]:
    if isinstance(doc, dict) and isinstance(doc.get("claims"), list):
        return _from_search_export(doc["claims"], where)
    items = _ld_items(doc)
    reviews = [item for item in items if _is_claim_review(item)]
    if not reviews:
        raise FactCheckFileError(f"{where}: no ClaimReview in it (a schema.org ClaimReview, or "
                                 "the {{\"claims\": [...]}} a fact-check search exports)")
    return [_from_claim_review(item, f"{where} ({_label(n, len(reviews))})") for n, item in enumerate(reviews, 1)]


def _label(n: int, total: int) -> str:
    return f"review {n} of {total}"


def _ld_items(doc: object) -> list[dict]:
    """The JSON-LD objects of a document: itself, its list, its ``@graph``."""
    if isinstance(doc, list):
        return [x for item in doc for x in _ld_items(item)]
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("@graph"), list):
        return [x for item in doc["@graph"] for x in _ld_items(item)]
    return [doc]


def _is_claim_review(item: dict) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "ClaimReview" for k in kinds)


def _name(value: object) -> str | None:
    """A name given as text, as ``{"name": ...}``, or as a list of either (the first)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _from_claim_review(item: dict, where: str) -> FactCheck:
    reviewed = item.get("itemReviewed") if isinstance(item.get("itemReviewed"), dict) else {}
    rating = item.get("reviewRating") if isinstance(item.get("reviewRating"), dict) else {}
    author = item.get("author")
    found = {
        "claim": _text(item.get("claimReviewed")) or _text(reviewed.get("text")) or _text(reviewed.get("name")),
        "verdict": _text(rating.get("alternateName")) or _text(rating.get("ratingExplanation")),
        "checker": _name(author),
        "url": _text(item.get("url")),
    }
    _require(found, where, {"claim": "claimReviewed", "verdict": "reviewRating.alternateName",
                            "checker": "author.name", "url": "url"})
    site = author.get("url") if isinstance(author, dict) else None
    return FactCheck(
        claim=found["claim"], verdict=found["verdict"], checker=found["checker"], url=found["url"],
        claimant=_name(reviewed.get("author")), claim_date=_text(reviewed.get("datePublished")),
        review_date=_text(item.get("datePublished")), checker_site=_text(site),
        language=_name(item.get("inLanguage")) or _text(item.get("inLanguage")),
        rating={k: rating[k] for k in ("ratingValue", "bestRating", "worstRating") if k in rating})


def _from_search_export(claims: list, where: str) -> list[FactCheck]:
    out = []
    for n, claim in enumerate(claims, 1):
        if not isinstance(claim, dict):
            raise FactCheckFileError(f"{where} (claims[{n - 1}]): a claim must be an object")
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            raise FactCheckFileError(f"{where} (claims[{n - 1}]): field 'claimReview' missing or empty")
        for m, review in enumerate(reviews):
            here = f"{where} (claims[{n - 1}].claimReview[{m}])"
            review = review if isinstance(review, dict) else {}
            publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
            found = {"claim": _text(claim.get("text")), "verdict": _text(review.get("textualRating")),
                     "checker": _text(publisher.get("name")) or _text(publisher.get("site")),
                     "url": _text(review.get("url"))}
            _require(found, here, {"claim": "text", "verdict": "textualRating", "checker": "publisher.name",
                                   "url": "url"})
            out.append(FactCheck(claim=found["claim"], verdict=found["verdict"], checker=found["checker"],
                                 url=found["url"], claimant=_text(claim.get("claimant")),
                                 claim_date=_text(claim.get("claimDate")), review_date=_text(review.get("reviewDate")),
                                 checker_site=_text(publisher.get("site")), language=_text(review.get("languageCode"))))
    return out


def _require(found: dict, where: str, names: dict[str, str]) -> None:
    missing = [names[k] for k in REQUIRED if not found.get(k)]
    if missing:
        raise FactCheckFileError(f"{where}: field {', '.join(repr(m) for m in missing)} missing or empty "
                                 "(a verdict needs the claim, the verdict, the checker and the link)")


class _LdScripts(HTMLParser):
    """The JSON-LD blocks of a page, with the line each starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[int, str]] = []
        self._open: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and dict(attrs).get("type", "").strip().lower() == "application/ld+json":
            self._open = (self.getpos()[0], [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.blocks.append((self._open[0], "".join(self._open[1])))
            self._open = None


def _from_html(text: str, name: str) -> list[FactCheck]:
    parser = _LdScripts()
    parser.feed(text)
    out: list[FactCheck] = []
    for line, block in parser.blocks:
        try:
            doc = json.loads(block)
        except json.JSONDecodeError as exc:
            raise FactCheckFileError(f"{name}:{line + exc.lineno - 1}: the JSON-LD block is not JSON ({exc.msg})") \
                from None
        if any(_is_claim_review(item) for item in _ld_items(doc)):
            out += _from_json(doc, f"{name}:{line}")
    if not out:
        raise FactCheckFileError(f"{name}: the page holds no ClaimReview in its JSON-LD")
    return out


def _from_csv(text: str, name: str) -> list[FactCheck]:
    reader = csv.DictReader(io.StringIO(text))
    header = {_key(h): h for h in (reader.fieldnames or [])}
    columns = {k: next((header[s] for s in synonyms if s in header), None) for k, synonyms in _CSV_FIELDS.items()}
    missing = [k for k in REQUIRED if columns[k] is None]
    if missing:
        raise FactCheckFileError(f"{name}:1: no column for {', '.join(missing)} (the header has "
                                 f"{', '.join(reader.fieldnames or []) or 'nothing'}; name them "
                                 f"{', '.join(REQUIRED)}, plus claimant, claim_date, review_date)")
    out = []
    for row in reader:
        values = {k: (row.get(c) or "").strip() or None if c else None for k, c in columns.items()}
        where = f"{name}:{reader.line_num}"
        _require(values, where, {k: columns[k] or k for k in REQUIRED})
        out.append(FactCheck(claim=values["claim"], verdict=values["verdict"], checker=values["checker"],
                             url=values["url"], claimant=values["claimant"], claim_date=values["claim_date"],
                             review_date=values["review_date"], language=values["language"]))
    if not out:
        raise FactCheckFileError(f"{name}: a header and no review")
    return out


def _key(header: str) -> str:
    return re.sub(r"[^a-z_]", "", header.strip().lower().replace(" ", "_").replace("-", "_"))


def iter_files(paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each file named."""
    for path in paths:
        with open(path, "rb") as handle:
            yield path, handle.read()


# -- matching ------------------------------------------------------------------------------------

@dataclass
class Match:
    """A statement that makes a reviewed claim, and why onrecord says so."""

    factcheck_id: int
    statement_id: int
    score: float
    evidence: dict


def claimant_matches(claimant: str | None, speaker_names: list[str]) -> str | None:
    """How a review's claimant is the statement's speaker (by one of its names), or None."""
    if not claimant:
        return None
    wanted = core_words(claimant) or claimant.split()
    if not wanted:
        return None
    last = spelling_key(wanted[-1])
    named = [(name, core_words(name) or name.split()) for name in speaker_names]
    same_surname = [(name, words) for name, words in named if words and spelling_key(words[-1]) == last]
    if len(wanted) > 1:
        given = {spelling_key(words[0]) for _, words in same_surname if len(words) > 1}
        if given and spelling_key(wanted[0]) not in given:
            return None  # "Karl Vogt" is not Lena Vogt, though she is "Vogt" in some stories
    full = sorted((len(words), len(name), name) for name, words in same_surname if len(words) > 1)
    if same_surname:
        name = full[0][2] if full else same_surname[0][0]  # the plainest full name
        return f"the claimant '{claimant}' is the speaker '{name}'"
    return None


def match(review_id: int, review: FactCheck, statement_id: int, content: str,
          speaker_names: list[str]) -> Match | None:
    """The match of one statement to one review, or None: the claimant and the claim's words."""
    claimant = claimant_matches(review.claimant, speaker_names)
    if claimant is None:
        return None
    claim_words = content_words(review.claim)
    if not claim_words:
        return None
    shared = claim_words & content_words(content)
    share = len(shared) / len(claim_words)
    if share < MATCH_MIN or len(shared) < MIN_SHARED:
        return None
    return Match(review_id, statement_id, round(share, 3),
                 {"claimant": claimant, "shared_words": sorted(shared), "claim_share": round(share, 3)})

"""Score onrecord on real-style saved web pages (``benchmarks/pages/``: news with captions,
video labels, promo boxes and bylines; opinion; interviews; a press release; not-news pages).

    .venv/bin/python benchmarks/eval_pages.py [--engine fast|accurate] [--verbose]

Each page goes the way a user's saved page goes: read as ``ingest`` reads it (main text out
of the HTML, headline and byline, page kind), then analysed. A gold statement is found when
a statement listed by default (not on a not-news page) covers at least half of its content
(one to one, largest overlap first, as the development set's scorer matches); it is right
when the speaker also agrees (a name word in common with the gold speaker, or both unnamed).

Reported: on news-like pages (news, opinion, interview, press release) precision (right /
listed) and recall (right / gold), content-only figures, speaker right on found statements;
on not-news pages the statements listed by default (should be none); every listed speaker
that names no gold speaker of its page ("not someone": furniture, a noun, a title alone);
listed statements whose content is a planted non-statement (idiom, verb of doing, caption).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from onrecord import analyze_many
from onrecord.analysis.pipeline import make_extractor
from onrecord.ingest import InputError, read_path

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "pages"
NEWS_LIKE = ("news", "opinion", "interview", "press-release")
_WORD = re.compile(r"\w+", re.UNICODE)
#: Words that do not identify a speaker on their own (an unnamed source is known by its
#: description: "a spokesperson for the county" and "the spokesperson" agree).
_NOT_NAME = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "said", "for", "to", "in", "at", "on", "its",
             "his", "her", "their", "who", "with"}


@dataclass
class Tally:
    """Counts over a group of pages."""

    gold: int = 0
    listed: int = 0
    found: int = 0  # content matched
    right: int = 0  # content and speaker
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.listed += other.listed
        self.found += other.found
        self.right += other.right
        self.errors += other.errors


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
                    .replace("\u201d", '"').split())


def locate(text: str, wanted: str) -> tuple[int, int] | None:
    """The span of ``wanted`` in ``text``, spaces and quote shapes aside; None when absent."""
    words = [re.escape(w) for w in _norm(wanted).split()]
    if not words:
        return None
    loose = r"\s+".join(words).replace("'", "['\u2018\u2019]").replace('"', '["\u201c\u201d]')
    found = re.search(loose, text)
    return found.span() if found else None


def name_words(name: str | None) -> set[str]:
    """The identifying words of a speaker's name (titles and function words aside)."""
    words = {w.lower() for w in _WORD.findall(name or "") if w.lower() not in _NOT_NAME and len(w) > 1}
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}


def speaker_agrees(predicted: str | None, gold: str | None) -> bool:
    """Both unnamed, or a name word in common."""
    if not gold:
        return not predicted
    return bool(name_words(predicted) & name_words(gold))


def _spans(statement) -> list[tuple[int, int]]:
    if statement.fragments:
        return [(f.start, f.end) for f in statement.fragments]
    return [(statement.content.start, statement.content.end)]


def _overlap(spans: list[tuple[int, int]], gold: tuple[int, int]) -> int:
    return sum(max(0, min(b, gold[1]) - max(a, gold[0])) for a, b in spans)


def read_page(path: Path):
    """The page as ``ingest`` reads it: one ``ArticleInput`` (main text, byline, kind)."""
    [loaded] = list(read_path(str(path)))
    if isinstance(loaded, InputError):
        raise SystemExit(f"{path}: {loaded.message}")
    return loaded.article


def score_page(gold: dict, article, record) -> Tally:
    """Match one page's listed statements with its gold statements."""
    tally = Tally(gold=len(gold["statements"]))
    listed = [] if article.kind == "not-news" else list(record.statements)
    tally.listed = len(listed)
    speakers = {s.id: s.name for s in record.speakers}
    wanted = []
    for g in gold["statements"]:
        span = locate(article.text, g["content"])
        if span is None:
            tally.errors.append(f"LOST  {gold['page']}: not in the text read: {g['content'][:70]!r}")
        wanted.append(span)
    pairs = sorted(((_overlap(_spans(s), span), i, j) for i, s in enumerate(listed)
                    for j, span in enumerate(wanted) if span is not None), reverse=True)
    used_p, used_g = set(), set()
    for overlap, i, j in pairs:
        span = wanted[j]
        if i in used_p or j in used_g or overlap * 2 < span[1] - span[0]:
            continue
        used_p.add(i)
        used_g.add(j)
        tally.found += 1
        predicted = _speaker_name(listed[i], speakers)
        if speaker_agrees(predicted, gold["statements"][j]["speaker"]):
            tally.right += 1
        else:
            tally.errors.append(f"WHO   {gold['page']}: {predicted!r} for {gold['statements'][j]['speaker']!r}: "
                                f"{gold['statements'][j]['content'][:60]!r}")
    for j, g in enumerate(gold["statements"]):
        if j not in used_g and wanted[j] is not None:
            tally.errors.append(f"MISS  {gold['page']}: {g['speaker']!r}: {g['content'][:70]!r}")
    planted = [locate(article.text, n) for n in gold.get("not_statements", [])]
    for i, s in enumerate(listed):
        if i in used_p:
            continue
        label = "PLANT" if any(p and _overlap(_spans(s), p) for p in planted) else "EXTRA"
        tally.errors.append(f"{label} {gold['page']}: {_speaker_name(s, speakers)!r} {s.cue.text if s.cue else ''!r}: "
                            f"{s.content.text[:70]!r}")
    return tally


def _speaker_name(statement, speakers: dict[str, str]) -> str | None:
    if statement.speaker is None:
        return None
    return speakers.get(statement.speaker.id or "") or statement.speaker.name or statement.speaker.text


def not_someone(gold: dict, record) -> list[str]:
    """Listed speakers (with a statement) that name no gold speaker of the page."""
    gold_words = set().union(*(name_words(g["speaker"]) for g in gold["statements"])) if gold["statements"] else set()
    gold_words |= name_words(gold.get("author"))
    saying = {s.speaker.id for s in record.statements if s.speaker and s.speaker.id}
    return [s.name for s in record.speakers if s.id in saying and not name_words(s.name) & gold_words]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", default="fast", help="fast (rules) or accurate (rules + tagger)")
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every error")
    args = parser.parse_args()
    golds = json.loads((args.pages / "gold.json").read_text(encoding="utf-8"))
    articles = [read_page(args.pages / gold["page"]) for gold in golds]
    records = list(analyze_many(articles, extractor=make_extractor(engine=args.engine)))
    news, by_kind, not_news_listed, strangers, kind_right = Tally(), {}, 0, [], 0
    for gold, article, record in zip(golds, articles, records):
        kind_right += (article.kind == "not-news") == (gold["kind"] == "not-news")
        if gold["kind"] == "not-news":
            listed = 0 if article.kind == "not-news" else len(record.statements)
            not_news_listed += listed
            if listed:
                news.errors.append(f"NOTNEWS {gold['page']}: read as {article.kind}, {listed} statements listed")
            continue
        tally = score_page(gold, article, record)
        by_kind.setdefault(gold["kind"], Tally()).add(tally)
        news.add(tally)
        strangers += [f"{gold['page']}: {name}" for name in not_someone(gold, record)]
    _report(news, by_kind, not_news_listed, strangers, kind_right, len(golds), args)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def _report(news: Tally, by_kind: dict, not_news_listed: int, strangers: list[str], kind_right: int,
            pages: int, args) -> None:
    print(f"engine {args.engine}; {pages} pages; not-news told apart on {kind_right}/{pages}")
    print(f"{'pages':<14} {'gold':>5} {'listed':>6} {'P':>6} {'R':>6} {'F1':>6} {'content P':>9} "
          f"{'content R':>9} {'speaker':>7}")
    for name, t in [*sorted(by_kind.items()), ("news-like", news)]:
        p, r = (t.right / t.listed if t.listed else 0), (t.right / t.gold if t.gold else 0)
        f1 = 2 * p * r / (p + r) if p + r else 0
        print(f"{name:<14} {t.gold:>5} {t.listed:>6} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {_ratio(t.found, t.listed):>9} "
              f"{_ratio(t.found, t.gold):>9} {_ratio(t.right, t.found):>7}")
    print(f"not-news pages: {not_news_listed} statements listed by default")
    print(f"listed speakers that are no gold speaker: {len(strangers)}")
    if args.verbose:
        for line in sorted(news.errors) + [f"NOTSOMEONE {s}" for s in strangers]:
            print("  " + line)
    p = news.right / news.listed if news.listed else 0
    r = news.right / news.gold if news.gold else 0
    print(f"HEADLINE pages news-like precision {p:.3f} recall {r:.3f}; not-news listed {not_news_listed}")


if __name__ == "__main__":
    sys.exit(main())

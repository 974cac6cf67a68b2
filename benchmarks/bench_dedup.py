"""Duplicate detection quality: real articles with planted copies, at several thresholds.

    .venv/bin/python benchmarks/bench_dedup.py [--gold ../shared/eval/polnear-dev.jsonl] [--copies 40]

The development articles (real US political news of a few weeks, many on the same
topics) are the distinct stories: 60 of them go into the corpus, and the prose of the other
24 makes harder distinct stories: ``--related`` stories on the same events as a corpus
article, keeping its quoted paragraphs and putting other prose around them (as two agencies
quote the same press conference). For ``--copies`` of them, four copies are planted the way
news sites carry a story: the exact text (other line endings), another headline and a
byline, a paragraph cut or added, and a few words edited. Every document then goes through
the corpus's own duplicate check (fingerprint, MinHash LSH over a SQLite database, in
order), and the decisions are scored: precision is the share of documents flagged as
copies that are planted copies of the story they were matched to; recall the share of
planted copies flagged so.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from onrecord.model import ArticleRecord
from onrecord.neardup import banding, fingerprint, signature
from onrecord.model import ArticleInput
from onrecord.store import writer
from onrecord.store.db import database_url, make_engine, upgrade

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear-dev.jsonl"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CORPUS_SIZE = 60
EDITOR_NOTE = ("This story has been updated to include comments from officials and to correct the spelling of "
               "a name. An earlier version misstated the date of the meeting. Additional reporting by our "
               "correspondents in the capital and by the wire services.")
SUBSTITUTES = ["however", "reportedly", "officials", "statement", "Thursday", "several", "major", "country"]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def copies_of(text: str, n: int, rng: random.Random) -> dict[str, str]:
    """Four planted copies of one story."""
    paras = paragraphs(text)
    body = paras[1:] if len(paras) > 1 else paras
    retitled = "\n".join(["Breaking: " + " ".join(paras[0].split()[::-1][:8]), "By Staff Writer"] + body)
    if n % 2 == 0 and len(paras) > 2:
        cut = "\n".join(paras[:-1])
    else:
        cut = "\n".join(paras + [EDITOR_NOTE])
    words = text.split(" ")
    for i in rng.sample(range(len(words)), min(5, len(words))):
        words[i] = rng.choice(SUBSTITUTES)
    return {"exact": text.replace("\n", "\r\n"), "retitled": retitled, "cut-or-added": cut, "edited": " ".join(words)}


def related_story(text: str, other: str) -> str:
    """A different article on the same event: the same quotations, other prose around them."""
    quoted = [p for p in paragraphs(text) if any(m in p for m in "“\"")]
    prose = [p for p in paragraphs(other) if not any(m in p for m in "“\"")]
    return "\n".join(quoted[:4] + prose[: max(4, 2 * len(quoted[:4]))])


def run(documents: list[tuple[str, str, int]], threshold: float) -> tuple[int, int, int, int]:
    """Feed documents through the store's duplicate check; count true/false flags."""
    layout = banding(threshold)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(database_url(str(Path(tmp) / "dedup.db")))
        upgrade(engine)
        story_of_article: dict[int, int] = {}
        true_pos = false_pos = planted = 0
        for kind, text, story in documents:
            fp, sig = fingerprint(text), signature(text)
            with engine.begin() as conn:
                article_id = writer.find_exact(conn, fp)
                if article_id is None:
                    near = writer.find_near(conn, layout, sig)
                    article_id = near[0] if near else None
                if article_id is None:
                    record = ArticleRecord(length=len(text))
                    new_id = writer.insert_article(conn, ArticleInput(text), record, fp, sig, layout)
                    story_of_article[new_id] = story
            planted += kind != "original"
            if article_id is not None:
                if kind != "original" and story_of_article[article_id] == story:
                    true_pos += 1
                else:
                    false_pos += 1
        engine.dispose()
    return true_pos, false_pos, planted, len(documents)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--copies", type=int, default=40, help="how many corpus stories get planted copies")
    ap.add_argument("--related", type=int, default=30, help="how many same-event distinct stories are added")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.gold.open(encoding="utf-8") if line.strip()]
    rng = random.Random(args.seed)
    rng.shuffle(texts)
    texts, prose_only = texts[:CORPUS_SIZE], texts[CORPUS_SIZE:]
    documents = [("original", text, n) for n, text in enumerate(texts)]
    quoting = [n for n, text in enumerate(texts) if sum(m in text for m in "“\"") > 0]
    for k, n in enumerate(rng.sample(quoting, min(args.related, len(quoting)))):
        other = prose_only[k % len(prose_only)]
        documents.append(("original", related_story(texts[n], other), len(texts) + k))
    for n in rng.sample(range(len(texts)), args.copies):
        documents += [(kind, copy, n) for kind, copy in copies_of(texts[n], n, rng).items()]
    rng.shuffle(documents)
    # an original must come before its copies for "copy of X" to be defined
    documents.sort(key=lambda d: d[0] != "original")
    originals = sum(kind == "original" for kind, _, _ in documents)
    print(f"{originals} distinct stories ({originals - len(texts)} of them quoting what another quotes), "
          f"{len(documents) - originals} planted copies of {args.copies} of them")
    print("threshold  precision  recall   (flagged right / flagged / planted)   seconds")
    for threshold in THRESHOLDS:
        started = time.perf_counter()
        tp, fp, planted, _ = run(documents, threshold)
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(f"   {threshold:.1f}      {precision:.3f}    {tp / planted:.3f}    ({tp} / {tp + fp} / {planted})"
              f"          {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()

"""Linking new stories into a large corpus: the incremental link against a full relink.

    .venv/bin/python benchmarks/bench_link.py [--stories 10000] [--base 150] [--new 1]

A corpus of ``--stories`` stored stories is built without analysing each: ``--base``
synthetic dated articles (sentences of the development articles shuffled, as
``bench_ingest.py`` makes them) are analysed once, and each stored story is one of their
records with its people renamed (surnames drawn from a pool of 400, so that namesakes,
surname-only mentions and shared quotations occur as in a real archive), dated over ten
weeks and spread over twenty outlets. Then, in one process:

1. ``relink`` of the whole corpus (what every ingest did before linking was incremental);
2. ``--new`` stories ingested by ``Ingestor`` as a user's ``onrecord ingest`` does: the
   CPU seconds of its linking step alone (the target is at most 1 s for one story), and
   its share of the relink's time;
3. a check that the incremental links equal a full relink's (identities, joins,
   quotations and disputes compared as sets).

CPU seconds (``time.process_time``): the machines are shared, so read the ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import zlib
import time
from pathlib import Path

from onrecord import analyze_many
from onrecord.corpus import Ingestor, open_corpus
from onrecord.model import ArticleInput
from onrecord.neardup import banding, signature
from onrecord.store import writer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import DEFAULT_GOLD, synthetic  # noqa: E402

_STEMS = ["Kar", "Mol", "Ven", "Dor", "Hal", "Ris", "Tam", "Bel", "Cor", "Fen",
          "Gal", "Lin", "Mar", "Nor", "Pel", "Ros", "Sal", "Tor", "Val", "Wes"]
_ENDS = ["ski", "son", "ez", "ova", "ard", "ing", "ton", "elli", "ic", "berg",
         "ani", "ley", "ros", "ay", "ek", "ford", "lund", "ero", "man", "quist"]
SURNAMES = [a + b for a in _STEMS for b in _ENDS]


class TimedIngestor(Ingestor):
    """An ingest that keeps the CPU seconds of its linking step."""

    link_seconds = 0.0

    def link_across(self) -> None:
        started = time.process_time()
        super().link_across()
        self.link_seconds = time.process_time() - started


def renamed(record, n: int):
    """A copy of ``record`` whose people carry other surnames (a full name and the bare
    surname of one person alike), so that copies of one story name other people."""
    copy = record.model_copy(deep=True)
    for speaker in copy.speakers:
        words = speaker.name.split()
        if speaker.kind == "person" and words:
            new = SURNAMES[(zlib.crc32(words[-1].encode()) + n % 37) % len(SURNAMES)]
            speaker.name = " ".join(words[:-1] + [new])
            speaker.aliases = [a.replace(words[-1], new) for a in speaker.aliases]
    return copy


def build(engine, texts: list[str], records, stories: int) -> None:
    """Store ``stories`` renamed copies of the analysed records, dated and spread over outlets."""
    bands = banding()
    sigs = [signature(t) for t in texts]
    rng = random.Random(11)
    done = 0
    while done < stories:
        with engine.begin() as conn:
            for n in range(done, min(stories, done + 500)):
                k = n % len(records)
                published = f"2016-{9 + (n * 70 // stories) // 30:02d}-{1 + (n * 70 // stories) % 30:02d}"
                item = ArticleInput(text=texts[k], published=published, site=f"outlet{rng.randrange(20)}.example")
                record = renamed(records[k], n)
                record.published = published
                writer.insert_article(conn, item, record, f"bench{n:060d}", sigs[k], bands)
        done = min(stories, done + 500)
        print(f"  stored {done}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def link_sets(engine) -> dict[str, set]:
    """The links of a corpus as sets, for comparing two ways of making them."""
    from sqlalchemy import select

    from onrecord.store.schema import disputes, identities, quotation_members, quotations, speakers

    with engine.connect() as conn:
        return {
            "identities": set(conn.execute(select(identities.c.id, identities.c.name, identities.c.kind)).all()),
            "speakers": set(conn.execute(select(speakers.c.id, speakers.c.identity_id, speakers.c.surname)).all()),
            "quotations": set(conn.execute(select(quotations.c.id, quotations.c.identity_id,
                                                  quotations.c.appearances)).all()),
            "members": set(conn.execute(select(quotation_members.c.statement_id, quotation_members.c.quotation_id,
                                               quotation_members.c.relation)).all()),
            "disputes": set(conn.execute(select(disputes.c.claim_id, disputes.c.denial_id, disputes.c.score)
                                         .where(disputes.c.scope == "corpus")).all()),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--stories", type=int, default=10_000)
    ap.add_argument("--base", type=int, default=150)
    ap.add_argument("--new", type=int, default=1)
    args = ap.parse_args()
    from onrecord.record.relink import relink

    gold = [json.loads(line)["text"] for line in args.gold.open(encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "base.jsonl"
        synthetic(gold, source, args.base + args.new, seed=17, dated=True)
        items = [json.loads(line) for line in source.open(encoding="utf-8")]
        base, new = items[:args.base], items[args.base:]
        texts = [i["text"] for i in base]
        records = list(analyze_many(texts))
        engine = open_corpus(str(Path(tmp) / "corpus.db"))
        build(engine, texts, records, args.stories)
        started = time.process_time()
        summary = relink(engine)
        full = time.process_time() - started
        print(f"corpus of {args.stories} stories: full relink {full:.2f} s ({summary.line()})")
        new_file = Path(tmp) / "new.jsonl"
        new_file.write_text("".join(json.dumps({**i, "published": "2016-11-20"}) + "\n" for i in new))
        ingestor = TimedIngestor(engine)
        ingestor.ingest([str(new_file)])
        print(f"{args.new} new stor{'y' if args.new == 1 else 'ies'} ingested: linking {ingestor.link_seconds:.3f} s "
              f"= {ingestor.link_seconds / full:.1%} of a full relink (target <= 1 s)")
        incremental = link_sets(engine)
        relink(engine)
        equal = incremental == link_sets(engine)
        print(f"incremental links equal a full relink's: {equal}")
        if not equal:
            again = link_sets(engine)
            for key in again:
                if incremental[key] != again[key]:
                    print(f"  {key}: {len(incremental[key] - again[key])} only incremental, "
                          f"{len(again[key] - incremental[key])} only full")


if __name__ == "__main__":
    main()

"""End to end on the example story (examples/), checked against its careful human reading."""

import json

from conftest import EXAMPLES


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold, record):
    """Gold statement id -> predicted statement, by content overlap as the shared scorer does."""
    first = tuple(gold["duplicate"]["original"])
    preds = [s for s in record.statements if overlap((s.content.start, s.content.end), first)]
    matched, used = {}, set()
    for g in gold["statements"]:
        span = tuple(g["content"]["span"])
        best = max((p for p in preds if p.id not in used),
                   key=lambda p: overlap(span, (p.content.start, p.content.end)), default=None)
        if best and overlap(span, (best.content.start, best.content.end)) >= 0.5 * (span[1] - span[0]):
            matched[g["id"]] = best
            used.add(best.id)
    return matched, preds


def test_example_statements_found_with_speakers_cues_kinds_types(kursk_record):
    gold = json.loads((EXAMPLES / "kursk-ceasefire.gold.json").read_text(encoding="utf-8"))
    matched, preds = match(gold, kursk_record)
    n = len(gold["statements"])
    assert len(matched) >= 17
    assert len(preds) - len(matched) <= 2
    surname = {g["id"]: g["speaker"]["canonical"].split()[-1].strip("()").lower() for g in gold["statements"]}
    speakers = sum(1 for gid, p in matched.items() if p.speaker and p.speaker.name
                   and (surname[gid] in p.speaker.name.lower() or "staff" in p.speaker.name.lower()))
    cues = sum(1 for g in gold["statements"] if g["id"] in matched and matched[g["id"]].cue
               and overlap(tuple(g["cue"]["span"]), (matched[g["id"]].cue.start, matched[g["id"]].cue.end)))
    kinds = sum(1 for g in gold["statements"] if g["id"] in matched and matched[g["id"]].kind == g["kind"])
    types = sum(1 for g in gold["statements"] if g["id"] in matched and matched[g["id"]].type == g["type"])
    assert speakers >= 17 and cues >= 16 and kinds >= 15 and types >= 15, (speakers, cues, kinds, types, n)


def test_example_claim_denial_links(kursk_record):
    gold = json.loads((EXAMPLES / "kursk-ceasefire.gold.json").read_text(encoding="utf-8"))
    matched, _ = match(gold, kursk_record)
    links = sum(1 for d in gold["disputes"] if d["claim"] in matched and d["denial"] in matched
                and matched[d["claim"]].id in matched[d["denial"]].denies)
    assert links >= 2


def test_example_repeated_copy_is_flagged_and_not_counted(kursk_record, kursk_text):
    gold = json.loads((EXAMPLES / "kursk-ceasefire.gold.json").read_text(encoding="utf-8"))
    copy = gold["duplicate"]["copy"]
    assert any(d.start <= copy[0] + 5 and d.end >= copy[1] - 5 for d in kursk_record.duplicates)
    assert not any(s.content.start >= copy[0] for s in kursk_record.statements)


def test_example_times_resolved(kursk_record):
    dates = {t.text: t.date for t in kursk_record.times}
    assert dates.get("last August") == "2024-08"
    assert dates.get("Thursday") == "2025-03-13" or dates.get("on Thursday") == "2025-03-13"


def test_example_places_include_the_gazetteer_ones(kursk_record):
    names = {p.text for p in kursk_record.places}
    assert {"Kursk", "Kyiv", "Russia", "Ukraine"} <= names

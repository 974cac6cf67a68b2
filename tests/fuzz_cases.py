"""Hostile inputs for fuzzing onrecord, and the properties every input must keep.

Shared by the fuzz tests (``test_fuzz_hostile.py``, a few hundred examples in CI) and the
long run (``benchmarks/fuzz_hostile.py``, as many as asked). Each ``check_*``
raises ``AssertionError`` when a property fails and anything else when onrecord crashed;
the strategies mix the hand-made faults of issue 12 (lone surrogates, NULs, Unicode line
separators, punctuation runs, ESC sequences, formula cells, gzip and JSON nesting) into
random bytes and text. It needs hypothesis, a development dependency, so it lives here.
"""

from __future__ import annotations

import csv
import gzip
import io
import json

from hypothesis import strategies as st

from onrecord.ingest import InputError, Loaded
from onrecord.ingest.clean import clean_text
from onrecord.ingest.readers import read_bytes, read_jsonl
from onrecord.safe_output import FORMULA_START, csv_cell, terminal_safe

#: Pieces that broke onrecord once, or that are known to break parsers and terminals.
NASTY = ["\ud800", "\udfff", "\x00", "\u2028", "\u2029", "\x85", "\r", "\x1b[2J", "\x1b]0;PWNED\x07", "\u202e",
         "&#xD800;", "&#55296;", "&quot;", '"' * 200, "”" * 200, ")" * 200, "=HYPERLINK(\"x\")", "@SUM(1)", "\t",
         "\ufeff", "“", "”", "said", "\n\n", " ", "<rss>", "<html>", "{", "}", "[" * 50]
NAMES = ["a.txt", "b.jsonl", "c.rss", "d.html", "e.gz", "f.jsonl.gz", "", "g.atom", "h.ndjson"]


def nasty_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Text made of random characters (surrogates included) and the known nasty pieces."""
    piece = st.one_of(st.text(max_size=20), st.sampled_from(NASTY),
                      st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3))
    return st.lists(piece, max_size=30).map(lambda parts: "".join(parts)[:max_size])


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _jsonl(texts: list[str]) -> bytes:
    return "\n".join(json.dumps({"text": t, "title": t[:20]}) for t in texts).encode("utf-8")


def nasty_bytes() -> st.SearchStrategy[bytes]:
    """Input files: raw bytes, nasty text, JSONL of nasty text, feeds, gzip of any of these."""
    plain = st.one_of(st.binary(max_size=400), nasty_text().map(_encoded),
                      st.lists(nasty_text(80), min_size=1, max_size=4).map(_jsonl),
                      nasty_text(200).map(lambda t: _encoded(
                          f'<?xml version="1.0"?><rss><channel><item><description>{t}</description>'
                          "</item></channel></rss>")),
                      st.integers(1, 3000).map(lambda n: b'{"text": ' + b"[" * n + b"]" * n + b"}"),
                      # pages nested deeper than the HTML parser goes (it stops at 256), with their own
                      # metadata (the page kind reads JSON-LD and og:type), closed or left open
                      st.tuples(st.integers(1, 3000), st.sampled_from(["div", "span", "section", "b"]), nasty_text(120),
                                st.booleans()).map(lambda a: _encoded(
                          '<html><head><script type="application/ld+json">{"@type": ' + json.dumps(a[2][:30])
                          + '}</script></head><body>' + f"<{a[1]}>" * a[0] + f"<p>{a[2]} said the mayor.</p>"
                          + (f"</{a[1]}>" * a[0] if a[3] else "") + "</body></html>")))
    return st.one_of(plain, plain.map(gzip.compress), plain.map(lambda b: gzip.compress(b)[:max(2, len(b) // 2)]))


def check_reader(data: bytes, name: str) -> list[Loaded | InputError]:
    """Reading never raises; what is read is clean (no lone surrogate, no NUL)."""
    results = list(read_bytes(data, name or "input", name=name))
    assert results, "an input must yield an article or a reason"
    for item in results:
        assert isinstance(item, (Loaded, InputError))
        if isinstance(item, Loaded):
            for value in vars(item.article).values():
                if isinstance(value, str):
                    assert clean_text(value)[1] == [], f"unclean field {value!r}"
    return results


def check_jsonl_lines(texts: list[str]) -> None:
    """One JSON object a line stays one article a line, whatever the strings hold."""
    lines = [json.dumps({"text": t or "x"}, ensure_ascii=False) for t in texts]
    results = list(read_jsonl("\n".join(lines), "fuzz.jsonl"))
    assert len(results) == len(lines), "a line was split or lost"


def check_analysis(text: str) -> None:
    """Analysis never raises on any text and every span points at the text it reports."""
    from onrecord.analysis.pipeline import analyze_stream
    from onrecord.analysis.prepare import safe_text
    from onrecord.model import ArticleInput

    ((_, record),) = analyze_stream([ArticleInput(text)])
    if isinstance(record, Exception):
        raise record
    safe = safe_text(text)
    assert record.length == len(text)
    for s in record.statements:
        sliced = [*s.fragments, *(x for x in (s.speaker, s.cue, s.when, s.channel) if x)]
        for span in sliced if s.fragments else [s.content, *sliced]:
            assert safe[span.start:span.end] == span.text, (span, text)
        if s.fragments:  # a split content: from its first part to its last, its text theirs joined
            assert (s.content.start, s.content.end) == (s.fragments[0].start, s.fragments[-1].end)
            assert s.content.text == " … ".join(f.text for f in s.fragments), (s.content, text)
    record.model_dump_json()  # encodable


def check_output(text: str) -> None:
    """Tables never carry a control character; CSV never starts a cell with a formula."""
    shown = terminal_safe(text)
    assert not any(ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in shown), repr(shown)
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_START)
    out = io.StringIO()
    csv.writer(out).writerow([cell])
    assert next(csv.reader(io.StringIO(out.getvalue())), [""])[0] == cell or "\r" in cell

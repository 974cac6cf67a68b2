"""Cutting articles into parser-sized pieces."""

from onrecord.analysis.segment import segments


def test_segment_skips_repeats_and_respects_limit():
    text = "para one.\n" * 30
    pieces = segments(text, [(20, 40)], limit=50)
    assert all(b - a <= 50 for a, b in pieces)
    assert not any(a < 40 and b > 20 for a, b in pieces)
    covered = sum(b - a for a, b in pieces)
    assert covered == len(text) - 20


def test_segment_cuts_long_paragraph_at_sentence_ends():
    text = ("This is one sentence. " * 20).strip()
    pieces = segments(text, [], limit=100)
    assert all(b - a <= 100 for a, b in pieces)
    assert all(text[b - 1] in ". " for a, b in pieces[:-1])

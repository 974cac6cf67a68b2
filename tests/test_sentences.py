"""The sentence around a statement, found by punctuation (no parser)."""

from __future__ import annotations

from onrecord.sentences import context_of

TEXT = ('Mayor Tom Alvarez met reporters. Dr. Ann Lee of the U.S. agency said on Monday that the dam '
        'was safe. "We checked it," she said. Engineers agreed.\nA new paragraph starts here.')


def _around(words: str) -> str:
    i = TEXT.index(words)
    return context_of(TEXT, i, i + len(words))


def test_sentence_around_keeps_abbreviations_and_initials_inside():
    assert _around("the dam was safe") == "Dr. Ann Lee of the U.S. agency said on Monday that the dam was safe."


def test_sentence_around_a_quotation_holds_its_attribution():
    assert _around("We checked it") == '"We checked it," she said.'


def test_sentence_around_stops_at_a_line_break():
    assert _around("new paragraph") == "A new paragraph starts here."


def test_sentence_around_a_long_run_is_cut_at_words():
    text = "word " * 300 + "the claim " + "word " * 300
    i = text.index("the claim")
    found = context_of(text, i, i + 9)
    assert "the claim" in found and len(found) <= 2 * 400 + 20
    assert found.startswith("word") and found.endswith("word")

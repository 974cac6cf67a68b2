"""Quotation marks of every style, paired per paragraph with repairs by context."""

import pytest

from onrecord.analysis.rules.quotes import QuoteIndex, find_quotes


def inner(text):
    return [text[q.inner_start:q.inner_end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She said “we will win” today.", ["we will win"]),
        ('She said "we will win" today.', ["we will win"]),
        ("Er sagte „wir gewinnen“ heute.", ["wir gewinnen"]),
        ("Il a dit « nous gagnerons » hier.", ["nous gagnerons"]),
        ("He said ''no deal'' on Monday.", ["no deal"]),
        ("He said ``no deal'' on Monday.", ["no deal"]),
        ("The PM called it ‘a disaster’ on Monday.", ["a disaster"]),
        ("Don’t touch the players’ union’s fund.", []),
        ("“Mistyped close,“ she said.", ["Mistyped close,"]),
        ("”Mistyped open,” she said.", ["Mistyped open,"]),
        ("“Mixed marks,\" she said.", ["Mixed marks,"]),
    ],
)
def test_quotes_styles(text, expected):
    assert [s.strip() for s in inner(text)] == [s.strip() for s in expected]


def test_quotes_split_around_attribution_are_two_regions():
    text = "“A good deal,” he said, “is still possible.”"
    assert inner(text) == ["A good deal,", "is still possible."]


def test_quotes_multi_paragraph_share_a_group():
    text = "“The first paragraph of the quote.\n“The second one ends it,” she said.\nNext."
    quotes = find_quotes(text)
    assert len(quotes) == 2
    assert quotes[0].group == quotes[1].group
    assert not quotes[0].closed and quotes[1].closed


def test_quotes_unbalanced_close_at_paragraph_end():
    text = "He said “this never closes.\nA new paragraph “with a quote” here."
    quotes = find_quotes(text)
    assert [text[q.inner_start:q.inner_end] for q in quotes] == ["this never closes.", "with a quote"]
    assert quotes[0].group != quotes[1].group


def test_quotes_index_lookups_and_fraction():
    text = "X said “abc def” and more."
    index = QuoteIndex(find_quotes(text))
    assert index.containing(text.index("abc")) is not None
    assert index.containing(text.index("more")) is None
    assert index.at(text.index("“")) is not None
    assert index.quoted_fraction(text, [(text.index("“"), len(text))]) == pytest.approx(6 / 13)

"""Repeated passages inside one article."""

from onrecord.analysis.repeats import find_repeats

STORY = (
    "The minister said on Monday that the budget would be cut by a tenth next year.\n"
    "Opposition leaders called the plan reckless and promised to vote against it in parliament.\n"
    "“We will not accept this,” one of them told reporters outside the building.\n"
)


def test_dedup_exact_copy_of_whole_story():
    text = STORY + STORY
    repeats = find_repeats(text)
    assert len(repeats) == 1
    dup = repeats[0]
    assert (dup.start, dup.end) == (len(STORY), len(text) - 1)
    assert (dup.same_as.start, dup.same_as.end) == (0, len(STORY) - 1)
    assert dup.exact


def test_dedup_near_copy_with_edited_word():
    copy = STORY.replace("reckless", "dangerous").replace("“", '"').replace("”", '"')
    repeats = find_repeats(STORY + "Other news follows here.\n" + copy)
    assert len(repeats) == 1 and not repeats[0].exact


def test_dedup_distinct_text_has_no_repeats():
    other = "A different story about the weather, which was sunny and warm across the north all day.\n"
    assert find_repeats(STORY + other) == []


def test_dedup_short_repeated_line_is_ignored():
    assert find_repeats("Read more.\nA story here.\nRead more.\n") == []

"""Where a statement was made: platforms, broadcasts, occasions."""

import pytest
from conftest import statement_with

from onrecord import analyze


@pytest.mark.parametrize(
    "text, words, channel",
    [
        ("“We are ready,” the mayor wrote on Twitter.", "We are ready", "Twitter"),
        ("The senator said in an interview with CNN that she would run.", "she would run", "interview"),
        ("“Prices will fall,” he said in remarks broadcast on state television.", "Prices will fall",
         "state television"),
    ],
)
def test_channels_found(text, words, channel):
    s = statement_with(analyze(text), words)
    assert s.channel is not None and channel in s.channel.text


def test_channels_absent_when_not_given():
    assert statement_with(analyze("The mayor said the road was closed."), "road").channel is None

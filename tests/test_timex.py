"""Time expressions resolved against the publication date (a Saturday here)."""

from datetime import date

import pytest
from conftest import statement_with

from onrecord import analyze
from onrecord.analysis.rules.timex import resolve
from onrecord.dates import parse_date

SATURDAY = date(2025, 3, 15)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on Thursday", "2025-03-13"),
        ("Friday", "2025-03-14"),
        ("on Saturday", "2025-03-15"),
        ("last Saturday", "2025-03-08"),
        ("next Monday", "2025-03-17"),
        ("yesterday", "2025-03-14"),
        ("today", "2025-03-15"),
        ("last August", "2024-08"),
        ("last March", "2024-03"),
        ("next January", "2026-01"),
        ("over the past week", "2025-03-08/2025-03-15"),
        ("in the past two weeks", "2025-03-01/2025-03-15"),
        ("last week", "2025-03-03/2025-03-09"),
        ("last month", "2025-02"),
        ("last year", "2024"),
        ("March 3", "2025-03-03"),
        ("Sept. 11, 2001", "2001-09-11"),
    ],
)
def test_timex_resolve(text, expected):
    assert resolve(text, SATURDAY) == expected


def test_timex_without_publication_date_keeps_text_only():
    assert resolve("on Thursday", None) is None


def test_timex_parse_date_rejects_garbage_with_a_hint():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("next tuesday-ish")


def test_timex_statement_when_resolved():
    record = analyze("The minister said on Thursday that prices would fall.", published="2025-03-15")
    s = statement_with(record, "prices would fall")
    assert s.when.text == "on Thursday" and s.when.date == "2025-03-13"


def test_timex_time_inside_quote_is_relative_to_the_speaker():
    text = "“We met them yesterday,” the envoy said."
    record = analyze(text, published="2025-03-15")
    inside = next(t for t in record.times if t.text == "yesterday")
    assert inside.relative_to == record.statements[0].id
    assert inside.date is None  # the envoy's own day of speaking is not given

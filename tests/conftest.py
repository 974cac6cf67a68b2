"""Shared helpers: one analysis call per sentence, statements looked up by their words."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord import analyze
from onrecord.model import ArticleRecord, Statement

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def statement_with(record: ArticleRecord, words: str) -> Statement:
    """The statement whose content holds ``words``; fails the test if there is none."""
    for statement in record.statements:
        if words in statement.content.text:
            return statement
    found = [s.content.text for s in record.statements]
    raise AssertionError(f"no statement holds {words!r}; found {found}")


@pytest.fixture(scope="session")
def kursk_text() -> str:
    return (EXAMPLES / "kursk-ceasefire.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kursk_record(kursk_text) -> ArticleRecord:
    return analyze(kursk_text, published="2025-03-15")

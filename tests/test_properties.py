"""Properties that hold for any input: every span slices the text to the text it reports."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord import analyze

NAMES = ["Anna Berg", "the ministry", "He", "Officials", "Paris", "Dr. Ng"]
CUES = ["said", "denied", "told reporters", "urged voters to act", "warned", "believes"]
CLAUSES = ["the plan failed", "prices will rise", "«nothing changed»", "“we won”", "\"no\" was the answer"]
MARKS = ["“", "”", '"', "«", "»", "''", "‘", "’", "\n", "\n\n", " — ", ": ", ", ", ". "]


@st.composite
def news_like(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(draw(st.sampled_from([
            f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(CUES))} {draw(st.sampled_from(CLAUSES))}.",
            f"“{draw(st.sampled_from(CLAUSES))},” {draw(st.sampled_from(NAMES))} said.",
            draw(st.sampled_from(MARKS)),
            draw(st.text(min_size=0, max_size=12)),
        ])))
        parts.append(draw(st.sampled_from([" ", "\n", "\n\n", ""])))
    return "".join(parts)


def _spans(record):
    """Every span whose text is the input's characters at its offsets (a split content's text
    is its fragments joined instead: ``test_properties_spans_slice_the_input`` checks that)."""
    for s in record.statements:
        if not s.fragments:
            yield s.content
        yield from s.fragments
        for extra in (s.speaker, s.cue, s.when, s.channel):
            if extra is not None:
                yield extra
    yield from record.places
    yield from record.times


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like())
def test_properties_spans_slice_the_input(text):
    record = analyze(text)
    assert record.length == len(text)
    for span in _spans(record):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text
    ids = {s.id for s in record.statements}
    for s in record.statements:
        assert set(s.denies) <= ids and set(s.denied_by) <= ids
        if s.fragments:  # a split content spans its parts, and its text is theirs joined
            assert 0 <= s.content.start <= s.content.end <= len(text)
            assert (s.content.start, s.content.end) == (s.fragments[0].start, s.fragments[-1].end)
            assert s.content.text == " … ".join(f.text for f in s.fragments)
        assert s.kind in ("direct", "indirect", "mixed")
    for speaker in record.speakers:
        for start, end in speaker.mentions:
            assert 0 <= start < end <= len(text)
    for dup in record.duplicates:
        assert dup.same_as.end <= dup.start

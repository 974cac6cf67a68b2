"""Transcripts and Q&A interviews: the guests' turns are statements, the interviewer's are not."""

from __future__ import annotations

from onrecord import ArticleInput, analyze, analyze_many
from onrecord.analysis.rules.transcript import find_turns, is_phatic, spoken_case
from onrecord.lexicon import default_lexicon

WORDS = default_lexicon().attribution

RADIO = (
    "PAUL REYES, HOST: This is Morning Desk. My guest is Ada Brandt, who runs the city's water board. Welcome.\n"
    "ADA BRANDT: Thank you, Paul.\n"
    "REYES: The board has said it will raise rates next year. Is that still the plan?\n"
    "BRANDT: It is. The pipes under the old town are a hundred years old and they are failing.\n"
    "(CROSSTALK)\n"
    "REYES: Some residents say they cannot pay more.\n"
    "BRANDT: I think we can protect the poorest households with a discount, and we will.\n"
    "REYES: Ada Brandt, thanks for coming in.\n"
)

MAGAZINE = (
    "Tomas Lind has kept bees on the roofs of the old port for a decade.\n"
    "Harbour: You have said that the city's bees are healthier than the country's. Why?\n"
    "Lind: Fewer pesticides. A city roof is full of flowers nobody sprays.\n"
    "Most of my hives make more honey than they did in the valley.\n"
    "Harbour: What would you change?\n"
    "Lind: More trees along the quays. The council keeps promising them.\n"
    "Opening hours: Saturday 9-12 at the market.\n"
)


def interview(text: str):
    """The record of ``text`` read as an interview page (as ``ingest`` classifies a Q&A)."""
    [record] = analyze_many([ArticleInput(text=text, kind="interview")])
    return record


def _by_content(record, words: str):
    return [s for s in record.statements if words in s.content.text]


def test_a_radio_transcript_lists_the_guest_and_refuses_the_host():
    record = interview(RADIO)
    turns = [s for s in record.statements if s.cue is not None and s.cue.text == ":"]
    assert [s.speaker.name for s in turns] == ["Ada Brandt", "Ada Brandt"]
    assert "pipes under the old town" in turns[0].content.text
    reasons = [r.reason for r in record.refused]
    assert sum("interviewer" in r for r in reasons) == 4
    assert any("greets or thanks" in r for r in reasons)  # "Thank you, Paul."


def test_the_surname_label_is_the_full_label_speaker():
    record = interview(RADIO)
    [pipes] = _by_content(record, "pipes under the old town")
    assert pipes.speaker.name == "Ada Brandt" and pipes.speaker.text == "BRANDT"


def test_an_attribution_inside_a_question_stays_and_you_is_the_guest():
    record = interview(MAGAZINE)
    [healthier] = _by_content(record, "bees are healthier")
    assert healthier.speaker.name == "Tomas Lind"
    assert not any("Why?" in s.content.text for s in record.statements)


def test_an_unlabelled_paragraph_between_turns_carries_the_answer_on():
    record = interview(MAGAZINE)
    [more] = _by_content(record, "Most of my hives")
    assert more.speaker.name == "Tomas Lind"
    assert "Fewer pesticides" not in more.content.text


def test_the_line_after_the_last_turn_is_not_a_continuation():
    record = interview(MAGAZINE)
    assert not _by_content(record, "Opening hours")


def test_a_transcript_reprinted_in_a_news_story_quotes_the_host_too():
    record = analyze(RADIO)  # no page kind: a story that reprints the exchange
    speakers = [s.speaker.name for s in record.statements if s.cue is not None and s.cue.text == ":"]
    assert speakers.count("Paul Reyes") == 4 and speakers.count("Ada Brandt") == 2


def test_a_multi_paragraph_quotation_of_a_turn_is_one_statement():
    text = ('The senator spoke on the radio on Sunday.\n'
            '"HOST: Will you vote for the bill?\n'
            '"ORTEGA: No. It spends too much and it builds too little.\n'
            '"And the states were never asked what they need.\n'
            '"HOST: Not even with the amendment?\n'
            '"ORTEGA: Not even then."\n')
    record = analyze(text)
    [no] = _by_content(record, "spends too much")
    assert "never asked" in no.content.text and not _by_content(record, "never asked")[1:]


def test_a_stage_direction_is_nobodys():
    turns = find_turns(RADIO, WORDS)
    texts = [RADIO[t.body[0]:t.body[1]] for t in turns.turns]
    assert "(CROSSTALK)" not in texts


def test_the_guests_own_i_think_is_the_turn_not_a_second_statement():
    record = interview(RADIO)
    assert len(_by_content(record, "protect the poorest households")) == 1


def test_the_interviewer_is_the_one_who_asks():
    turns = find_turns(MAGAZINE, WORDS)
    assert {t.who for t in turns.turns if t.interviewer} == {"harbour"}
    assert {t.who for t in turns.turns if not t.interviewer} == {"lind"}


def test_a_page_of_labelled_notes_is_no_dialogue():
    text = ("Update: The council voted 5-2 to close the pool.\n"
            "The mayor said the pool would reopen in spring.\n"
            "Correction: An earlier version misspelled the mayor's name.\n")
    assert find_turns(text, WORDS).turns == []
    record = analyze(text)
    assert [s.content.text for s in record.statements] == ["the pool would reopen in spring"]


def test_a_title_case_label_that_never_recurs_is_not_a_turn():
    text = "Sarah Cole: a life in photographs opens at the museum on Friday.\nThe curator said it took two years.\n"
    assert find_turns(text, WORDS).turns == []


def test_phatic_turns():
    assert is_phatic("Thanks for having me.", WORDS)
    assert is_phatic("Thank you, David.", WORDS)
    assert is_phatic("Good morning.", WORDS)
    assert not is_phatic("Thanks to the new pumps, the streets drained within an hour of the storm passing.", WORDS)
    assert not is_phatic("Thanks to the pumps, it drained.", WORDS)
    assert not is_phatic("Welcome news for the farmers, but it comes too late for most of them.", WORDS)


def test_a_label_in_capitals_is_spelled_as_a_name():
    assert spoken_case("PAUL REYES") == "Paul Reyes"
    assert spoken_case("O'BRIEN") == "O'Brien"
    assert spoken_case("JEAN-LUC PICARD") == "Jean-Luc Picard"
    assert spoken_case("MCCAIN") == "McCain"

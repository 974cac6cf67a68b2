"""Direct quotations: every way news writes them, on sentences written for these tests."""

import pytest
from conftest import statement_with

from onrecord import analyze


def test_direct_quote_then_said_name():
    record = analyze("“The bridge will reopen in May,” Mayor Anne Hidalgo said on Tuesday.")
    s = statement_with(record, "bridge will reopen")
    assert s.kind == "direct"
    assert s.content.text == "The bridge will reopen in May"
    assert s.speaker.name == "Anne Hidalgo"
    assert s.cue.text == "said"


def test_direct_quote_inverted_said_name_with_apposition():
    record = analyze("“Prices are falling,” said Maria Lopez, an economist at the central bank.")
    s = statement_with(record, "Prices are falling")
    assert s.speaker.name == "Maria Lopez"


def test_direct_split_quote_is_one_statement():
    text = "“A deal is close,” the senator said, “but we are not there yet.”"
    record = analyze(text)
    assert len(record.statements) == 1
    s = record.statements[0]
    assert [f.text for f in s.fragments] == ["A deal is close", "but we are not there yet."]
    assert s.kind == "direct"


def test_direct_several_sentences_in_one_quote():
    text = "“We lost. We will learn. Then we will win,” the coach said."
    record = analyze(text)
    assert len(record.statements) == 1
    assert record.statements[0].content.text == "We lost. We will learn. Then we will win"


def test_direct_consecutive_quotes_of_one_speaker_join():
    text = "“The plan is bold,” said Tom Reed, a city planner. “It will take ten years to build.”"
    record = analyze(text)
    assert len(record.statements) == 1
    s = record.statements[0]
    assert len(s.fragments) == 2 and s.speaker.name == "Tom Reed"


def test_direct_quote_over_paragraphs():
    text = ("The governor spoke for an hour.\n\n"
            "“We have rebuilt the schools and the roads.\n\n"
            "“Now we will rebuild the hospitals,” she said.\n")
    record = analyze(text)
    s = statement_with(record, "rebuilt the schools")
    assert "rebuild the hospitals" in s.content.text
    assert s.speaker.text == "she"


def test_direct_attribution_before_colon():
    text = "The minister told reporters: “There will be no new taxes this year.”"
    s = statement_with(analyze(text), "no new taxes")
    assert s.speaker.text == "The minister" and s.kind == "direct"
    assert s.cue.text == "told"


def test_direct_colon_introduces_next_paragraph():
    text = "Later the chairman added:\n\n“We expect profits to double by next summer.”\n"
    s = statement_with(analyze(text), "profits to double")
    assert s.speaker.text == "the chairman"


def test_direct_signed_after_a_dash():
    text = "“Nobody listens to the farmers anymore.” ― Pedro Alvarez\n"
    s = statement_with(analyze(text), "Nobody listens")
    assert s.speaker.text == "Pedro Alvarez"


def test_direct_scare_quotes_and_titles_are_not_statements():
    text = ("The so-called “peace dividend” never came. "
            "She starred in “The Long Road Home” last year.")
    assert analyze(text).statements == []


def test_direct_unattributed_speech_is_refused_with_its_reason():
    """A quotation nobody is said to have said is no statement; the record keeps it as refused."""
    text = "The hall fell silent.\n\n“We will never give up our land, never, whatever they offer us.”\n"
    record = analyze(text)
    assert record.statements == []
    [refused] = record.refused
    assert "never give up" in refused.text and refused.reason.startswith("no speaker")
    assert text[refused.start:refused.end] == refused.text


def test_direct_quote_with_straight_marks_and_said_first():
    s = statement_with(analyze('Smith said: "The vote was rigged."'), "vote was rigged")
    assert s.speaker.name == "Smith" and s.kind == "direct"


def test_direct_transcript_speaker_label():
    text = "HOST: Will you run again?\nSMITH: I have not decided yet.\n"
    record = analyze(text)
    s = statement_with(record, "not decided")
    assert s.speaker.text == "SMITH"


def test_direct_sentence_initial_said_name_colon():
    text = "The plan drew criticism. Said Ellis: “Nobody asked the farmers what they need.”"
    s = statement_with(analyze(text), "Nobody asked")
    assert s.speaker.text == "Ellis" and s.speaker.name == "Ellis"


def test_direct_speaker_between_quote_and_cue_with_apposition():
    text = "“Severe disconnect,” Flynn, a top campaign surrogate, said on Thursday. “It is dangerous.”"
    s = statement_with(analyze(text), "Severe disconnect")
    assert s.speaker.text.startswith("Flynn")
    assert "It is dangerous" in s.content.text


def test_direct_quote_later_in_the_sentence_joins_the_statement():
    text = "She said she has the quality the job needs: “Steadiness, and strength.”"
    record = analyze(text)
    assert len(record.statements) == 1
    assert record.statements[0].kind == "mixed"
    assert "Steadiness" in record.statements[0].content.text


def test_direct_continuation_past_a_relative_clause_in_the_attribution():
    text = ('"These are strange days," said Peter Morgan, a lawyer who has been challenging the '
            'industry for years. "I am skeptical they can pull it off."')
    record = analyze(text)
    s = statement_with(record, "strange days")
    assert "skeptical" in s.content.text and s.speaker.name == "Peter Morgan"


def test_direct_quote_after_a_reported_statement_continues_its_speaker():
    text = "The agency may delay the vote, Schiff said. “The other factor is the election.”"
    record = analyze(text)
    s = statement_with(record, "other factor")
    assert s.speaker.name == "Schiff" and "may delay the vote" in s.content.text


def test_direct_quote_after_a_said_whose_quote_another_statement_took():
    text = ("Lee said she felt the law was unfair because “nobody reads it,” she said. "
            "“We have no context otherwise.”")
    s = statement_with(analyze(text), "no context")
    assert s.speaker is not None and s.speaker.text == "she"


def test_direct_quote_a_few_words_after_a_cue():
    text = "Even now she still says things such as, “We are not all meant to be equal.”"
    s = statement_with(analyze(text), "not all meant")
    assert s.speaker.text == "she" and s.cue.text == "says"


def test_direct_a_pronoun_between_quotes_does_not_interrupt_the_speaker():
    text = ('"We have had problems before," Obama said after the meeting. He did not suggest retaliation. '
            '"Our goal is not escalation."')
    s = statement_with(analyze(text), "problems before")
    assert "escalation" in s.content.text


def test_direct_the_narrator_goes_on_after_a_closed_quote():
    record = analyze("“We are not leaving,” the tenants said, and the landlord called the police.")
    s = statement_with(record, "not leaving")
    assert s.kind == "direct" and s.content.text == "We are not leaving"
    # without quotation marks, the rest of the sentence after "X said," is still the content
    record = analyze("Prices rose 3 percent, the agency said in a report, and wages rose 1 percent.")
    assert "wages rose 1 percent" in statement_with(record, "Prices rose").content.text


@pytest.mark.parametrize("text", [
    "“We will win,” Smith, a party official, said Thursday on CNN’s “State of the Union.” “I mean, the voters are with us.”",
    "“The economy is strong,” the minister told “60 Minutes” on Sunday. “We expect growth.”",
])
def test_direct_a_programme_named_in_the_attribution_is_neither_content_nor_a_break(text):
    statements = analyze(text).statements
    assert len(statements) == 1
    assert [f.text for f in statements[0].fragments][1:] in (["I mean, the voters are with us."], ["We expect growth."])


def test_direct_a_topic_in_quotes_is_still_content():
    s = statement_with(analyze("She spoke about “the forgotten men and women” of the Rust Belt."), "forgotten men")
    assert s.cue.text == "spoke"



def test_direct_a_quote_before_the_cue_wins_over_a_clause_after_a_comma():
    text = ("“You should resign and give back the money,” the senator told the banker, after he admitted "
            "under questioning he had not been fired.")
    s = statement_with(analyze(text), "should resign")
    assert s.speaker.text == "the senator" and s.cue.text == "told"


def test_direct_the_speaker_right_before_a_quote_owns_it():
    text = "The advert ends with footage of the mayor saying at a rally last week, “Taxes will never rise,” to loud cheers."
    s = statement_with(analyze(text), "Taxes will never rise")
    assert s.speaker.text == "the mayor" and s.cue.text == "saying"


def test_direct_a_letter_reads():
    s = statement_with(analyze("“Our schools are not for sale,” the letter reads."), "not for sale")
    assert s.speaker.text == "the letter"

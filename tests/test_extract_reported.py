"""Reported speech and attributions of belief and evidence."""

import pytest
from conftest import statement_with

from onrecord import analyze


@pytest.mark.parametrize(
    "text, content, speaker, cue, type_",
    [
        ("The mayor said on Monday that the bridge would reopen in May.",
         "the bridge would reopen in May", "The mayor", "said", "assertion"),
        ("Unions urged the government to raise the minimum wage.",
         "the government to raise the minimum wage", "Unions", "urged", "appeal"),
        ("The prosecutor accused the bank of hiding losses from investors.",
         "the bank of hiding losses from investors", "The prosecutor", "accused", "accusation"),
        ("The company denied the allegations.", "the allegations", "The company", "denied", "denial"),
        ("The economy will shrink next year, according to the central bank.",
         "The economy will shrink next year", "the central bank", "according to", "assertion"),
        ("According to the report, thousands of jobs were lost.",
         "thousands of jobs were lost", "the report", "According to", "assertion"),
        ("The minister told reporters the talks had failed.",
         "the talks had failed", "The minister", "told", "assertion"),
        ("Jones insisted the vote had been fair.", "the vote had been fair", "Jones", "insisted", "assertion"),
        ("Most economists believe inflation has peaked.",
         "inflation has peaked", "Most economists", "believe", "belief"),
        ("A new poll shows the race is tied.", "the race is tied", "A new poll", "shows", "assertion"),
        ("The rebels promised to release the hostages.",
         "to release the hostages", "The rebels", "promised", "offer"),
        ("The general threatened to resign.", "to resign", "The general", "threatened", "threat"),
        ("Prices will rise again, the finance minister warned.",
         "Prices will rise again", "the finance minister", "warned", "warning"),
        ("The senator asked whether the money had been spent.",
         "the money had been spent", "The senator", "asked", "question"),
    ],
)
def test_reported_constructions(text, content, speaker, cue, type_):
    s = statement_with(analyze(text), content)
    assert s.kind == "indirect"
    assert s.speaker.text == speaker
    assert s.cue.text == cue
    assert s.type == type_


def test_reported_parenthetical_attribution_keeps_both_halves():
    text = "The factory, the owner said, will close next month."
    s = statement_with(analyze(text), "The factory")
    assert "will close next month" in s.content.text
    assert s.speaker.text == "the owner"


def test_reported_participle_borrows_the_subject():
    text = "The coach praised the team, adding that the season was not over."
    s = statement_with(analyze(text), "the season was not over")
    assert s.speaker.text == "The coach" and s.cue.text == "adding"


def test_reported_relative_clause_speaker_is_the_pronoun_resolved_to_its_antecedent():
    text = "The Kremlin, which said the talks were useful, wants more."
    s = statement_with(analyze(text), "the talks were useful")
    assert s.speaker.text == "which" and s.speaker.name == "Kremlin"


def test_reported_nested_attribution_is_its_own_statement():
    text = "Merkel urged calm as she said the crisis would pass."
    record = analyze(text)
    urge = statement_with(record, "calm")
    assert "crisis" not in urge.content.text
    assert statement_with(record, "the crisis would pass").cue.text == "said"


def test_reported_passive_without_agent_is_refused_for_want_of_a_speaker():
    record = analyze("The deal is expected to be signed on Friday.")
    assert record.statements == [] and "signed" in record.refused[0].text


def test_reported_self_report_is_not_doubled():
    record = analyze("Lee said he believed the plan would work.")
    assert len(record.statements) == 1
    assert record.statements[0].content.text == "he believed the plan would work"


def test_mixed_reported_speech_with_quoted_fragments():
    text = "The minister said the strikes were “illegal” and would “not be tolerated”."
    s = statement_with(analyze(text), "illegal")
    assert s.kind == "mixed"
    assert s.content.text == "the strikes were “illegal” and would “not be tolerated”"


@pytest.mark.parametrize(
    "text, content, cue, type_",
    [
        ("The senator spoke about the need for new roads.", "the need for new roads", "spoke", "assertion"),
        ("The union called for a general strike in May.", "a general strike in May", "called", "appeal"),
        ("Activists railed against the new law.", "the new law", "railed", "criticism"),
        ("The mayor described the fire as a tragedy.", "the fire as a tragedy", "described", "assertion"),
    ],
)
def test_reported_cues_that_carry_content_in_a_preposition(text, content, cue, type_):
    s = statement_with(analyze(text), content)
    assert s.cue.text == cue and s.type == type_


def test_reported_phone_call_is_not_a_statement():
    assert analyze("The candidate called her rival on Friday.").statements == []


def test_reported_object_content_runs_to_the_end_of_the_clause():
    text = "Senator Warren grilled the bank's chief on Tuesday for his role in the scheme."
    s = statement_with(analyze(text), "the bank's chief")
    assert s.content.text == "the bank's chief on Tuesday for his role in the scheme"


def test_reported_object_controls_the_for_participle():
    text = "The panel criticized the witness for refusing to testify."
    s = next(s for s in analyze(text).statements if s.cue.text == "refusing")
    assert s.speaker.text == "the witness"


def test_reported_a_date_is_never_the_speaker():
    s = statement_with(analyze("Attorney General Cooper called Friday for releasing the videos."), "releasing")
    assert s.speaker is None or "Friday" not in s.speaker.text


@pytest.mark.parametrize(
    "text, speaker, content, type_",
    [
        ("Putin's claim that the troops were surrounded was false.", "Putin", "the troops were surrounded", "assertion"),
        ("Her promise to cut taxes won votes.", "Her", "to cut taxes", "offer"),
        ("His argument was that the law is unfair.", "His", "the law is unfair", "assertion"),
    ],
)
def test_reported_statement_nouns_with_a_named_owner(text, speaker, content, type_):
    s = statement_with(analyze(text), content)
    assert s.speaker.text == speaker and s.type == type_


def test_reported_statement_noun_without_owner_is_not_a_statement():
    assert analyze("Claims of abuse surfaced last year.").statements == []


def test_reported_as_someone_put_it():
    s = statement_with(analyze("As the economist put it, the tax plan is a gift to the rich."), "gift to the rich")
    assert s.speaker.text == "the economist" and s.cue.text == "put"


def test_reported_went_after_is_criticism_but_went_to_is_nothing():
    s = statement_with(analyze("Reid has gone after Trump as a “spoiled brat”."), "spoiled brat")
    assert s.type == "criticism" and s.kind == "mixed"
    assert analyze("He went to the store after work.").statements == []


@pytest.mark.parametrize("text, words, content", [
    ("Accusing the board of decisions that she said amounted to negligence, the shareholder said she would sue.",
     "the board", "the board of decisions"),
    ("While accusing rebels of attacks on villages that he said amounted to “genocide”, something the rebels deny, "
     "the general said talks could resume.", "rebels of", "rebels of attacks on villages"),
])
def test_reported_content_never_ends_in_a_nested_attribution(text, words, content):
    # the parse ends the accusation at "said", before what was said: "that she said" is the
    # nested statement's attribution, not the accusation's words
    record = analyze(text)
    assert statement_with(record, words).content.text == content
    assert statement_with(record, "amounted to").cue.text == "said"
    # the opening participle's speaker is the main clause's subject
    assert statement_with(record, words).speaker.text in ("the shareholder", "the general")


def test_reported_nested_statement_inside_a_content_stays_in_it():
    s = statement_with(analyze("The union accused managers of cuts that it said put patients at risk."), "managers")
    assert s.content.text == "managers of cuts that it said put patients at risk"


@pytest.mark.parametrize("text, cue", [
    ("The moderator asked the candidates to refrain from attacking their opponent.", "attacking"),
    ("His refusal to answer fully angered the committee.", "answer"),
    ("The aide refused to testify about the server.", "testify"),
    ("The ministers stopped criticizing the plan.", "criticizing"),
    ("Local officials felt comfortable with the arrangement.", "felt"),
])
def test_reported_what_was_not_said_or_a_linking_verb_is_no_statement(text, cue):
    assert all(s.cue is None or s.cue.text != cue for s in analyze(text).statements)


def test_reported_stopping_to_say_is_saying():
    s = statement_with(analyze("He stopped to say that the talks had failed."), "talks had failed")
    assert s.cue.text == "say"
    assert statement_with(analyze("She felt certain that the deal was fair."), "deal was fair").cue.text == "felt"


def test_reported_an_adjective_about_a_statement_is_not_its_content():
    record = analyze("The fact-checkers concluded that the senator’s claim was “mostly false.”")
    assert all(s.cue.text != "claim" for s in record.statements)


@pytest.mark.parametrize("text, fragments", [
    ("If the bill passes, he said, thousands of families will lose coverage.",
     ["If the bill passes", "thousands of families will lose coverage"]),
    ("When the storm hit, residents said, the power went out for three days.",
     ["When the storm hit", "the power went out for three days"]),
    ("The real problem now, she told reporters on Monday, is that nobody trusts the figures.",
     ["The real problem now", "is that nobody trusts the figures"]),
])
def test_reported_a_clause_before_a_parenthetical_attribution_is_content(text, fragments):
    statements = [s for s in analyze(text).statements if s.cue.text in ("said", "told")]
    assert [f.text for f in statements[0].fragments] == fragments


def test_reported_when_asked_the_speaker_was_asked():
    record = analyze("When asked about the plan, the mayor said it would fail.")
    assert [s.cue.text for s in record.statements] == ["said"]
    assert statement_with(record, "it would fail").content.text == "it would fail"


@pytest.mark.parametrize("text, content", [
    ("Court records show a long history of complaints against the firm.",
     "a long history of complaints against the firm"),
    ("New figures show a sharp rise in unemployment.", "a sharp rise in unemployment"),
])
def test_reported_evidence_shows_a_finding(text, content):
    assert statement_with(analyze(text), content).cue.text == "show"


def test_reported_a_film_showing_a_scene_is_no_finding():
    assert all(s.cue.text != "shows" for s in analyze("The museum shows a painting of the harbor.").statements)


def test_reported_an_infinitive_inside_a_content_is_not_a_nested_statement():
    s = statement_with(analyze('Gov. Pat Smith (R) said it would be "improper" for him to speak on the case.'), "improper")
    assert s.content.text == 'it would be "improper" for him to speak on the case'


@pytest.mark.parametrize("text, content", [
    ("At a rally, the senator likened the plan to a “Trojan horse” in a long speech.", "the plan to a “Trojan horse”"),
    ("Critics compared the governor to a “tin-pot dictator.”", "the governor to a “tin-pot dictator.”"),
])
def test_reported_likening_is_a_statement_and_its_quote_is_content(text, content):
    s = statement_with(analyze(text), "the")
    assert s.content.text.startswith(content) and s.kind == "mixed"


@pytest.mark.parametrize("text", [
    "Compared to its rivals, the firm is small.",
    "Prices rose 3 percent compared with last year.",
    "The report, announced Monday, runs to 300 pages.",
])
def test_reported_a_participle_of_what_was_done_to_something_is_no_statement(text):
    assert analyze(text).statements == []


def test_reported_crediting_someone_with_something():
    s = statement_with(analyze("The minister credited the reforms with the recovery."), "the reforms")
    assert s.content.text == "the reforms with the recovery" and s.speaker.text == "The minister"


def test_reported_a_time_clause_after_a_cue_is_not_its_content():
    record = analyze("A dozen people protested outside the Daily Herald after it backed the mayor.")
    assert all(s.cue.text != "protested" for s in record.statements)


# -- speech verbs that report no speech: idioms, imagined acts, things withheld ------------------

@pytest.mark.parametrize("text", [
    "Needless to say, the deal collapsed within a week.",
    "The minister is, so to speak, the last man standing.",
    "Suffice it to say, the committee was not impressed.",
    "Truth be told, the budget was never balanced.",
    "It goes without saying that the plan needs money.",
    "That being said, the vote was close.",
    "Let's say the bill passes next month.",
])
def test_reported_idiom_with_a_speech_verb_is_no_statement(text):
    assert analyze(text).statements == []


@pytest.mark.parametrize("text, cue, content", [
    ("That said, the government argued that the new rules would cut costs.", "argued",
     "the new rules would cut costs"),
    ("Having said that, Mayor Ruiz told reporters the bridge would open in May.", "told",
     "the bridge would open in May"),
])
def test_reported_idiom_leaves_the_real_cue_its_speaker(text, cue, content):
    [statement] = analyze(text).statements
    assert (statement.cue.text, statement.content.text) == (cue, content)


@pytest.mark.parametrize("text", [
    "The senator has offered no formal endorsement of the bill.",
    "Police have not disclosed the name of the victim.",
    "The union did not criticize the plan.",
    "He walked in as if someone had asked him to stay.",
    "She acted as though the board had promised her a raise.",
])
def test_reported_withheld_or_imagined_act_is_no_statement(text):
    assert analyze(text).statements == []


@pytest.mark.parametrize("text, content", [
    ("The council denied the claims on Tuesday.", "the claims on Tuesday"),
    ("The company offered a full refund to customers, its spokesman said.", "a full refund to customers"),
    ("The mayor said that, needless to say, taxes would rise.", "needless to say, taxes would rise"),
])
def test_reported_plain_acts_still_are_statements(text, content):
    assert content in [s.content.text for s in analyze(text).statements]


@pytest.mark.parametrize("text", [
    "Voters rejected the measure by a two-to-one margin.",
    "The Senate approved the bill on a party-line vote.",
    "Shareholders backed the merger at the annual meeting.",
    "The zoning board endorsed the new contract unanimously.",
    "Residents overwhelmingly supported the new park in Tuesday's referendum.",
])
def test_reported_a_body_s_vote_is_no_statement(text):
    """What a deciding body votes on a thing is what it did, not what it said."""
    assert analyze(text).statements == []


@pytest.mark.parametrize("text, content", [
    ("The committee rejected claims that the audit was rigged.", "claims that the audit was rigged"),
    ("Senator Ana Ruiz endorsed the governor for a second term.", "the governor"),
    ("Lawmakers praised the deal as a breakthrough.", "the deal"),
])
def test_reported_claims_rejected_and_people_endorsing_are_still_statements(text, content):
    [statement] = analyze(text).statements
    assert statement.content.text.startswith(content)


@pytest.mark.parametrize("text, content", [
    ("Health director Ann Lee told KTVB's Morning show the number of cases was rising.",
     "the number of cases was rising"),
    ("Dr. Ann Lee told the BBC's Today programme the talks had stalled.", "the talks had stalled"),
])
def test_reported_a_programme_named_after_its_outlet_is_the_venue_not_a_cue(text, content):
    """'told X's Y show ...': "show" ends the programme's name; one statement, without it."""
    [statement] = analyze(text).statements
    assert statement.content.text == content and statement.cue.text == "told"


def test_reported_an_outlet_s_person_still_speaks():
    [statement] = analyze("Russia's Putin says the talks have stalled.").statements
    assert statement.speaker.name == "Putin" and statement.content.text == "the talks have stalled"


@pytest.mark.parametrize("text", [
    "No one said the plan would fail.",
    "None of the officials said the road was safe.",
    "No official said the bridge would close.",
    "He tried to argue that the vote was rigged.",
])
def test_reported_nobody_speaking_or_speech_only_tried_is_no_statement(text):
    assert analyze(text).statements == []


def test_reported_a_wish_to_speak_is_the_wish_alone():
    """"wants to say that ..." may be a statement of a wish; the saying itself was not done."""
    record = analyze("The senator wants to say that the bill is dead.")
    assert [s.cue.text for s in record.statements] == ["wants"]


@pytest.mark.parametrize("text", [
    "The spokesman did not say whether the talks would resume.",
    "County health officials have not disclosed which schools the infected children attend.",
    "Staff realized the error only after several hundred customers complained.",
    "The regional transport board backed the plan at a meeting on Monday.",
])
def test_reported_nothing_said_open_questions_discoveries_and_votes_on_plans(text):
    """A negated cue over an open question says nothing; a verb of knowing with a thing as its
    object (and a clause only after a subordinator) is a discovery; a body backing a plan votes."""
    assert analyze(text).statements == []


def test_reported_a_negated_cue_with_a_claim_is_still_said():
    [statement] = analyze("The minister did not deny that the talks had stalled.").statements
    assert statement.content.text == "the talks had stalled"


@pytest.mark.parametrize("text", [
    "The mayor will announce the budget on Friday.",
    "The ombudsman could decide within a month whether to open an inquiry.",
])
def test_reported_speech_only_to_come_is_no_statement(text):
    assert analyze(text).statements == []


def test_reported_what_someone_said_they_would_say_is_the_outer_statement_alone():
    record = analyze("A spokesperson for the union said the union would press for a pay rise this autumn.")
    assert [s.cue.text for s in record.statements] == ["said"]


def test_reported_a_hedged_first_person_is_said_now():
    [statement] = analyze("I would argue that the levy is a mistake.", author="Gordon Lacey").statements
    assert statement.cue.text == "argue" and statement.speaker.name == "Gordon Lacey"


@pytest.mark.parametrize("text", [
    "They spoke on condition of anonymity because the talks are private.",
    "Two officials, who asked not to be named, were at the meeting.",
])
def test_reported_why_a_source_is_unnamed_is_no_statement(text):
    assert analyze(text).statements == []


@pytest.mark.parametrize("text, content", [
    # the day of the saying, right after the cue, is the attribution's (the parser hangs it
    # on the reported verb)
    ("The mayor said Monday the bridge would reopen in May.", "the bridge would reopen in May"),
    ("Farmers said on Monday they doubted the plan.", "they doubted the plan"),
    ("The mayor said Tuesday night the bridge would reopen.", "the bridge would reopen"),
    # a day that is the reported clause's own subject stays
    ("The mayor said Monday's vote was rigged.", "Monday's vote was rigged"),
])
def test_reported_day_of_the_saying_is_not_content(text, content):
    (statement, *_) = analyze(text).statements
    assert statement.content.text == content

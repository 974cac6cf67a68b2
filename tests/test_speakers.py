"""Speakers resolved to canonical names: names, titles, pronouns, organisations, sources."""

import pytest
from conftest import statement_with

from onrecord import analyze


def test_speakers_full_name_then_surname_are_one_speaker():
    text = ("German Chancellor Olaf Scholz arrived in Paris on Monday. "
            "Scholz said the alliance was stronger than ever.")
    record = analyze(text)
    s = statement_with(record, "alliance was stronger")
    assert s.speaker.name == "Olaf Scholz"
    speaker = next(sp for sp in record.speakers if sp.id == s.speaker.id)
    assert speaker.kind == "person"


def test_speakers_pronoun_in_next_sentence():
    text = ("Senator Maria Cantwell visited the port on Friday. "
            "“The port needs investment,” she said.")
    assert statement_with(analyze(text), "port needs").speaker.name == "Maria Cantwell"


def test_speakers_pronoun_prefers_the_subject_over_the_object():
    text = "Angela Merkel thanked Emmanuel Macron as she said the summit had succeeded."
    assert statement_with(analyze(text), "summit had succeeded").speaker.name == "Angela Merkel"


def test_speakers_pronoun_agrees_in_gender():
    text = ("Mr. Hans Weber met Ms. Clara Stein in Berlin. "
            "She said the merger would go ahead.")
    assert statement_with(analyze(text), "merger").speaker.name == "Clara Stein"


def test_speakers_mr_title_picks_the_man_of_a_family():
    text = ("Michelle Obama and Barack Obama arrived together. "
            "Mr. Obama said the election was important.")
    assert statement_with(analyze(text), "election was important").speaker.name == "Barack Obama"


def test_speakers_gendered_title_skips_the_nearer_namesake():
    text = ("Hillary Clinton arrived late. Bill Clinton spoke first. "
            "Mrs. Clinton said the plan would cut costs. Mr. Clinton said he agreed.")
    record = analyze(text)
    assert statement_with(record, "cut costs").speaker.name == "Hillary Clinton"
    assert statement_with(record, "agreed").speaker.name == "Bill Clinton"


def test_speakers_gendered_title_never_joins_a_namesake_of_the_other_gender():
    record = analyze("Bill Clinton spoke first. Mrs. Clinton said the plan would cut costs.")
    assert statement_with(record, "cut costs").speaker.name != "Bill Clinton"


def test_speakers_organisation_and_place_as_speakers():
    text = ("The Kremlin said the talks were useful. "
            "Kyiv denied that its troops had withdrawn.")
    record = analyze(text)
    kremlin = statement_with(record, "talks were useful")
    kyiv = statement_with(record, "troops had withdrawn")
    kinds = {sp.id: sp.kind for sp in record.speakers}
    assert kremlin.speaker.name == "Kremlin" and kinds[kremlin.speaker.id] == "organization"
    assert kyiv.speaker.name == "Kyiv" and kinds[kyiv.speaker.id] == "place"


def test_speakers_anonymous_source():
    record = analyze("A senior official said the sanctions would be lifted.")
    s = statement_with(record, "sanctions")
    kinds = {sp.id: sp.kind for sp in record.speakers}
    assert kinds[s.speaker.id] == "anonymous"


def test_speakers_the_title_refers_back_to_the_titled_person():
    text = ("President Lula da Silva opened the summit. "
            "The president said hunger would end within a decade.")
    assert statement_with(analyze(text), "hunger").speaker.name == "Lula da Silva"


def test_speakers_unresolvable_pronoun_stays_unnamed():
    s = statement_with(analyze("He said the war was over."), "war was over")
    assert s.speaker.text == "He" and s.speaker.name is None and s.speaker.id is None


def test_speakers_mentions_point_at_their_text():
    text = "Ursula von der Leyen spoke first. Von der Leyen said Europe was ready."
    record = analyze(text)
    for speaker in record.speakers:
        for start, end in speaker.mentions:
            assert text[start:end] in speaker.aliases


def test_speakers_pronoun_skips_the_subject_of_a_reported_clause():
    text = ("Senator Bob Casey said he believes Mitch McConnell is right about the vote. "
            "“The votes are there,” he said.")
    assert statement_with(analyze(text), "votes are there").speaker.name == "Bob Casey"


def test_speakers_hyphenated_names_keep_their_hyphen():
    text = "Jo-Renee Formicola, a professor, said the debate mattered."
    assert statement_with(analyze(text), "debate mattered").speaker.name == "Jo-Renee Formicola"


def test_speakers_description_joins_the_named_body_of_the_same_owner():
    text = ("France's military leadership rejected the reports. "
            "“Our troops are safe,” France's Defence Staff posted on social media.")
    record = analyze(text)
    first = statement_with(record, "the reports")
    second = statement_with(record, "troops are safe")
    assert first.speaker.id == second.speaker.id


def test_speakers_a_day_after_the_cue_is_never_the_speaker():
    s = statement_with(analyze("The union leader, a veteran of many strikes, called Tuesday for a walkout at the plant."),
                       "walkout")
    assert s.speaker.text == "The union leader"


def test_speakers_a_participle_speaks_for_the_person_it_follows():
    record = analyze("The campaign released video of Governor Tom Reed promising to cut taxes.")
    assert statement_with(record, "cut taxes").speaker.name == "Tom Reed"
    record = analyze("Protesters marched through the city, chanting that the war must end.")
    assert statement_with(record, "war must end").speaker.text == "Protesters"


def test_speakers_it_never_refers_to_a_plural():
    record = analyze("China and the United States, the world's two biggest polluters, vowed to act. "
                     "It showed that the United Nations can work.")
    s = statement_with(record, "United Nations can work")
    assert s.speaker is None or s.speaker.name != "world's two biggest polluters"


def test_speakers_an_impersonal_it_is_nobody():
    record = analyze("It is worth noting that the plan was never tested.")
    assert record.statements == [] and "never tested" in record.refused[0].text


def test_speakers_a_clause_between_quote_and_cue_is_no_speaker():
    text = ("Mr. Smith treated the remark as a compliment -- “That makes me smart” -- and, when questioned "
            "after the debate, asserting, “Of course, I pay taxes.”")
    s = statement_with(analyze(text), "I pay taxes")
    assert s.speaker.name == "Smith"


def test_speakers_a_second_clause_after_and_has_its_own_speaker():
    record = analyze("Officials said the storm had damaged the bridge and residents blamed the council for the delays.")
    assert statement_with(record, "the council for").speaker.text == "residents"
    assert statement_with(record, "damaged the bridge").content.text == "the storm had damaged the bridge"


def test_speakers_a_named_apposition_names_the_speaker():
    s = statement_with(analyze("A local vicar, Reverend John Okafor, said the church would stay open."), "church")
    assert s.speaker.name == "John Okafor"


def test_speakers_a_participle_before_a_passive_clause_is_its_subjects():
    s = statement_with(analyze("After saying the talks had failed, the envoy was recalled to the capital."), "talks")
    assert s.speaker.text == "the envoy"


def test_speakers_a_run_of_titles_belongs_to_the_name_after_it():
    """Business and sports pages stack roles before a name: the name speaks, not the first title."""
    for text, name in [
        ("President and Chief Financial Officer Maria Keane said the company would open two plants.", "Maria Keane"),
        ("Coach and former player Dan Ortiz said the team was ready for the final.", "Dan Ortiz"),
        ("Chief Executive Officer and co-founder Tom Baines said sales had doubled.", "Tom Baines"),
    ]:
        [statement] = analyze(text).statements
        assert statement.speaker.name == name, text


def test_speakers_two_subjects_joined_by_and_stay_apart_from_the_title_rule():
    """A determiner or a body before "and" means two speakers, not one person's titles."""
    assert statement_with(analyze("The mayor and Dan Ortiz said the road would reopen."),
                          "road would reopen").speaker.name != "Dan Ortiz"
    assert statement_with(analyze("Police and Dan Ortiz said the road would reopen."),
                          "road would reopen").speaker.name != "Dan Ortiz"


def test_speakers_a_reply_is_not_the_question_s_asker():
    """Who replies answers someone else: the pronoun of "she replied" skips the asker."""
    record = analyze('"Will you run again?" the reporter asked. "Not this time," she replied.')
    assert statement_with(record, "Not this time").speaker.name != "reporter"
    text = ("Mayor Lisa Grant said the plan was sound. \"It is a giveaway,\" said council member "
            "Tom Fry. She responded that the deal would create jobs.")
    assert statement_with(analyze(text), "create jobs").speaker.name == "Lisa Grant"


def test_speakers_a_reply_after_no_statement_resolves_as_usual():
    text = ("Governor Ann Kerr met reporters on Monday. Tom Reyes of the Herald pressed her on the "
            "budget. \"We will balance it,\" she replied.")
    assert statement_with(analyze(text), "balance it").speaker.name == "Ann Kerr"


COLUMN = ("I have lived in Millbrook for 31 years. I think the levy is a mistake. Mayor Tom Alvarez "
          "told me last week that the city had no other option. \"I am tired,\" he said.")


def test_speakers_the_writer_s_first_person_is_the_byline_s_author():
    record = analyze(COLUMN, author="Gordon Lacey")
    mine = statement_with(record, "levy is a mistake")
    writer = next(sp for sp in record.speakers if sp.id == mine.speaker.id)
    assert (writer.name, writer.kind) == ("Gordon Lacey", "author")
    assert statement_with(record, "I am tired").speaker.name == "Tom Alvarez"  # quoted "I": the quoted one


@pytest.mark.parametrize("author", [None, "Gordon Lacey and Ann Roe"])
def test_speakers_the_writer_s_first_person_without_one_author_is_refused(author):
    record = analyze(COLUMN, author=author)
    assert all("levy is a mistake" not in s.content.text for s in record.statements)
    [refused] = [r for r in record.refused if "levy" in r.text]
    assert "no single author" in refused.reason


def test_speakers_a_title_run_without_and_before_a_name():
    text = ("The school board voted on Monday to close the school.\n"
            "Superintendent Dr. Gail Mercer said the district could no longer keep it open.")
    assert statement_with(analyze(text), "keep it open").speaker.name == "Gail Mercer"


def test_speakers_the_company_is_the_body_named_before():
    text = ("Fenwick Foods reported a fall in profit on Tuesday. The grocery giant said it would keep "
            "cutting prices. \"We will hold our prices,\" the company said.")
    record = analyze(text)
    assert statement_with(record, "keep cutting prices").speaker.name == "Fenwick Foods"
    assert statement_with(record, "hold our prices").speaker.name == "Fenwick Foods"


def test_speakers_the_company_with_no_body_named_before_stays_a_description():
    s = statement_with(analyze("The company said it would keep cutting prices."), "cutting prices")
    assert s.speaker.name == "company"


def test_speakers_a_company_name_is_an_organisation_and_its_first_word_names_it_again():
    text = ("Halden Foods reported a loss on Monday. Halden said all customers had been refunded. "
            "The Groceries Ombudsman said it was reviewing the case. The loss included a one-off "
            "charge, the company said.")
    record = analyze(text)
    kinds = {sp.name: sp.kind for sp in record.speakers}
    assert kinds["Halden Foods"] == "organization" and "Halden" not in kinds
    assert statement_with(record, "refunded").speaker.name == "Halden Foods"
    assert statement_with(record, "one-off charge").speaker.name == "Halden Foods"  # the most named body


def test_speakers_the_statement_a_body_issued_is_that_body():
    text = ("The state Department of Health said on Monday that it had sent 2,000 doses. "
            "The statement said the doses would go first to clinics in Oakvale.")
    s = statement_with(analyze(text), "go first to clinics")
    assert s.speaker.text == "The statement" and s.speaker.name == "Department of Health"
    alone = statement_with(analyze("The statement said the doses would go first to clinics."), "go first")
    assert alone.speaker.name == "statement"  # no body named before: the document as written


@pytest.mark.parametrize("text, words, speaker", [
    # an all-capitals dateline place that the parser tags as a body is never the body a
    # description ("the dockworkers' union", "the company") names again
    ("KESSEL, March 6 - The dockworkers' union on Friday disputed the claim that the harbour would reopen.",
     "harbour would reopen", "dockworkers' union"),
    ("TARVIK, Jan 9 - The company said on Friday that profits had doubled.", "profits had doubled", "company"),
])
def test_speakers_dateline_place_is_never_a_speaker(text, words, speaker):
    s = statement_with(analyze(text), words)
    assert s.speaker.name == speaker


@pytest.mark.parametrize("text, words, speaker", [
    ("The head of the Kessel port authority, Otto Lenz, said on Wednesday that the harbour would reopen.",
     "harbour would reopen", "Otto Lenz"),
    # the parser hangs the name on the body ("Foods, Mara Quist"): a person is never a body's apposition
    ("The chief executive of Halden Foods, Mara Quist, said on Monday that sales had fallen.",
     "sales had fallen", "Mara Quist"),
    # after a dateline the parser makes the place the subject, the description and the name its appositions
    ("KESSEL, March 4 - The head of the Kessel port authority, Otto Lenz, said on Wednesday that the harbour "
     "would reopen.", "harbour would reopen", "Otto Lenz"),
    ("LARNE, May 2 - The chief executive of Halden Foods, Mara Quist, said on Monday that sales had fallen.",
     "sales had fallen", "Mara Quist"),
])
def test_speakers_name_beside_a_description_speaks(text, words, speaker):
    assert statement_with(analyze(text), words).speaker.name == speaker


@pytest.mark.parametrize("text, content", [
    ("Farmers said they doubted the plan.", "they doubted the plan"),
    ("Union leaders said they feared the plan would fail.", "they feared the plan would fail"),
])
def test_speakers_a_group_reporting_its_own_view_is_one_statement(text, content):
    (statement,) = analyze(text).statements
    assert statement.content.text == content and statement.speaker is not None

"""Denials linked to the claims they deny, within one article."""

from conftest import statement_with

from onrecord import analyze


def test_disputes_anaphoric_denial_links_latest_claim_of_another_speaker():
    text = ("The ministry said the dam was safe. "
            "“Repairs start next week,” the ministry added. "
            "Engineers denied the claims.")
    record = analyze(text)
    denial = statement_with(record, "the claims")
    claim = statement_with(record, "Repairs start next week")
    assert denial.type == "denial"
    assert denial.denies == [claim.id]
    assert claim.denied_by == [denial.id]


def test_disputes_denial_with_clause_links_by_shared_words():
    text = ("The army said rebels had seized the airport on Sunday. "
            "The weather was cold. "
            "Rebel leaders denied that they had seized the airport.")
    record = analyze(text)
    denial = statement_with(record, "they had seized the airport")
    claim = statement_with(record, "rebels had seized the airport")
    assert denial.denies == [claim.id]


def test_disputes_relative_clause_denial_links_its_sentence():
    text = "Accusing the police of torture, something the government denies, the lawyer said she would appeal."
    record = analyze(text)
    denial = statement_with(record, "something")
    accusation = statement_with(record, "the police of torture")
    assert accusation.id in denial.denies


def test_disputes_denial_without_target_stays_unlinked():
    record = analyze("The company denied the claims.")
    assert record.statements[0].type == "denial"
    assert record.statements[0].denies == []


def test_disputes_quote_after_denial_carries_it_on():
    text = ("Officials said the vaccine was unsafe. "
            "The manufacturer denied the claims. "
            "“There is no evidence of any risk,” the manufacturer said.")
    record = analyze(text)
    claim = statement_with(record, "vaccine was unsafe")
    follow = statement_with(record, "no evidence of any risk")
    assert follow.type == "denial" and follow.denies == [claim.id]


def test_disputes_a_noun_that_states_its_own_claim_points_nowhere_back():
    # "denied reports that ..." says what it denies; it is not "denied the reports"
    text = ("Union leader Ada Ferris accused the mayor of selling the harbour to developers. "
            "The mayor denied reports that he would resign before the election.")
    record = analyze(text)
    denial = statement_with(record, "he would resign")
    assert denial.type == "denial" and denial.denies == []
    text = ("Union leader Ada Ferris accused the mayor of selling the harbour to developers. "
            "The mayor denied the reports.")
    record = analyze(text)
    assert statement_with(record, "the reports").denies == [statement_with(record, "selling the harbour").id]

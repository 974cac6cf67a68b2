"""The record across articles, unit by unit: names, identities, quotations, corpus disputes.

Every case is a sentence or a speaker of our own, written the way English news writes them.
"""

from onrecord.record import crossdisputes, quotations
from onrecord.record.identities import Override, Person, Quoted, SpeakerInfo, resolve
from onrecord.names import clean_name, gender, spelling_key


def test_canonical_names_are_names():
    assert clean_name("Trump said, before", "person") == "Trump"
    assert clean_name("Nadia Okafor Says", "person") == "Nadia Okafor"
    assert clean_name("Crooked Hillary Clinton", "person") == "Hillary Clinton"
    assert clean_name("The Port Authority", "organization") == "Port Authority"
    assert clean_name("Bank of England", "organization") == "Bank of England"
    assert clean_name("USA TODAY", "organization") == "USA TODAY"
    assert clean_name("the Clinton campaign", "organization") == "Clinton campaign"
    for description in ("pro-Clinton", "the figure", "secretary general of the United Nations",
                        "Keith Lamont Scott's wife", "President", "number of cities"):
        assert clean_name(description, "person") is None, description
    assert clean_name("police", "organization") is None
    assert clean_name("senior officials", "anonymous") is None


def test_spellings_of_one_name_fold_together():
    assert spelling_key("Zelensky") == spelling_key("Zelenskiy") == spelling_key("Zelenskyy")
    assert spelling_key("Šimečka") == spelling_key("Simecka")
    assert spelling_key("Mykhailo") == spelling_key("Mikhail")
    assert spelling_key("Maria") != spelling_key("Mario")


def test_gender_from_titles_not_from_one_pronoun():
    assert gender(["Ms. Ruiz"]) == "female"
    assert gender(["Ruiz", "she"]) is None  # one resolved pronoun may be someone else's
    assert gender(["Ruiz", "she", "her", "She"]) == "female"


def _speaker(sid, name, kind="person", key=None, forms=(), dates=("2025-06-02",), articles=(1,), mentions=3):
    key = key or f"{kind}:{name.lower()}@{sid}"
    return SpeakerInfo(sid, key, name, kind, list(forms) or [name], mentions, list(dates), list(articles))


def _identity_of(found, sid):
    return next(i for i in found if sid in i.members)


def test_surname_joins_the_only_full_named_candidate():
    found, joins = resolve([_speaker(1, "Elena Ruiz", articles=(1,)), _speaker(2, "Ruiz", articles=(2,))])
    assert _identity_of(found, 2).name == "Elena Ruiz"
    assert joins[0].rule == "surname" and "only Ruiz" in joins[0].evidence


def test_two_candidates_the_title_decides_else_apart():
    elena = _speaker(1, "Elena Ruiz", forms=["Interior Minister Elena Ruiz", "Elena Ruiz"], articles=(1,))
    marco = _speaker(2, "Marco Ruiz", forms=["Mayor Marco Ruiz", "Marco Ruiz"], articles=(2,))
    by_title = _speaker(3, "Ruiz", forms=["Mayor Ruiz", "Ruiz"], articles=(3,))
    undecided = _speaker(4, "Ruiz", forms=["Ruiz"], articles=(4,))
    found, _ = resolve([elena, marco, by_title, undecided])
    assert _identity_of(found, 3).name == "Marco Ruiz"
    assert _identity_of(found, 4).members == [4]


def test_the_article_text_decides_between_namesakes():
    elena = _speaker(1, "Elena Ruiz", articles=(1,))
    marco = _speaker(2, "Marco Ruiz", articles=(2,))
    ruiz = _speaker(3, "Ruiz", articles=(3,))
    texts = {3: "Marco Ruiz, the harbour's mayor, spoke first. Ruiz said the port would reopen."}
    found, joins = resolve([elena, marco, ruiz], article_text=lambda a: texts.get(a, ""))
    assert _identity_of(found, 3).name == "Marco Ruiz"
    assert "names only Marco Ruiz" in joins[0].evidence


def test_a_quotation_printed_under_one_namesake_decides():
    # the minister's pledge, printed under her full name on Tuesday and under "Hahn" alone on
    # Thursday; a football coach of the same surname spoke the same week
    pledge = "We will not cut a single teacher's post while I hold this office"
    minister = _speaker(1, "Greta Hahn", articles=(1,))
    minister.quotes = [Quoted(1, pledge)]
    coach = _speaker(2, "Ulf Hahn", articles=(2,))
    coach.quotes = [Quoted(2, "We created enough chances to win three games")]
    hahn = _speaker(3, "Hahn", articles=(3,))
    hahn.quotes = [Quoted(3, "We will not cut a single teacher's post while I hold this office, ever")]
    other = _speaker(4, "Hahn", articles=(4,))
    other.quotes = [Quoted(4, "The referee decided the game and everyone in the stadium saw it")]
    found, joins = resolve([minister, coach, hahn, other])
    assert _identity_of(found, 3).name == "Greta Hahn"
    assert "only Greta Hahn is printed elsewhere with its quotation" in joins[0].evidence
    assert _identity_of(found, 4).members == [4]  # nothing tells which Hahn


def test_the_same_words_under_two_namesakes_decide_nothing():
    words = "Nobody in this town will pay more for water next year"
    a, b, c = _speaker(1, "Greta Hahn", articles=(1,)), _speaker(2, "Ulf Hahn", articles=(2,)), \
        _speaker(3, "Hahn", articles=(3,))
    a.quotes, b.quotes, c.quotes = [Quoted(1, words)], [Quoted(2, words)], [Quoted(3, words)]
    found, _ = resolve([a, b, c])
    assert _identity_of(found, 3).members == [3]


def test_a_lone_candidate_with_another_role_stays_apart():
    minister = _speaker(1, "Greta Hahn", forms=["Education Minister Greta Hahn", "Greta Hahn"], articles=(1,))
    coach = _speaker(2, "Hahn", forms=["Coach Hahn", "Hahn"], articles=(2,))
    found, _ = resolve([minister, coach])
    assert _identity_of(found, 2).members == [2]


def test_the_join_says_when_pronouns_set_a_namesake_aside():
    found, joins = resolve([_speaker(1, "Greta Hahn", forms=["Ms. Greta Hahn"]),
                            _speaker(2, "Ulf Hahn", forms=["Mr. Ulf Hahn"]),
                            _speaker(3, "Hahn", forms=["Ms. Hahn"], articles=(3,))])
    assert _identity_of(found, 3).name == "Greta Hahn"
    assert "who is a woman" in joins[0].evidence and "1 other Hahn is not" in joins[0].evidence


def test_surname_far_from_the_candidate_in_time_stays_apart():
    found, _ = resolve([_speaker(1, "Elena Ruiz", dates=("2023-01-10",)), _speaker(2, "Ruiz", dates=("2025-06-02",))])
    assert _identity_of(found, 2).members == [2]


def test_gender_keeps_a_woman_from_a_man_s_name():
    found, _ = resolve([_speaker(1, "Marco Ruiz", forms=["Mr. Marco Ruiz"]), _speaker(2, "Ruiz", forms=["Ms. Ruiz"])])
    assert _identity_of(found, 2).members == [2]


def test_variants_and_kinds_join_and_the_majority_kind_wins():
    found, joins = resolve([
        _speaker(1, "Volodymyr Zelensky", key="person:volodymyr zelensky", mentions=9),
        _speaker(2, "Volodymyr Zelenskiy", key="person:volodymyr zelenskiy", mentions=4),
        _speaker(3, "Volodymyr Zelenskyy", kind="place", key="place:volodymyr zelenskyy", mentions=1),
    ])
    identity = _identity_of(found, 3)
    assert identity.members == [1, 2, 3] and identity.kind == "person"
    assert {j.rule for j in joins} == {"variant", "same-name"}


def test_junior_stays_apart_from_his_father():
    found, _ = resolve([_speaker(1, "Donald Trump", key="person:donald trump"),
                        _speaker(2, "Donald Trump Jr.", key="person:donald trump jr")])
    assert _identity_of(found, 2).members == [2]


def test_people_file_pins_and_user_overrides_win():
    people = [Person("Q3874799", "Volodymyr Zelenskyy", ("Vladimir Zelensky",))]
    speakers = [_speaker(1, "Vladimir Zelensky", key="person:vladimir zelensky"),
                _speaker(2, "Volodymyr Zelenskyy", key="person:volodymyr zelenskyy"),
                _speaker(3, "Elena Ruiz", key="person:elena ruiz"), _speaker(4, "Ruiz", key="person:ruiz@x")]
    found, _ = resolve(speakers, people, [Override("split", "person:ruiz@x")])
    assert _identity_of(found, 1).person_id == "Q3874799" and _identity_of(found, 1).members == [1, 2]
    assert _identity_of(found, 4).members == [4]
    found, joins = resolve(speakers, people, [Override("split", "person:ruiz@x"),
                                              Override("merge", "person:ruiz@x", "person:vladimir zelensky")])
    assert _identity_of(found, 1).members == [1, 2, 4] and any(j.rule == "user" for j in joins)


def _printing(sid, article, text, published, identity=7, site="paper"):
    return quotations.Printing(sid, article, identity, text, published, site)


def test_quotations_first_exact_partial_altered():
    first = "We will rebuild every pier of this harbour before the winter storms arrive"
    found = quotations.group([
        _printing(11, 2, first, "2025-06-03", site="b"),
        _printing(10, 1, first, "2025-06-02", site="a"),
        _printing(12, 3, "rebuild every pier of this harbour", "2025-06-04"),
        _printing(13, 4, "We will rebuild every dock of this harbour before the winter storms arrive", "2025-06-05"),
    ])
    assert len(found) == 1
    q = found[0]
    assert q.id == 10 and [m.relation for m in q.members] == ["first", "exact", "partial", "altered"]
    assert q.members[3].changes == [{"op": "changed", "first": "pier", "this": "dock"}]


def test_two_quotes_sharing_a_phrase_are_two_quotations():
    found = quotations.group([
        _printing(1, 1, "We will not back down on the pension reform, whatever the unions say", "2025-06-02"),
        _printing(2, 2, "On the harbour we will not back down either, and the budget proves it", "2025-06-03"),
    ])
    assert found == []


def test_another_speaker_s_same_words_are_not_the_same_quotation():
    words = "The harbour will reopen on the first of July for every ferry"
    assert quotations.group([_printing(1, 1, words, "2025-06-02", identity=1),
                             _printing(2, 2, words, "2025-06-03", identity=2)]) == []


def test_quoted_words_of_a_mixed_statement():
    assert quotations.quoted_text('the port was “a ruin we will rebuild” by winter', "mixed") == "a ruin we will rebuild"
    assert quotations.quoted_text("the port will reopen", "indirect") is None


def _said(sid, article, speaker, type_, content, published, identity=None, preamble="", words=()):
    return crossdisputes.Said(sid, article, identity, speaker, type_, content, published, preamble,
                              speaker_words=set(words))


def test_a_denial_finds_the_claim_of_an_earlier_story():
    claim = _said(1, 1, "Marco Ruiz", "accusation", "the police had abandoned the harbour district", "2025-06-02",
                  identity=2, words=("marco", "ruiz", "mayor"))
    other = _said(2, 1, "Marco Ruiz", "assertion", "the ferries would run again in July", "2025-06-02", identity=2,
                  words=("marco", "ruiz"))
    denial = _said(3, 2, "Elena Ruiz", "denial", "Ruiz's accusation that the police had abandoned the harbour district",
                   "2025-06-04", identity=1, preamble=" ")
    links = crossdisputes.link([claim, other, denial], linked_denials=set())
    assert [(found.claim_id, found.denial_id) for found in links] == [(1, 3)]
    assert links[0].evidence["speaker_named"] == "Ruiz" and "abandon" in links[0].evidence["shared_words"]


def test_a_denial_printed_before_the_claim_or_of_something_else_stays_unlinked():
    claim = _said(1, 1, "Marco Ruiz", "accusation", "the police had abandoned the harbour district", "2025-06-05",
                  identity=2)
    before = _said(2, 2, "Elena Ruiz", "denial", "that the police had abandoned the harbour district", "2025-06-02",
                   identity=1)
    other = _said(3, 3, "Elena Ruiz", "denial", "that the budget for schools had been cut", "2025-06-06", identity=1)
    assert crossdisputes.link([claim, before, other], linked_denials=set()) == []


def _port_story(later_speaker="Jonas Berg", later_identity=3):
    """A senator's claim (Monday), a minister's denial that restates it in other words
    (Tuesday: "closed" for "shut"), and a third paper's denial of the claim as the
    minister's story worded it (Thursday)."""
    claim = _said(1, 1, "Karin Holm", "accusation", "the government had quietly shut the northern port to boats",
                  "2025-09-01", identity=1, words=("karin", "holm", "senator"))
    restated = _said(2, 2, "senator", "accusation", "the government had closed the northern port",
                     "2025-09-02", identity=4, words=("senator",))
    answer = _said(3, 2, "Lena Dahl", "denial", "the senator's accusation that the government had closed the "
                   "northern port", "2025-09-02", identity=2)
    later = _said(4, 3, later_speaker, "denial", "the senator's accusation that the government had closed the "
                  "northern port", "2025-09-04", identity=later_identity, preamble=" ")
    return [claim, restated, answer, later]


def test_a_denial_of_a_restated_claim_goes_to_the_claim_first_printed():
    story = _port_story()
    links = crossdisputes.link(story, linked_denials={3}, article_pairs={3: {2}})
    assert {(found.claim_id, found.denial_id) for found in links} == {(1, 3), (1, 4)}
    moved = next(found for found in links if found.denial_id == 4)
    assert moved.evidence["restated_in"] == 2 and moved.evidence["via_denial"] == 3
    assert "speaker_named" in moved.evidence and moved.score < 1
    # without the pairs of the articles there is nothing to follow: the restatement stays
    unfollowed = crossdisputes.link(story, linked_denials={3})
    assert (2, 4) in {(found.claim_id, found.denial_id) for found in unfollowed}


def test_a_restated_claim_is_not_followed_to_the_deniers_own_words():
    # the senator herself "denies" the claim as the minister's story worded it: she is not
    # sent on to her own claim
    story = _port_story(later_speaker="Karin Holm", later_identity=1)
    links = crossdisputes.link(story, linked_denials={3}, article_pairs={3: {2}})
    assert all(found.claim_id != 1 for found in links if found.denial_id == 4)


def test_named_target_of_a_denial():
    assert crossdisputes.named_target("Mayor Marco Ruiz's accusation that") == "Mayor Marco Ruiz"
    assert crossdisputes.named_target("claims by Ruiz that") == "Ruiz"
    assert crossdisputes.named_target("that the port was closed") is None


def test_a_claim_without_a_claimant_is_never_denied():
    """A dispute needs a claimant: a claim no speaker is recorded as making stays unlinked,
    however many words a later denial shares with it."""
    content = "the police had abandoned the harbour district to smugglers"
    unclaimed = _said(1, 1, None, "assertion", content, "2025-06-02")
    denial = _said(2, 2, "Ana Costa", "denial", content, "2025-06-04", identity=5)
    assert crossdisputes.link([unclaimed, denial], linked_denials=set()) == []
    claimed = _said(1, 1, "Marco Ruiz", "assertion", content, "2025-06-02", identity=2)
    assert [(x.claim_id, x.denial_id) for x in crossdisputes.link([claimed, denial], linked_denials=set())] == [(1, 2)]


def _harbour_week():
    """A port chief's claim (Wednesday); a union's denial of "the port authority's claim",
    which its story restates in the chief's words (Friday)."""
    claim = _said(1, 1, "Otto Lenz", "assertion", "the harbour would reopen to container ships by May",
                  "2026-03-04", identity=1, words=("otto", "lenz"))
    restated = _said(2, 2, "port authority", "assertion", "the harbour would reopen to container ships by May",
                     "2026-03-06", identity=2, words=("port", "authority"))
    denial = _said(3, 2, "dockworkers' union", "denial", "the port authority's claim that the harbour would "
                   "reopen to container ships by May", "2026-03-06", identity=3)
    return [claim, restated, denial]


def test_a_restated_claim_is_linked_to_its_printing_when_the_claimant_is_named_in_its_story():
    stories = {1: "The head of the Kessel port authority, Otto Lenz, said the harbour would reopen."}
    names = lambda article, name: name.lower() in stories.get(article, "").lower()  # noqa: E731
    links = crossdisputes.link(_harbour_week(), linked_denials={3}, article_pairs={3: {2}}, names_in_story=names)
    assert [(x.claim_id, x.denial_id) for x in links] == [(1, 3)]
    assert links[0].evidence["restates"] == 2 and links[0].evidence["restatement_share"] == 1.0
    assert "port authority" in links[0].evidence["claimant"]
    # the same words, but nothing ties the port chief to the port authority: no link
    assert crossdisputes.link(_harbour_week(), linked_denials={3}, article_pairs={3: {2}},
                              names_in_story=lambda article, name: False) == []


def test_a_restated_quotation_is_linked_to_its_first_printing():
    first = _said(1, 1, "Tomas Brandt", "assertion", "The minister is concealing the real figures from parliament",
                  "2026-03-02", identity=1)
    restated = _said(2, 2, "Tomas Brandt", "assertion", 'the minister was "concealing the real figures from '
                     'parliament"', "2026-03-06", identity=1)
    denial = _said(3, 2, "Clara Weiss", "denial", "Brandt's claim that the minister was \"concealing the real "
                   "figures from parliament\"", "2026-03-06", identity=2)
    links = crossdisputes.link([first, restated, denial], linked_denials={3}, article_pairs={3: {2}},
                               first_printing={2: first})
    assert [(x.claim_id, x.denial_id, x.score) for x in links] == [(1, 3, 0.95)]
    assert links[0].evidence["quotation_first_printed"] == 1 and links[0].evidence["restates"] == 2

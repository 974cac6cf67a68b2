"""Statement types follow the meaning, not only the verb."""

import pytest
from conftest import statement_with

from onrecord import analyze
from onrecord.lexicon import default_lexicon, parse_lexicon


@pytest.mark.parametrize(
    "text, words, type_",
    [
        ("“If the rebels surrender, they will be given safe passage,” the general said.", "safe passage", "offer"),
        ("“If they cross the border, they will pay a heavy price,” the minister said.", "heavy price", "threat"),
        ("“If they cross the line, we will strike back,” the general said.", "strike back", "threat"),
        ("“If the plant closes, hundreds of families will lose their income,” the union said.", "lose their income",
         "warning"),
        ("“We urge both sides to stop the fighting,” the envoy said.", "stop the fighting", "appeal"),
        ("“I promise that no school will close,” the mayor said.", "no school will close", "offer"),
        ("“Where has the money gone?” the auditor asked.", "money gone", "question"),
        ("“Stop the war now,” the protesters said.", "Stop the war", "appeal"),
        ("“The economy is growing,” the minister said.", "economy is growing", "assertion"),
        ("The opposition rejected the budget.", "the budget", "denial"),
        ("The union criticized the plan.", "the plan", "criticism"),
    ],
)
def test_types_from_content_and_cue(text, words, type_):
    assert statement_with(analyze(text), words).type == type_


def test_types_nested_in_own_accusation():
    text = "The mayor accused the contractor of fraud that she said cost the city millions."
    s = statement_with(analyze(text), "cost the city millions")
    assert s.type == "accusation"


def test_lexicon_lists_the_required_types():
    types = set(default_lexicon().types)
    for needed in ("assertion", "denial", "accusation", "appeal", "offer", "threat", "question",
                   "agreement", "belief"):
        assert needed in types


def test_lexicon_rejects_unknown_frames():
    with pytest.raises(ValueError, match="unknown key"):
        parse_lexicon({"assertion": {"clauses": ["say"]}})


def test_lexicon_first_type_wins():
    lexicon = parse_lexicon({"denial": {"object": ["reject"]}, "assertion": {"object": ["reject", "say"]}})
    assert lexicon.type_for("reject", "object") == "denial"
    assert lexicon.type_for("say", "object") == "assertion"
    assert lexicon.type_for("say", "clause") is None

"""The learned tagger as a step: on sentences of our own, loaded once, confidence in range."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from onrecord import analyze
from onrecord.analysis.model import tagger as tagger_module
from onrecord.analysis.model.decode import best_tags, spans
from onrecord.analysis.model.tagger import TAGS, TagProbabilities, get_tagger
from onrecord.lexicon import default_lexicon

import numpy as np

from onrecord.analysis.model.tagger import accurate_ready

_READY, _WHY = accurate_ready()
#: the tests that run the shipped tagger need its pinned base (CI installs it and requires them)
needs_model = pytest.mark.skipif(not _READY and os.environ.get("ONRECORD_REQUIRE_BASE") != "1",
                                 reason=f"the accurate engine's base is not installed here: {_WHY}")


def _probs(tags: list[str], offsets: list[tuple[int, int]]) -> TagProbabilities:
    probs = np.zeros((len(tags), len(TAGS)), dtype=np.float32)
    for i, t in enumerate(tags):
        probs[i, TAGS.index(t)] = 0.9
        probs[i, 0] += 0.1
    return TagProbabilities(np.asarray(offsets), probs)


def test_model_decode_joins_a_continued_content():
    text = '“We will win,” Smith said, “and soon.”'
    words = [(1, 3), (4, 8), (9, 12), (15, 20), (21, 25), (28, 31), (32, 36)]
    tagged = _probs(["B-CONTENT", "I-CONTENT", "I-CONTENT", "B-SOURCE", "B-CUE", "I-CONTENT", "I-CONTENT"], words)
    found = spans(tagged)
    assert [[(f.start, f.end) for f in c] for c in found.contents] == [[(1, 12), (28, 36)]]
    assert [(s.start, s.end) for s in found.sources] == [(15, 20)] and text[15:20] == "Smith"
    assert found.contents[0][0].prob == pytest.approx(0.9)


def _soft(rows: list[dict[str, float]], offsets: list[tuple[int, int]]) -> TagProbabilities:
    """Probabilities given per piece as {tag: p}; the rest of each row is outside."""
    probs = np.zeros((len(rows), len(TAGS)), dtype=np.float32)
    for i, row in enumerate(rows):
        for tag, p in row.items():
            probs[i, TAGS.index(tag)] = p
        probs[i, 0] = 1.0 - sum(row.values())
    return TagProbabilities(np.asarray(offsets), probs)


def test_model_viterbi_keeps_a_content_whole_where_one_piece_leans_to_a_new_one():
    # "had" leans to beginning a new content; news rarely starts one right after another
    text = "Officials said the talks had failed."
    words = [(0, 9), (10, 14), (15, 18), (19, 24), (25, 28), (29, 35)]
    tagged = _soft([{"B-SOURCE": 0.9}, {"B-CUE": 0.9}, {"B-CONTENT": 0.9}, {"I-CONTENT": 0.9},
                    {"B-CONTENT": 0.5, "I-CONTENT": 0.45}, {"I-CONTENT": 0.9}], words)
    assert [c[0].start for c in spans(tagged).contents] == [15, 25]  # argmax: two contents
    follows = np.full((len(TAGS), len(TAGS)), 0.1)
    follows[TAGS.index("I-CONTENT"), TAGS.index("B-CONTENT")] = 0.001
    tags = best_tags(text, tagged, np.log(follows), weight=0.5)
    assert [[(f.start, f.end) for f in c] for c in spans(tagged, tags).contents] == [[(15, 35)]]
    assert [c[0].start for c in spans(tagged, best_tags(text, tagged)).contents] == [15, 25]  # grammar alone


def test_model_viterbi_never_starts_a_source_inside_or_splits_a_word():
    text = "Zelenskyy aide said no."
    pieces = [(0, 4), (4, 9), (10, 14), (15, 19), (20, 22)]  # "zele" "nskyy": one word, two pieces
    tagged = _soft([{"B-SOURCE": 0.6}, {"I-SOURCE": 0.3, "B-CUE": 0.1}, {"I-SOURCE": 0.8},
                    {"B-CUE": 0.9}, {"B-CONTENT": 0.9}], pieces)
    names = [TAGS[t] for t in best_tags(text, tagged)]
    assert names == ["B-SOURCE", "I-SOURCE", "I-SOURCE", "B-CUE", "B-CONTENT"]
    # an inside source with no beginning before it is not read as a source
    alone = _soft([{"B-CUE": 0.9}, {"I-SOURCE": 0.55}], [(0, 4), (5, 9)])
    assert TAGS[best_tags("said aide", alone)[1]] != "I-SOURCE"


@needs_model
def test_model_session_is_loaded_once_per_process(monkeypatch):
    made = []
    real = tagger_module.AttributionTagger

    class Counting(real):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    get_tagger.cache_clear()
    monkeypatch.setattr(tagger_module, "AttributionTagger", Counting)
    analyze("The mayor said the bridge would reopen.", engine="accurate")
    analyze("The governor said the road would close.", engine="accurate")
    assert made == [1] and get_tagger() is get_tagger()
    get_tagger.cache_clear()


@needs_model
@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("The governor's aides are confident the bill will pass the Senate before the summer recess.",
     "The governor's aides", "the bill will pass the Senate before the summer recess"),
    ("Party officials are optimistic that turnout will be higher than in the last election.",
     "Party officials", "turnout will be higher than in the last election"),
])
def test_model_adds_reported_speech_without_a_speech_verb(text, speaker, content):
    assert analyze(text, engine="fast").statements == []  # no cue the rules know
    [statement] = analyze(text, engine="accurate").statements
    assert statement.speaker.text == speaker and content in statement.content.text
    assert statement.kind == "indirect"
    # its confidence is the share right of a cell of the tagger's own additions (counted out of fold)
    tagger_cells = {share for cell, share in default_lexicon().confidence.accurate.items() if cell.startswith("tagger|")}
    assert statement.confidence in tagger_cells


@needs_model
def test_model_finds_the_parts_of_a_long_split_quote():
    text = ('“We are not going to accept a deal that cuts the pay of every nurse in this country,” the union '
            'leader said on Monday, “and we will say so at every hospital gate until the ministry listens.”')
    [statement] = analyze(text, engine="accurate").statements
    assert statement.speaker.text == "the union leader" and len(statement.fragments) == 2
    assert statement.kind == "direct"


@needs_model
def test_model_headline_is_not_speech():
    text = "Storm Batters Coast as Thousands Flee\n\nHeavy rain and high winds closed roads across the region."
    assert analyze(text, engine="accurate").statements == []


@needs_model
@pytest.mark.parametrize("engine", ["fast", "accurate"])
def test_model_confidence_is_present_and_in_range(engine, kursk_text):
    record = analyze(kursk_text, published="2025-03-15", engine=engine)
    assert record.statements and all(0 <= s.confidence <= 1 for s in record.statements)
    assert record.extractor.engine == engine
    assert (record.extractor.model is not None) == (engine == "accurate")


@needs_model
def test_model_accurate_engine_needs_no_torch():
    """With torch and transformers absent (as the README's install leaves them), the accurate
    engine runs. (Where the train extra is installed, spaCy's thinc imports torch on its own.)"""
    code = ("import sys\n"
            "class Absent:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('torch', 'transformers'):\n"
            "            raise ImportError(name + ' is not installed')\n"
            "sys.meta_path.insert(0, Absent())\n"
            "from onrecord import analyze\n"
            "record = analyze('The mayor said the bridge would reopen.', engine='accurate')\n"
            "print(len(record.statements), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]


# -- model.join.v2: the tagger's edges for the rules' reported speech --------------------------

def _joined(text: str, attributions: list, join=None) -> tuple[set, set]:
    """The contents of the rules' drafts of ``text``, and of the drafts ``model.join.v2``
    (or ``join``) makes from them and a hand-made tagger reading (no model runs)."""
    from onrecord.analysis.engine import Extractor
    from onrecord.analysis.model.steps import join_with_boundaries
    from onrecord.analysis.model.tagger import ModelReading

    join = join or join_with_boundaries
    from onrecord.analysis.nlp import get_nlp

    extractor = Extractor(engine="fast")
    ctx = extractor.context(text, [(get_nlp()(text), 0)], [], None)
    extractor.run_steps(ctx, until="assemble.order.v1")
    ctx.put("tagged", ModelReading(list(attributions)))
    return {d.content for d in ctx.drafts}, {d.content for d in join(ctx)}


def _att(text: str, content: str, prob: float):
    from onrecord.analysis.model.decode import ModelAttribution, TaggedSpan

    start = text.index(content)
    return ModelAttribution([TaggedSpan(start, start + len(content), prob)])


def _span(text: str, part: str) -> tuple[int, int]:
    return text.index(part), text.index(part) + len(part)


REPORTED = "The minister said the port would reopen in May after repairs, and officials agreed.\n"
TAGGED = "the port would reopen in May"  # the rule reads on to "after repairs"


def test_model_join_v2_takes_a_confident_taggers_edges_for_reported_speech():
    rules, joined = _joined(REPORTED, [_att(REPORTED, TAGGED, 0.95)])
    assert rules != {_span(REPORTED, TAGGED)} and joined == {_span(REPORTED, TAGGED)}


def test_model_join_v2_keeps_the_rules_edges_when_the_tagger_is_unsure():
    rules, joined = _joined(REPORTED, [_att(REPORTED, TAGGED, 0.6)])
    assert joined == rules


def test_model_join_v2_keeps_quoted_edges_and_paragraphs():
    quoted = '"The port will reopen in May," the minister said.\n'
    rules, joined = _joined(quoted, [_att(quoted, "The port will reopen", 0.99)])
    assert joined == rules and rules
    two = "The minister said the port would reopen.\nRepairs will take a month.\n"
    rules, joined = _joined(two, [_att(two, "the port would reopen.\nRepairs will take a month", 0.99)])
    assert joined == rules and rules  # the tagger's content would run into the next paragraph


# -- model.join.v3: the tagger first, the rules' speakers ------------------------------------

def _tagger_first(text: str, attributions: list) -> tuple[set, set]:
    from onrecord.analysis.model.steps import join_tagger_first

    return _joined(text, attributions, join_tagger_first)


def test_model_join_v3_lists_the_taggers_attributions_with_the_rules_edges_only_for_quotes():
    rules, joined = _tagger_first(REPORTED, [_att(REPORTED, TAGGED, 0.75)])
    assert joined == {_span(REPORTED, TAGGED)}  # unquoted: the tagger's edges (v2 wants 0.8 for them)
    quoted = '"The port will reopen in May," the minister said.\n'
    rules, joined = _tagger_first(quoted, [_att(quoted, "The port will reopen", 0.99)])
    assert joined == rules and rules


def test_model_join_v3_drops_plain_reported_speech_the_tagger_does_not_see():
    rules, joined = _tagger_first(REPORTED, [])
    assert rules and joined == set()  # "said the port would reopen": the two readers disagree
    act = "The ministry denied the claims on Tuesday.\n"
    rules, joined = _tagger_first(act, [])
    assert joined == rules and rules  # a specific act stands without the tagger


def test_model_join_v3_leaves_out_an_unsure_tagger_attribution():
    text = "Aides expect the vote to pass easily next week.\n"
    _, joined = _tagger_first(text, [_att(text, "the vote to pass easily next week", 0.3)])
    assert joined == set()


# -- model.join.v4: v3, and the tagger's source where the rules found no speaker ---------------

def _att_with_source(text: str, content: str, source: str, prob: float):
    from onrecord.analysis.model.decode import TaggedSpan

    att = _att(text, content, prob)
    start = text.index(source)
    att.source = TaggedSpan(start, start + len(source), prob)
    return att


def _drafts_v4(text: str, attributions: list) -> list:
    from onrecord.analysis.engine import Extractor
    from onrecord.analysis.model.steps import join_tagger_first, join_tagger_first_with_its_speakers
    from onrecord.analysis.model.tagger import ModelReading
    from onrecord.analysis.nlp import get_nlp

    extractor = Extractor(engine="fast")
    ctx = extractor.context(text, [(get_nlp()(text), 0)], [], None)
    extractor.run_steps(ctx, until="assemble.order.v1")
    ctx.put("tagged", ModelReading(list(attributions)))
    return [join_tagger_first(ctx), join_tagger_first_with_its_speakers(ctx)]


def test_model_join_v4_takes_the_taggers_source_where_the_rules_found_no_speaker():
    text = "The governor stopped short of calling the strike illegal.\n"
    v3, v4 = _drafts_v4(text, [_att_with_source(text, "the strike illegal", "The governor", 0.9)])
    assert [d.speaker for d in v3] == [None]  # the gerund's subject is not the rules' to find
    assert [text[d.speaker[0]:d.speaker[1]] for d in v4] == ["The governor"]
    assert [d.content for d in v4] == [d.content for d in v3] and v4[0].lemma == "call"


def test_model_join_v4_keeps_the_rules_speaker_where_they_found_one():
    text = "Officials at the port said the strike would end soon, union leaders reported.\n"
    tagged = _att_with_source(text, "the strike would end soon", "union leaders", 0.9)
    v3, v4 = _drafts_v4(text, [tagged])
    assert [d.speaker for d in v4] == [d.speaker for d in v3] and v4[0].speaker is not None


# -- confidence.v2: the accurate engine's table, by who found a statement -----------------------

def test_model_confidence_v2_takes_the_cell_of_who_found_it_and_falls_back_to_v1():
    from dataclasses import replace

    from onrecord.analysis.engine import Extractor
    from onrecord.analysis.nlp import get_nlp
    from onrecord.analysis.rules.confidence import calibrated_confidences, statement_confidences
    from onrecord.lexicon import default_lexicon

    base = default_lexicon()
    table = {"joined|indirect|resolved|0.95": 0.88, "rules|any|named": 0.5}
    lexicon = replace(base, confidence=replace(base.confidence, accurate=table))
    text = "The minister said the port would reopen in May.\n"
    extractor = Extractor(engine="fast", lexicon=lexicon)
    ctx = extractor.context(text, [(get_nlp()(text), 0)], [], None)
    extractor.run_steps(ctx, until="kinds.v1")
    [draft] = ctx.drafts
    assert calibrated_confidences(ctx) == [0.5]  # a rule's draft alone: its status, kinds pooled
    ctx.put("drafts", [replace(draft, tagger_confidence=0.97)])
    assert calibrated_confidences(ctx) == [0.88]  # read by the tagger too, band 0.95
    ctx.put("drafts", [replace(draft, tagger_confidence=0.75)])
    assert calibrated_confidences(ctx) == statement_confidences(ctx)  # no cell for 0.7: v1's share

"""Each step of the analysis on its own: a small parsed text or a hand-built context.

The sentences are our own, written the way news writes attribution; each test runs the
steps up to the one under test (``Extractor.run_steps(until=...)``) and looks at that
step's product, not only at the final record.
"""

from __future__ import annotations

import pytest

from onrecord.analysis.context import ArticleContext
from onrecord.analysis.engine import DEFAULT_STEPS, Extractor, StepError, resolve_steps
from onrecord.analysis.nlp import get_nlp
from onrecord.analysis.registry import step
from onrecord.analysis.repeats import find_repeats
from onrecord.analysis.rules.candidate import Candidate, Frame
from onrecord.analysis.rules.disputes import Claimable, link
from onrecord.analysis.rules.quotes import QuoteIndex, article_quotes, find_quotes, statement_kinds
from onrecord.analysis.settings import DEFAULT_SETTINGS, AnalysisSettings
from onrecord.dates import parse_date
from onrecord.lexicon import default_lexicon
from onrecord.model import Duplicate, Offsets


def context(text: str, published: str | None = None, extractor: Extractor | None = None) -> ArticleContext:
    """A context of one parsed segment, as the pipeline builds it."""
    extractor = extractor or Extractor()
    return extractor.context(text, [(get_nlp()(text), 0)], find_repeats(text), parse_date(published))


def until(text: str, step_id: str, published: str | None = None) -> ArticleContext:
    return Extractor().run_steps(context(text, published), until=step_id)


def bare_context(text: str, repeats: list[Duplicate] | None = None) -> ArticleContext:
    """A context without a parse: for the steps that read only the characters."""
    return ArticleContext(text, [], repeats or [], None, default_lexicon(), DEFAULT_SETTINGS)


def words(ctx: ArticleContext, span: tuple[int, int] | None) -> str | None:
    return ctx.span_text(span) if span else None


# -- quotes.v1, kinds.v1 (characters only) -----------------------------------------------------
def test_steps_quotes_leave_out_a_repeated_passage():
    text = '“We stay,” she said.\n“We stay,” she said.'
    repeat = Duplicate(start=21, end=len(text), same_as=Offsets(start=0, end=20))
    ctx = bare_context(text, [repeat])
    quotes = article_quotes(ctx)
    assert [(q.inner_start, q.inner_end) for q in quotes.quotes] == [(1, 9)]


def test_steps_kinds_by_share_of_quoted_words():
    text = 'The mayor said “the bridge will reopen” and that traffic would ease soon.'
    ctx = bare_context(text)
    ctx.put("quotes", QuoteIndex(find_quotes(text)))
    quoted = (text.index("the bridge"), text.index("” and"))
    mixed = (text.index("“the"), len(text) - 1)
    plain = (text.index("traffic"), len(text) - 1)
    ctx.put("drafts", [_draft([quoted]), _draft([mixed]), _draft([plain])])
    assert statement_kinds(ctx) == ["direct", "mixed", "indirect"]


def _draft(fragments: list[tuple[int, int]]) -> Candidate:
    return Candidate(cue=None, lemma="", type="assertion", frame=Frame.QUOTE, speaker=None, speaker_token=None,
                     fragments=fragments)


# -- candidates.v2 --------------------------------------------------------------------------------
def test_steps_candidates_read_cue_speaker_and_clause():
    ctx = until("The harbour master said the port would reopen on Monday.", "candidates.v2")
    [cand] = ctx.candidates
    assert (words(ctx, cand.cue), words(ctx, cand.speaker), cand.frame) == ("said", "The harbour master", Frame.CLAUSE)
    assert words(ctx, cand.content) == "the port would reopen on Monday"


def test_steps_candidates_read_an_infinitive_appeal():
    ctx = until("Union leaders urged the council to drop the fare rise.", "candidates.v2")
    [cand] = ctx.candidates
    assert cand.type == "appeal" and cand.frame == Frame.INFINITIVE
    assert words(ctx, cand.content) == "the council to drop the fare rise"


def test_steps_candidates_skip_a_cue_inside_quotation_marks():
    ctx = until('“Nobody said it would be easy,” the coach admitted.', "candidates.v2")
    assert [words(ctx, c.cue) for c in ctx.candidates] == ["admitted"]


# -- assemble.*.v1 ---------------------------------------------------------------------------------
def test_steps_assemble_joins_a_quote_split_around_its_speaker():
    text = '“We will rebuild,” the mayor said, “and we will do it quickly.”'
    ctx = until(text, "assemble.order.v1")
    [draft] = ctx.drafts
    assert [ctx.span_text(f) for f in draft.fragments] == ["We will rebuild", "and we will do it quickly."]
    assert words(ctx, draft.speaker) == "the mayor"


def test_steps_assemble_continues_a_speaker_in_the_next_paragraph():
    text = 'The coach said the team was “ready for anyone” after a long week.\n“We have trained all season for it.”'
    ctx = until(text, "assemble.order.v1")
    assert len(ctx.drafts) == 2
    assert words(ctx, ctx.drafts[1].speaker) == "The coach"
    assert ctx.drafts[1].frame == Frame.CONTINUED


def test_steps_assemble_venue_is_where_not_what():
    text = 'The senator told “60 Minutes” that taxes would fall next year.'
    ctx = until(text, "assemble.venue.v1")
    assert [ctx.span_text((q.inner_start, q.inner_end)) for q in ctx.venues.values()] == ["60 Minutes"]
    ctx = Extractor().run_steps(ctx, until="assemble.order.v1")
    assert [ctx.span_text(d.content) for d in ctx.drafts] == ["taxes would fall next year"]


def test_steps_assemble_keeps_an_unattributed_sentence_but_not_a_scare_quote():
    text = 'The so-called “peace dividend” never arrived.\n“The water came up to the second floor in an hour.”'
    ctx = until(text, "assemble.order.v1")
    assert [ctx.span_text(d.content) for d in ctx.drafts] == ["The water came up to the second floor in an hour."]
    assert ctx.drafts[0].speaker is None


# -- speakers.v2, self_reports.v2 ----------------------------------------------------------------
def test_steps_speakers_resolve_a_pronoun_to_the_earlier_person():
    text = "Maria Lopez chairs the finance committee. She said the budget was balanced."
    ctx = until(text, "speakers.v2")
    [entity] = ctx.entities
    assert entity.name == "Maria Lopez" and entity.kind == "person" and entity.gender == "f"


def test_steps_speakers_leave_an_unresolvable_pronoun_unnamed():
    ctx = until("They said the road would stay closed.", "speakers.v2")
    assert ctx.entities == [None]


def test_steps_self_reports_fold_into_the_outer_statement():
    text = "Grace Okafor said she understood the anger of the families."
    before = until(text, "speakers.v2")
    after = Extractor().run_steps(before, until="self_reports.v2")
    assert len(after.drafts) == 1 and words(after, after.drafts[0].cue) == "said"


# -- types.v1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("The governor urged residents to leave the coast.", "appeal"),
    ("“If they hand in their weapons, they will be given safe passage,” the general said.", "offer"),
    ("“If the dam fails, thousands will lose their homes,” the engineer said.", "warning"),
    ("The minister asked whether the figures were right.", "question"),
])
def test_steps_types_from_cue_and_content(text, expected):
    ctx = until(text, "types.v1")
    assert ctx.types == [expected]


# -- disputes.v2 on hand-made claims -----------------------------------------------------------------
def _claim(n, stype, speaker, words, head="", negated=False, sentence=(0, 10)):
    return Claimable(n, stype, speaker, sentence, n * 100, set(words), head, negated)


def test_steps_disputes_link_a_denial_to_the_claim_sharing_its_words():
    claims = [
        _claim(0, "assertion", "Police", {"protester", "throw", "stone"}, sentence=(0, 50)),
        _claim(1, "assertion", "Mayor", {"budget", "balance"}, sentence=(60, 90)),
        _claim(2, "denial", "Organisers", {"protester", "throw", "stone"}, head="protesters", sentence=(100, 150)),
    ]
    assert link(claims, default_lexicon().disputes) == {2: [0]}


def test_steps_disputes_link_an_anaphoric_denial_to_the_latest_claim_of_another():
    claims = [
        _claim(0, "accusation", "Kyiv", {"shell", "school"}, sentence=(0, 50)),
        _claim(1, "appeal", "UN", {"talk"}, sentence=(60, 90)),
        _claim(2, "denial", "Moscow", {"claim"}, head="claims", sentence=(100, 150)),
    ]
    assert link(claims, default_lexicon().disputes) == {2: [0]}  # an appeal is no claim


def test_steps_disputes_never_link_a_speaker_to_their_own_claim():
    claims = [_claim(0, "assertion", "Acme", {"profit", "rise"}), _claim(1, "denial", "Acme", {"profit", "rise"})]
    assert link(claims, default_lexicon().disputes) == {}


# -- when.v1, channels.v1 ------------------------------------------------------------------------------
def test_steps_when_resolves_the_cue_time_against_publication():
    ctx = until("The mayor said on Thursday that the bridge would reopen.", "when.v1", published="2025-03-15")
    [when] = ctx.whens
    assert (when.text, when.date, when.relative_to) == ("on Thursday", "2025-03-13", "published")


def test_steps_channels_name_where_it_was_said():
    ctx = until("The minister said in an interview on Polish radio that talks had failed.", "channels.v1")
    [channel] = ctx.channels
    assert channel.text == "Polish radio"


# -- the engine: order as data, checked ---------------------------------------------------------------
def test_steps_engine_refuses_an_unknown_step():
    with pytest.raises(StepError, match="unknown step 'quotes.v9'"):
        resolve_steps(["quotes.v9", *DEFAULT_STEPS[1:]])


def test_steps_engine_refuses_a_step_before_what_it_needs():
    order = list(DEFAULT_STEPS)
    order.remove("quotes.v1")
    with pytest.raises(StepError, match="candidates.v2' needs quotes"):
        resolve_steps(order)


def test_steps_engine_refuses_a_list_without_the_record():
    with pytest.raises(StepError, match="record"):
        resolve_steps(["quotes.v1"])


def test_steps_engine_runs_a_step_of_our_own():
    @step("test.all_appeals.v1", needs=("types",), produces="types")
    def all_appeals(ctx):
        """Every statement an appeal (a test of inserting a step)."""
        return ["appeal"] * len(ctx.types)

    order = list(DEFAULT_STEPS)
    order.insert(order.index("types.v1") + 1, "test.all_appeals.v1")
    extractor = Extractor(order)
    record = extractor.run(context("The mayor said the bridge would reopen.", extractor=extractor))
    assert [s.type for s in record.statements] == ["appeal"]
    assert "test.all_appeals.v1" in record.extractor.steps
    assert record.extractor.id != Extractor().info.id


def test_steps_context_names_a_missing_product():
    ctx = bare_context("No quotes here.")
    with pytest.raises(AttributeError, match="no step before this one produced 'drafts'"):
        ctx.drafts


def test_steps_context_looks_tokens_up_across_segments():
    text = "First piece here.\nSecond piece there."
    nlp = get_nlp()
    segments = [(nlp(text[:18]), 0), (nlp(text[18:]), 18)]
    ctx = ArticleContext(text, segments, [], None, default_lexicon(), DEFAULT_SETTINGS)
    tok = ctx.token_at(text.index("there"))
    assert tok.text == "there" and ctx.offset_of(tok) == text.index("there")
    assert [t.text for t in ctx.tokens_in(text.index("piece"), text.index("Second") + 6)] == ["piece", "here", ".",
                                                                                             "Second"]


def test_steps_settings_are_checked_and_digested():
    with pytest.raises(ValueError, match="direct_share"):
        AnalysisSettings(direct_share=1.5)
    with pytest.raises(ValueError, match="nearby_window"):
        AnalysisSettings(nearby_window=-1)
    assert AnalysisSettings().digest == DEFAULT_SETTINGS.digest
    assert AnalysisSettings(nearby_window=800).digest != DEFAULT_SETTINGS.digest


def test_steps_a_setting_changes_what_is_found():
    text = "Officials said the storm had caused “severe damage across the whole region”."
    strict = Extractor()
    lenient = Extractor(settings=AnalysisSettings(direct_share=0.6))
    assert [s.kind for s in strict.run(context(text, extractor=strict)).statements] == ["mixed"]
    assert [s.kind for s in lenient.run(context(text, extractor=lenient)).statements] == ["direct"]

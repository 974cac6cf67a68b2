"""The analysis entry points: one model per process, batches in order, odd inputs."""

import pickle

from onrecord import ArticleInput, analyze, analyze_many
from onrecord.analysis.nlp import get_nlp
from onrecord.analysis.pipeline import analyze_stream


def test_pipeline_model_is_loaded_once():
    analyze("The minister said the plan failed.")
    analyze("Unions urged the government to act.")
    assert get_nlp.cache_info().misses <= 1


def test_pipeline_many_in_order_with_ids():
    items = [ArticleInput("The mayor said the road was closed.", doc_id="one"),
             "",
             ArticleInput("Unions urged the government to act.", published="2025-01-01", doc_id="three")]
    records = list(analyze_many(items))
    assert [r.doc_id for r in records] == ["one", None, "three"]
    assert records[1].statements == [] and records[1].length == 0
    assert records[2].published == "2025-01-01"


def test_pipeline_long_article_is_parsed_in_pieces():
    paragraph = "The spokesman said the office would stay open on Friday. " * 40 + "\n"
    text = paragraph * 30  # far longer than one parser piece; paragraphs repeat, sentences vary
    text += "“We will not close,” the director said.\n"
    record = analyze(text)
    assert record.length == len(text)
    assert any("not close" in s.content.text for s in record.statements)


def test_pipeline_stream_reports_each_article():
    results = list(analyze_stream(["He said yes.", "She said no."]))
    assert [type(r).__name__ for _, r in results] == ["ArticleRecord", "ArticleRecord"]


def test_pipeline_record_round_trips_and_pickles():
    record = analyze("The minister said on Monday that the plan had failed.", published="2025-03-15")
    assert type(record).model_validate_json(record.model_dump_json()) == record
    assert pickle.loads(pickle.dumps(record)) == record

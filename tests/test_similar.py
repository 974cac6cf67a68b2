"""Statements by meaning: the sentence model shipped as a skeleton over a base, its vectors
stored once per statement, the nearest-neighbour index kept current, ``similar`` and its
evidence. The model path runs on a tiny MPNet base made here (the real base is 438 MB and
CI does not download it); its quality is measured by ``benchmarks/eval_claims.py``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from onrecord.record.similar import compare_claims, figures, negated

ROOT = Path(__file__).resolve().parents[1]

STORIES = [
    ("BERLIN, May 5 (Reuters) - The finance minister said the government would not raise the fuel tax this "
     "year. Opposition leader Karl Weiss said the budget hid a deficit of 4 billion euros.\n", "2025-05-05"),
    ("The finance minister told parliament that fuel duty would stay where it is this year. "
     "Weiss said the budget was hiding a deficit.\n", "2025-05-06"),
    ("The city council said it would close two libraries in the spring. Residents said the plan was unfair.\n",
     "2025-05-07"),
]


# -- the reader's checks: pure text, no model -------------------------------------------------

def test_figures_and_negation_are_named_where_two_contents_differ():
    close = compare_claims("prices rose 4 per cent in May", "prices rose 7 per cent in May", 0.95)
    assert close.differs and "4" in close.differs[0] and "7" in close.differs[0]
    denial = compare_claims("the minister lied about the figures", "the minister did not lie about the figures", 0.9)
    assert any("says no" in d for d in denial.differs)
    same = compare_claims("we will not raise the fuel tax", "the government would not raise fuel duty", 0.8)
    assert same.differs == [] and "raise" in same.shared_words and "fuel" in same.shared_words


def test_number_words_and_contractions():
    assert figures("two libraries and 1,200 seats") == {"two", "1200"}
    assert negated("they won't close it") and negated("no troops were encircled") and not negated("it closes")


# -- the model path, on a tiny base ----------------------------------------------------------

@pytest.fixture(scope="module")
def sentence_dir(tmp_path_factory):
    """A tiny sentence model shipped by training/ship_sentence.py and assembled by onrecord."""
    if os.environ.get("ONRECORD_REQUIRE_TRAIN") != "1":
        pytest.importorskip("torch", reason="the train extra is not installed")
        pytest.importorskip("transformers", reason="the train extra is not installed")
    sys.path.insert(0, str(ROOT / "training"))
    sys.path.insert(0, str(ROOT / "tests"))
    import ship_sentence
    from test_training import _tiny_base, _zip_parts

    from onrecord.analysis.model.assemble import assemble

    tmp = tmp_path_factory.mktemp("sentence")
    base = _tiny_base(tmp / "base")
    parts, sha = _zip_parts(base, "tiny-base", tmp / "parts")
    spec = {"parts": ["tiny-base-part-1", "tiny-base-part-2"], "sha256": sha, "folder": "tiny-base"}
    result = ship_sentence.ship(base, tmp / "delta", base=spec, parts=parts)
    assert result["max_abs_diff"] < 1e-4  # the assembled graph embeds as torch does
    assert sorted(p.name for p in (tmp / "delta").iterdir()) == ["model.json", "skeleton.onnx", "weights.json"]
    return assemble(tmp / "delta", tmp / "cache", parts=parts)


@pytest.fixture
def own_model(sentence_dir, tmp_path, monkeypatch):
    from onrecord.analysis.model.sentence import get_sentence_model

    monkeypatch.setenv("ONRECORD_SENTENCE_DIR", str(sentence_dir))
    monkeypatch.setenv("ONRECORD_CACHE", str(tmp_path / "cache"))
    get_sentence_model.cache_clear()
    yield
    get_sentence_model.cache_clear()


def test_vectors_are_unit_length_and_order_kept(own_model):
    from onrecord.analysis.model.sentence import get_sentence_model

    model = get_sentence_model()
    texts = ["a much longer statement about the budget and the fuel tax", "short", ""]
    vectors = model.embed(texts, batch_size=2)
    assert vectors.shape == (3, model.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert np.allclose(model.embed(["short"])[0], vectors[1], atol=1e-5)  # sorting by length kept the order


def _ingest(url: str, stories: list[tuple[str, str]]):
    from onrecord.corpus import Corpus
    from onrecord.corpus.ingest import Ingestor
    from onrecord.ingest.readers import Loaded
    from onrecord.model import ArticleInput

    corpus = Corpus.open(url, writer=True)
    loaded = [Loaded(f"story-{day}-{n}.txt", ArticleInput(text=text, published=day))
              for n, (text, day) in enumerate(stories)]
    Ingestor(corpus.engine).ingest_loaded(loaded)
    return corpus


def _statement_ids(corpus) -> list[tuple[int, int, str]]:
    from sqlalchemy import select

    from onrecord.store.schema import statements

    with corpus.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(statements.c.id, statements.c.article_id,
                                                      statements.c.content).order_by(statements.c.id))]


def test_vectors_made_once_and_similar_lists_other_stories_only(own_model, db_url):
    corpus = _ingest(db_url, STORIES)
    rows = _statement_ids(corpus)
    seen: list[tuple[int, int]] = []
    assert corpus.embed_statements(progress=lambda done, total: seen.append((done, total))) == len(rows)
    assert seen[-1] == (len(rows), len(rows))
    assert corpus.embed_statements() == 0  # each statement once
    first, article, content = rows[0]
    found = corpus.similar(first, near=-1.0, limit=50)
    assert found["statement"]["content"] == content
    others = {r[0] for r in rows if r[1] != article}
    assert {m["id"] for m in found["matches"]} == others  # every statement of other stories, none of its own
    sims = [m["similarity"] for m in found["matches"]]
    assert sims == sorted(sims, reverse=True)
    assert all({"shared_words", "differs", "speaker", "published"} <= set(m) for m in found["matches"])
    assert corpus.similar(10**6) is None


def test_the_index_grows_with_the_corpus(own_model, tmp_path):
    from onrecord.corpus.meaning import current_index

    url = f"sqlite:///{tmp_path / 'grow.db'}"
    corpus = _ingest(url, STORIES[:2])
    corpus.embed_statements()
    before = current_index(corpus.engine, corpus.url)
    assert before.path is not None and before.path.exists()
    held = before.count
    _ingest(url, STORIES[2:])
    corpus.embed_statements()
    after = current_index(corpus.engine, corpus.url)
    assert after.count == len(_statement_ids(corpus)) > held
    newest = _statement_ids(corpus)[-1][0]
    found = corpus.similar(newest, near=-1.0, limit=50)
    assert found["matches"] and all(m["article_id"] != found["statement"]["article_id"] for m in found["matches"])


def test_similar_command(own_model, tmp_path):
    from onrecord.cli import main

    db = tmp_path / "cli.db"
    _ingest(f"sqlite:///{db}", STORIES)
    runner = CliRunner()
    made = runner.invoke(main, ["embed", "--db", str(db), "-q"])
    assert made.exit_code == 0 and "statement vectors made" in made.output
    first = _statement_ids(__import__("onrecord.corpus", fromlist=["Corpus"]).Corpus.open(str(db)))[0][0]
    shown = runner.invoke(main, ["similar", str(first), "--near", "-1", "--db", str(db), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["matches"]
    table = runner.invoke(main, ["similar", str(first), "--near", "-1", "--db", str(db)])
    assert table.exit_code == 0 and "shared:" in table.output
    missing = runner.invoke(main, ["similar", "999999", "--db", str(db)])
    assert missing.exit_code != 0 and "no statement 999999" in missing.output


def test_the_api_lists_close_statements_of_stored_vectors(own_model, tmp_path):
    from fastapi.testclient import TestClient

    from onrecord.web.app import create_app
    from onrecord.web.settings import WebSettings

    db = tmp_path / "api.db"
    corpus = _ingest(f"sqlite:///{db}", STORIES)
    first = _statement_ids(corpus)[0][0]
    client = TestClient(create_app(WebSettings(db=str(db))))
    before = client.get(f"/api/statements/{first}/similar", params={"near": -1})
    assert before.status_code == 409 and "onrecord embed" in before.json()["error"]  # a reader writes no vectors
    corpus.embed_statements()
    after = client.get(f"/api/statements/{first}/similar", params={"near": -1, "limit": 50}).json()
    assert after["matches"] and all(m["article_id"] != after["statement"]["article_id"] for m in after["matches"])
    assert {"similarity", "shared_words", "differs"} <= set(after["matches"][0])
    assert client.get("/api/statements/999999/similar").status_code == 404


def test_first_printing_rules_and_their_reasons():
    from onrecord.record.quotations import Printing, credited_wire, first_reason

    def printing(n: int, published: str | None, wire: str | None = None) -> Printing:
        return Printing(n, n, 1, "we will rebuild every pier", published, wire=wire)

    agencies = frozenset({"reuters", "afp"})
    assert credited_wire("BERLIN, May 5 (Reuters) -", None, agencies) == "Reuters"
    assert credited_wire(None, "Jane Doe, AFP", agencies) == "AFP"
    assert credited_wire("BERLIN -", "By Jane Doe", agencies) is None
    day, wire, later = printing(3, "2025-05-05"), printing(4, "2025-05-05", "Reuters"), printing(1, "2025-05-06")
    ordered = sorted([later, day, wire], key=Printing.order)
    assert [p.statement_id for p in ordered] == [4, 3, 1]
    assert "wire story (Reuters)" in first_reason(ordered[0], ordered[1])
    morning, noon = printing(9, "2025-05-05T08:00:00"), printing(2, "2025-05-05T12:00:00")
    assert sorted([noon, morning], key=Printing.order)[0] is morning
    assert first_reason(morning, noon) == "the same day (2025-05-05): the earlier time (08:00:00)"
    assert first_reason(day, later) == "the earliest day (2025-05-05)"
    assert "stored first" in first_reason(printing(1, "2025-05-05"), printing(2, "2025-05-05"))

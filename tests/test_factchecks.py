"""Fact-checkers' verdicts read from ClaimReview JSON-LD, search exports and CSV, refused
with the line and the field when a verdict is incomplete, and matched to statements by
claimant and words (never a verdict of onrecord's own)."""

import json

import pytest

from onrecord.record.factchecks import FactCheckFileError, claimant_matches, match, read

REVIEW = {
    "@context": "https://schema.org", "@type": "ClaimReview",
    "url": "https://checkers.example/2026/03/vogt-deficit",
    "claimReviewed": "The finance ministry has published every deficit figure it holds",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Lena Vogt"},
                     "datePublished": "2026-03-04"},
    "author": {"@type": "Organization", "name": "Alden Checks", "url": "https://checkers.example"},
    "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                     "alternateName": "Mostly false"},
    "datePublished": "2026-03-09",
}


def test_factchecks_claim_review_json_ld_in_its_forms():
    (one,) = read(json.dumps(REVIEW).encode())
    assert (one.claim, one.verdict, one.checker, one.claimant) == (
        REVIEW["claimReviewed"], "Mostly false", "Alden Checks", "Lena Vogt")
    assert one.rating == {"ratingValue": 2, "bestRating": 5, "worstRating": 1}
    assert one.claim_date == "2026-03-04" and one.review_date == "2026-03-09"
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, REVIEW, REVIEW]}
    assert len(read(json.dumps(graph).encode())) == 2
    lines = (json.dumps(REVIEW) + "\n\n" + json.dumps(REVIEW) + "\n").encode()
    assert len(read(lines)) == 2
    page = f"""<html><head><script type="application/ld+json">{json.dumps(REVIEW)}</script>
    <script type="application/ld+json">{{"@type": "Organization", "name": "x"}}</script></head></html>"""
    assert read(page.encode())[0].verdict == "Mostly false"


def test_factchecks_search_export_and_csv():
    export = {"claims": [{"text": "Ships will dock at the north quay before the summer", "claimant": "Ada Ferris",
                          "claimDate": "2026-03-06T00:00:00Z",
                          "claimReview": [{"publisher": {"name": "Port Facts", "site": "portfacts.example"},
                                           "url": "https://portfacts.example/quay", "textualRating": "Unproven",
                                           "reviewDate": "2026-03-10", "languageCode": "en"}]}]}
    (one,) = read(json.dumps(export).encode())
    assert (one.checker, one.verdict, one.claimant, one.checker_site) == (
        "Port Facts", "Unproven", "Ada Ferris", "portfacts.example")
    text = ("Claim,Claimant,Rating,Publisher,URL,Review date\n"
            "“Crime has doubled in the harbour district”,Marco Ruiz,False,Coast Check,https://cc.example/1,2026-06-03\n")
    (row,) = read(text.encode())
    assert (row.claim, row.claimant, row.verdict, row.checker) == (
        "“Crime has doubled in the harbour district”", "Marco Ruiz", "False", "Coast Check")


@pytest.mark.parametrize("data, where", [
    (json.dumps({**REVIEW, "reviewRating": {"ratingValue": 2}}), "'reviewRating.alternateName'"),
    (json.dumps([REVIEW, {**REVIEW, "url": ""}]), "review 2 of 2"),
    (json.dumps(REVIEW) + "\n" + "{not json\n", "file:2: not JSON"),
    ("claim,rating,publisher,url\nA claim,False,,https://x.example\n", "file:2: field 'publisher'"),
    ("claim,verdict\nA claim,False\n", "file:1: no column for checker, url"),
    (json.dumps({"@type": "NewsArticle"}), "no ClaimReview"),
    ("", "empty"),
])
def test_factchecks_bad_files_are_refused_with_the_line_and_the_field(data, where):
    with pytest.raises(FactCheckFileError, match=where.replace("(", r"\(").replace(")", r"\)")):
        read(data.encode())


def test_factchecks_match_needs_the_claimant_and_the_claims_words():
    (review,) = read(json.dumps(REVIEW).encode())
    said = "every deficit figure the ministry holds has been published"
    found = match(7, review, 42, said, ["Lena Vogt", "Finance Minister Lena Vogt", "Vogt"])
    assert found is not None and found.evidence["claimant"].startswith("the claimant 'Lena Vogt'")
    assert {"deficit", "figure", "publish"} <= set(found.evidence["shared_words"])
    # another speaker, a namesake, or another claim of hers: no match
    assert match(7, review, 42, said, ["Tomas Brandt"]) is None
    assert match(7, review, 42, said, ["Karl Vogt"]) is None
    assert match(7, review, 42, "food would not be taxed more heavily this year", ["Lena Vogt"]) is None


def test_factchecks_claimant_by_surname_or_full_name():
    assert claimant_matches("Lena Vogt", ["Vogt"]) is not None
    assert claimant_matches("Vogt", ["Lena Vogt"]) is not None
    assert claimant_matches("Sen. Maria Cantwell", ["Maria Cantwell"]) is not None
    assert claimant_matches("Lena Vogt", ["Karl Vogt"]) is None
    assert claimant_matches("Karl Vogt", ["Finance Minister Lena Vogt", "Lena Vogt", "Vogt"]) is None
    assert claimant_matches(None, ["Lena Vogt"]) is None


# -- in a corpus: import, show, the API, new stories matched as they arrive ---------------------

EXPORT = {"claims": [
    {"text": "The minister is concealing the real figures from parliament", "claimant": "Tomas Brandt",
     "claimDate": "2026-03-02",
     "claimReview": [{"publisher": {"name": "Alden Checks", "site": "aldenchecks.example"},
                      "url": "https://aldenchecks.example/brandt-figures", "textualRating": "Misleading",
                      "reviewDate": "2026-03-05"}]},
    {"text": "We will not raise a single tax on bread, milk or vegetables", "claimant": "Karl Vogt",
     "claimReview": [{"publisher": {"name": "Alden Checks"}, "url": "https://aldenchecks.example/wrong-vogt",
                      "textualRating": "True"}]}]}


def _cli(*args):
    from click.testing import CliRunner

    from onrecord.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def _stories(tmp_path, *docs):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "week"))
    from stories import WEEK

    path = tmp_path / f"{'-'.join(docs)}.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in WEEK if s["doc_id"] in docs), encoding="utf-8")
    return path


def test_factchecks_in_a_corpus_by_claimant_and_words(tmp_path, db_url):
    assert _cli("ingest", _stories(tmp_path, "wire-mon", "courier-tue", "sports-thu"), "--db", db_url,
                "--engine", "fast", "-q").exit_code == 0
    checks = tmp_path / "checks.json"
    checks.write_text(json.dumps(EXPORT), encoding="utf-8")
    result = _cli("factchecks", "import", checks, "--db", db_url)
    assert result.exit_code == 0, result.output
    # Brandt's accusation as the wire printed it (quoted and reported); the bread pledge is
    # Lena Vogt's, not the reviewed claimant Karl Vogt's (the coach): no match
    assert "2 reviews, 2 new, 0 held already; 2 statements make a reviewed claim" in result.output
    listed = json.loads(_cli("factchecks", "list", "--db", db_url, "--format", "json").output)
    assert {(r["claimant"], r["statements"]) for r in listed} == {("Tomas Brandt", 2), ("Karl Vogt", 0)}
    rows = [json.loads(line) for line in _cli("export", "statements", "--db", db_url).output.splitlines()]
    quoted = next(r for r in rows if r["content"].startswith("The minister is concealing"))
    shown = json.loads(_cli("show", "--statement", quoted["id"], "--db", db_url, "--format", "json").output)[0]
    (check,) = shown["factchecks"]
    assert (check["checker"], check["verdict"], check["url"]) == (
        "Alden Checks", "Misleading", "https://aldenchecks.example/brandt-figures")
    assert check["match"]["claimant"] == "the claimant 'Tomas Brandt' is the speaker 'Tomas Brandt'"
    # importing again adds nothing; a story stored later is matched as it is linked
    again = _cli("factchecks", "import", checks, "--db", db_url)
    assert "0 new, 2 held already" in again.output
    assert _cli("ingest", _stories(tmp_path, "ledger-mon"), "--db", db_url, "--engine", "fast", "-q").exit_code == 0
    listed = json.loads(_cli("factchecks", "list", "--db", db_url, "--format", "json").output)
    assert {(r["claimant"], r["statements"]) for r in listed} == {("Tomas Brandt", 3), ("Karl Vogt", 0)}


def test_factchecks_a_bad_file_is_refused_and_the_others_imported(tmp_path):
    db = tmp_path / "c.db"
    good, bad = tmp_path / "good.json", tmp_path / "bad.csv"
    good.write_text(json.dumps(EXPORT), encoding="utf-8")
    bad.write_text("claim,verdict,checker,url\nSome claim,,Checkers,https://x.example/1\n", encoding="utf-8")
    result = _cli("factchecks", "import", bad, good, "--db", db)
    assert result.exit_code == 1
    assert f"refused {bad}:2: field 'verdict' missing or empty" in result.output
    assert "2 reviews, 2 new" in result.output


def test_factchecks_api_and_article_page(tmp_path):
    from fastapi.testclient import TestClient

    from onrecord.web import WebSettings, create_app

    db = tmp_path / "c.db"
    assert _cli("ingest", _stories(tmp_path, "wire-mon"), "--db", db, "--engine", "fast", "-q").exit_code == 0
    checks = tmp_path / "checks.json"
    checks.write_text(json.dumps(EXPORT), encoding="utf-8")
    assert _cli("factchecks", "import", checks, "--db", db).exit_code == 0
    client = TestClient(create_app(WebSettings(db=str(db))))
    listed = client.get("/api/factchecks").json()
    assert listed["total"] == 2 and {r["verdict"] for r in listed["rows"]} == {"Misleading", "True"}
    rows = [json.loads(line) for line in _cli("export", "statements", "--db", db).output.splitlines()]
    quoted = next(r for r in rows if r["content"].startswith("The minister is concealing"))
    found = client.get(f"/api/statements/{quoted['id']}/factchecks").json()
    assert found["statement_id"] == quoted["id"] and found["factchecks"][0]["verdict"] == "Misleading"
    assert client.get("/api/statements/99999/factchecks").status_code == 404
    page = client.get(f"/articles/{quoted['article_id']}").text
    assert "Alden Checks: “Misleading”" in page and 'href="https://aldenchecks.example/brandt-figures"' in page

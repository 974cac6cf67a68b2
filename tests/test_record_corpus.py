"""The record across articles on a week of stories of our own (``record_corpus``), on SQLite
and PostgreSQL, through the CLI: each case found, each trap kept apart; batch and ingest
leave the same links; merges, splits and a people file hold across relinks."""

import json

import pytest
from click.testing import CliRunner
from record_corpus import SATURDAY, WEEK

from onrecord.cli import main


def _run(*args) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result.stdout


def _json(*args):
    return json.loads(_run(*args))


@pytest.fixture
def week(tmp_path, db_url):
    path = tmp_path / "week.jsonl"
    path.write_text("\n".join(json.dumps(story) for story in WEEK) + "\n", encoding="utf-8")
    _run("ingest", str(path), "--db", db_url)
    return db_url, path


def _speakers(db):
    return {row["name"]: row for row in _json("speakers", "--db", db, "--format", "json")}


def test_speakers_across_the_week(week):
    db, _ = week
    people = _speakers(db)
    # the minister's surname-only and title+surname printings join her, not the mayor
    elena, marco = people["Elena Ruiz"], people["Marco Ruiz"]
    assert "Interior Minister Ruiz" in elena["aliases"] and elena["joined"] >= 1
    assert marco["statements"] == 2 and marco["id"] != elena["id"]
    # "Okafor said" on Thursday is the dock workers' leader named on Monday
    assert people["Nadia Okafor"]["joined"] == 1 and people["Nadia Okafor"]["statements"] == 2
    # Zelenskiy and Zelensky are one person
    zelensky = [name for name in people if name.startswith("Volodymyr Zelensk")]
    assert len(zelensky) == 1 and people[zelensky[0]]["statements"] == 2
    # names only: no pronouns, no descriptions, no titles that are all a name has
    for row in people.values():
        assert all(alias.lower() not in ("she", "he", "her") for alias in row["aliases"])
    assert "dock workers" not in people and "mayor" not in people
    shown = _run("speakers", "show", str(elena["id"]), "--db", db)
    assert "[surname" in shown and "Interior Minister Ruiz" in shown


def test_one_quotation_printed_four_ways(week):
    db, _ = week
    (quote,) = _json("quotes", "--db", db, "--format", "json")
    assert quote["speaker"]["name"] == "Elena Ruiz"
    assert quote["text"] == "We will rebuild every pier of this harbour before the winter storms arrive"
    assert quote["first"]["doc_id"] == "mon" and quote["first"]["published"] == "2025-06-02"
    assert quote["first"]["why"] == "the earliest day (2025-06-02)"
    relations = {a["doc_id"]: a["relation"] for a in quote["appearances"]}
    # the wire copy of Monday's story is a duplicate, not a second appearance; the other
    # quote that shares "before the winter storms arrive" is not this quotation
    assert relations == {"mon": "first", "tue": "exact", "wed": "altered", "thu": "partial"}
    altered = next(a for a in quote["appearances"] if a["relation"] == "altered")
    assert {"op": "changed", "first": "pier", "this": "dock"} in altered["changes"]
    assert _json("quotes", "--db", db, "--altered", "--speaker", "ruiz", "--format", "json")[0]["id"] == quote["id"]
    assert _json("quotes", "--db", db, "--speaker", "okafor", "--format", "json") == []


def test_a_denial_in_another_paper_finds_the_claim(week):
    db, _ = week
    rows = _json("disputes", "--db", db, "--format", "json")
    across = [r for r in rows if r["scope"] == "corpus"]
    assert len(across) == 1
    link = across[0]
    assert (link["claim"]["doc_id"], link["claim"]["speaker"]) == ("sun", "Marco Ruiz")
    assert (link["denial"]["doc_id"], link["denial"]["speaker"]) == ("wed", "Elena Ruiz")
    # through the claim its story restates ("the mayor's accusation that the police had ..."),
    # whose claimant, the mayor, is Marco Ruiz
    assert link["evidence"]["claimant"] == "'mayor' names Marco Ruiz" and "police" in link["evidence"]["shared_words"]
    assert link["evidence"]["restatement_share"] >= 0.6
    assert 0 < link["score"] < 1
    # within Wednesday's story the denial denies the accusation it names
    inside = [r for r in rows if r["scope"] == "article"]
    assert any(r["denial"]["statement_id"] == link["denial"]["statement_id"] for r in inside)
    # Friday's denial by the same minister is of something else: no claim of it was printed
    assert not any(r["denial"]["doc_id"] == "fri" for r in rows)


def test_a_denial_of_the_claim_as_another_story_restated_it_joins_the_first_claim(week, tmp_path):
    db, _ = week
    path = tmp_path / "saturday.jsonl"
    path.write_text(json.dumps({"doc_id": "sat", "text": SATURDAY, "published": "2025-06-07",
                                "site": "coastdaily.example"}) + "\n", encoding="utf-8")
    _run("ingest", str(path), "--db", db)
    across = [r for r in _json("disputes", "--db", db, "--format", "json") if r["scope"] == "corpus"]
    saturday = [r for r in across if r["denial"]["doc_id"] == "sat"]
    assert len(saturday) == 1
    link = saturday[0]
    # Sunday's claim by the mayor himself, not Wednesday's restatement of it (speaker "mayor")
    assert (link["claim"]["doc_id"], link["claim"]["speaker"]) == ("sun", "Marco Ruiz")
    wednesday = next(r for r in across if r["denial"]["doc_id"] == "wed")
    assert link["evidence"]["via_denial"] == wednesday["denial"]["statement_id"]
    assert link["evidence"]["restated_in"] != link["claim"]["statement_id"]
    # one thread: the claim with both denials
    threads = _json("disputes", "--db", db, "--scope", "corpus", "--format", "json")
    assert {r["claim"]["statement_id"] for r in threads if r["denial"]["doc_id"] in ("wed", "sat")} \
        == {link["claim"]["statement_id"]}


def test_merge_split_and_people_file_hold_across_relinks(week, tmp_path):
    db, _ = week
    people = _speakers(db)
    marco, elena = people["Marco Ruiz"]["id"], people["Elena Ruiz"]["id"]
    _run("speakers", "merge", str(marco), str(elena), "--db", db)
    assert "Marco Ruiz" not in _speakers(db)
    _run("relink", "--db", db)
    assert "Marco Ruiz" not in _speakers(db)
    _run("speakers", "split", str(marco), "--db", db)
    assert "Marco Ruiz" in _speakers(db)
    csv = tmp_path / "people.csv"
    csv.write_text("id,name,aliases,kind,wikidata\nnews-17,Volodymyr Zelenskyy,Vladimir Zelensky,person,Q3874799\n",
                   encoding="utf-8")
    _run("speakers", "import", str(csv), "--db", db)
    pinned = _speakers(db)["Volodymyr Zelenskyy"]
    assert pinned["person_id"] == "news-17" and pinned["statements"] == 2
    found = _json("search", "engineers", "--db", db, "--format", "json")  # the pinned id in search rows too
    by_speaker = {row["speaker"]: row["person_id"] for row in found}
    assert by_speaker["Volodymyr Zelenskiy"] == by_speaker["Volodymyr Zelensky"] == "news-17"
    assert by_speaker["Okafor"] is None


def test_a_bad_people_file_says_what_is_wrong(week, tmp_path):
    db, _ = week
    csv = tmp_path / "people.csv"
    csv.write_text("name,aliases\nElena Ruiz,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["speakers", "import", str(csv), "--db", db])
    assert result.exit_code == 2 and "at least id and name" in result.stderr


@pytest.mark.slow
def test_batch_links_as_ingest_does(week, tmp_path):
    from onrecord.batch import Cluster, run_batch

    db, path = week
    other = str(tmp_path / "batch.db")
    with Cluster(workers=1) as cluster:
        run_batch([str(path)], cluster, db=other, shard_size=2)
    for command in (("quotes",), ("disputes",), ("speakers",)):
        ingested = _json(*command, "--db", db, "--format", "json")
        batched = _json(*command, "--db", other, "--format", "json")
        assert _shape(ingested) == _shape(batched), command


def _shape(rows):
    """Rows without the database's own ids (which differ with the order stories are stored)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("id") or k == "doc_id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return sorted(json.dumps(strip(r), sort_keys=True) for r in rows)


def test_the_api_serves_quotations_identities_and_linked_disputes(week):
    from fastapi.testclient import TestClient

    from onrecord.web import WebSettings, create_app

    db, _ = week
    client = TestClient(create_app(WebSettings(db=db)))
    listing = client.get("/api/quotations", params={"altered": "true"}).json()
    assert listing["total"] == 1 and listing["rows"][0]["first"]["doc_id"] == "mon"
    one = client.get(f"/api/quotations/{listing['rows'][0]['id']}").json()
    assert [a["relation"] for a in one["appearances"]] == ["first", "exact", "altered", "partial"]
    assert client.get("/api/quotations/999999").status_code == 404
    elena = client.get("/api/speakers", params={"name": "elena"}).json()["rows"][0]
    speaker = client.get(f"/api/speakers/{elena['id']}").json()["speaker"]
    assert speaker["joins"] and all(j["rule"] and j["evidence"] for j in speaker["joins"])
    scopes = {row["scope"] for row in client.get("/api/disputes").json()["rows"]}
    assert scopes == {"article", "corpus"}
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/quotations" in paths and "/api/quotations/{quotation_id}" in paths


def test_the_python_api_gives_what_the_cli_gives(week):
    from onrecord.corpus import Corpus

    db, _ = week
    corpus = Corpus.open(db)
    assert corpus.quotations().rows == _json("quotes", "--db", db, "--format", "json")
    assert corpus.speakers().rows == _json("speakers", "--db", db, "--format", "json")
    assert corpus.disputes(scope="corpus").rows[0]["claim"]["doc_id"] == "sun"
    assert corpus.speakers(name="okafor").rows[0]["name"] == "Nadia Okafor"
    assert corpus.relink().quotations == 1


def test_listings_say_when_they_stop_short(week):
    db, _ = week
    every = _json("speakers", "--db", db, "--format", "json")
    assert len(every) > 2
    result = CliRunner().invoke(main, ["speakers", "--db", db, "--limit", "2", "--format", "json"])
    assert len(json.loads(result.stdout)) == 2
    assert f"showing speakers 1-2 of {len(every)}; see more with --limit" in result.stderr
    assert "--offset 2" in result.stderr
    paged = _json("speakers", "--db", db, "--limit", "2", "--offset", "2", "--format", "json")
    assert paged == every[2:4]
    whole = CliRunner().invoke(main, ["speakers", "--db", db, "--format", "json"])
    assert "showing" not in whole.stderr  # a complete listing says nothing


def test_an_empty_filtered_listing_says_what_there_is(week):
    db, _ = week
    result = CliRunner().invoke(main, ["quotes", "--db", db, "--altered", "--speaker", "nobody-of-that-name"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no quotation of a speaker named like 'nobody-of-that-name' and printed with other words" in result.stderr
    assert "1 quotation(s) printed by two stories or more in all (see: onrecord quotes)" in result.stderr


def test_every_surface_counts_speakers_alike(week):
    from fastapi.testclient import TestClient

    from onrecord.web import WebSettings, create_app

    db, _ = week
    listed = _json("speakers", "--db", db, "--format", "json", "--limit", "100000")
    with TestClient(create_app(WebSettings(db=db))) as client:
        home = client.get("/index.json").json()
        api = client.get("/api/speakers").json()
        index = client.get("/speakers.json").json()
    assert home["counts"]["speakers"] == len(listed) == api["total"] == index["total"]
    assert home["counts"]["article_speakers"] >= len(listed)


def test_linkers_are_listed_versioned_and_a_stale_corpus_relinked(week):
    from onrecord.corpus import Corpus
    from onrecord.store.state import write_state

    db, _ = week
    listed = CliRunner().invoke(main, ["steps", "--corpus", "--format", "json"])
    assert [k["id"] for k in json.loads(listed.stdout)["linkers"]] == ["identities.v2", "quotations.v2",
                                                                       "disputes.v3", "factchecks.v1"]
    assert "the links are up to date" in _run("relink", "--where-stale", "--db", db)  # ingest linked it
    with Corpus.open(db).engine.begin() as conn:  # as if an older onrecord had linked it
        write_state(conn, "linkers", {"linkers": ["identities.v0"], "words": "old"})
    result = CliRunner().invoke(main, ["relink", "--where-stale", "--db", db])
    assert result.exit_code == 0 and "relinking (made by identities.v0" in result.stderr
    assert "quotations 1" in result.stdout
    assert Corpus.open(db).stale_links() is None


def test_on_one_day_the_wire_story_is_first_whatever_the_order_stored(tmp_path, db_url):
    quote = "“The bridge will stay closed until every cable has been replaced,”"
    paper = {"doc_id": "paper", "published": "2025-07-01", "site": "valleytimes.example",
             "text": f"{quote} Transport Minister Ilse Varga said on Tuesday. Drivers face a long detour.\n"}
    wire = {"doc_id": "wire", "published": "2025-07-01", "site": "wire.example",
            "text": f"LINZ, July 1 (Reuters) - Austrian Transport Minister Ilse Varga said on Tuesday: {quote[:-2]}.”"
                    " The bridge carries 40,000 vehicles a day.\n"}
    path = tmp_path / "day.jsonl"
    path.write_text("\n".join(json.dumps(story) for story in (paper, wire)) + "\n", encoding="utf-8")
    _run("ingest", str(path), "--db", db_url)  # the paper's copy is stored first
    (found,) = _json("quotes", "--db", db_url, "--format", "json")
    assert found["first"]["doc_id"] == "wire"
    assert found["first"]["why"] == "the same day (2025-07-01): the wire story (Reuters) before the paper that carried it"

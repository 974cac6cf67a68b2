"""Words as data: the built-in lists, a user's lexicon file, and the errors it can meet."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from onrecord import analyze
from onrecord.cli import main
from onrecord.lexicon import FILES, LexiconError, builtin_raw, default_lexicon, lexicon_with, load_lexicon

OPINED = "The senator opined that the deal was dead."


def test_lexicon_every_data_file_builds():
    lexicon = default_lexicon()
    assert set(builtin_raw()) == set(FILES)
    assert "he" in lexicon.pronouns.male and "poll" in lexicon.attribution.evidence_nouns
    assert lexicon.time.weekdays[0] == "monday" and lexicon.time.relative_days["yesterday"] == -1


def test_lexicon_no_word_list_is_defined_twice():
    """Each list once: the same words under two names would drift apart when edited."""
    seen: dict[tuple[str, ...], str] = {}
    for name, table in builtin_raw().items():
        for key, value in _lists(table, name):
            words = tuple(sorted(value))
            assert words not in seen or len(words) < 4, f"{key} repeats {seen.get(words)}"
            seen[words] = key


def _lists(table: dict, prefix: str):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _lists(value, f"{prefix}.{key}")
        elif isinstance(value, list) and all(isinstance(w, str) for w in value):
            yield f"{prefix}.{key}", value
        elif isinstance(value, list):  # groups: given-name variants, confidence bands
            for n, group in enumerate(value):
                yield f"{prefix}.{key}[{n}]", [str(w) for w in group]


def test_lexicon_file_adds_a_cue_word(tmp_path):
    assert analyze(OPINED).statements == []
    path = tmp_path / "words.toml"
    path.write_text('[cues.assertion]\nclause = ["opine"]\n', encoding="utf-8")
    [statement] = analyze(OPINED, lexicon=path).statements
    assert (statement.cue.text, statement.content.text, statement.speaker.text) == (
        "opined", "the deal was dead", "The senator")


def test_lexicon_file_extends_and_replaces(tmp_path):
    lexicon = lexicon_with({"names": {"anonymous": ["Whistleblower"]},
                            "replace": {"pronouns": {"object": ["him"]}}})
    assert "whistleblower" in lexicon.names.anonymous and "official" in lexicon.names.anonymous
    assert lexicon.pronouns.object == frozenset({"him"})
    assert lexicon.digest != default_lexicon().digest
    assert lexicon_with({}).digest == default_lexicon().digest


@pytest.mark.parametrize(("overlay", "message"), [
    ({"cue": {}}, "unknown key 'cue'; use one of cues"),
    ({"names": {"titlez": ["x"]}}, "unknown key 'names.titlez'; known keys there: anonymous"),
    ({"cues": {"assertion": {"clauze": ["x"]}}}, "unknown key 'cues.assertion.clauze'"),
    ({"cues": {"praise": {"clause": ["x"]}}}, "unknown key 'cues.praise': not a statement type"),
    ({"pronouns": {"male": "he"}}, "'pronouns.male' must be a list of words"),
    ({"time": {"numbers": {"twelve": "12"}}}, "'time.numbers.twelve' must be a int"),
    ({"replace": ["pronouns"]}, "'replace' must be a table"),
])
def test_lexicon_refuses_a_bad_key_by_name(overlay, message):
    with pytest.raises(LexiconError, match="^my.toml: .*" + message.replace("(", r"\(").replace(")", r"\)")):
        lexicon_with(overlay, source="my.toml")


def test_lexicon_file_that_is_not_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[cues.assertion\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid TOML"):
        load_lexicon(path)
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon(tmp_path / "missing.toml")


def test_cli_extract_lexicon_adds_a_statement(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(OPINED, encoding="utf-8")
    words = tmp_path / "words.toml"
    words.write_text('[cues.assertion]\nclause = ["opine"]\n', encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["extract", str(story), "--jsonl", "-q"])
    added = runner.invoke(main, ["extract", str(story), "--jsonl", "-q", "--lexicon", str(words)])
    assert plain.exit_code == 0 and '"statements":[]' in plain.stdout
    assert added.exit_code == 0 and '"text":"opined"' in added.stdout


def test_cli_extract_lexicon_with_a_bad_key_is_a_usage_error(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(OPINED, encoding="utf-8")
    words = tmp_path / "words.toml"
    words.write_text('[cues.assertion]\nclauze = ["opine"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(story), "--lexicon", str(words)])
    assert result.exit_code == 2
    assert "unknown key 'cues.assertion.clauze'" in result.stderr

"""Alert rules: which new statements are worth telling someone about, and why.

A rules file (TOML) holds ``[[rule]]`` tables; every condition a rule names must hold::

    [[rule]]
    name = "putin-denies"               # required, unique: alerts carry it
    speaker = "Vladimir Putin"          # an identity: its name or any alias of it
    aliases = ["Putin", "Russia's leader"]
    types = ["denial", "accusation"]    # statement types (or type = "denial")
    words = ["ceasefire", "truce"]      # any of these words in what was said
    query = "troops surrounded"         # every word of it in what was said
    min_confidence = 0.5

    [[rule]]
    name = "checked-claims"
    factchecked = true                  # it makes a claim a fact-checker reviewed (factchecks import)

    [[rule]]
    name = "claim-41"
    follow = [41]                       # statement ids: their denials and new printings
    on = ["denial", "printing", "altered"]

Speaker names match whole words in order: ``Putin`` matches *Vladimir Putin* and
*President Putin*, not *Putinism*. The file may also hold ``[[sink]]`` tables (``sinks``).
"""

from __future__ import annotations

from typing import Any

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

#: What a followed statement's new statements can be: a denial of it, a new printing of its
#: words (exact or partial), an altered printing.
FOLLOW_EVENTS = ("denial", "printing", "altered")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_RULE_KEYS = {"name", "speaker", "aliases", "type", "types", "words", "query", "min_confidence", "follow", "on",
              "factchecked"}


class RulesError(ValueError):
    """A rules file that cannot be used as it is; the message says how to fix it."""


def words_of(text: str) -> list[str]:
    """The words of a text, case-folded, apostrophes kept (``Putin's`` is not ``Putin``)."""
    return [w.strip("'’-") for w in _WORD.findall(text.casefold()) if w.strip("'’-")]


def _contains(name_words: list[str], wanted: list[str]) -> bool:
    """Whether ``wanted`` occurs in ``name_words`` as whole words, in order."""
    n = len(wanted)
    return n > 0 and any(name_words[i:i + n] == wanted for i in range(len(name_words) - n + 1))


@dataclass(frozen=True)
class Rule:
    """One rule: the conditions a new statement must meet to fire it."""

    name: str
    speakers: tuple[str, ...] = ()  # the speaker and its aliases
    types: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    query: str = ""
    min_confidence: float | None = None
    follow: tuple[int, ...] = ()
    on: tuple[str, ...] = FOLLOW_EVENTS
    factchecked: bool = False

    def check(self, statement: dict[str, Any], links: dict[str, Any] | None = None) -> str | None:
        """Why ``statement`` (a row of the store's ``article_statements``) fires this rule,
        or None. ``links``: what it denies (``denies``) and prints (``printing``)."""
        reasons: list[str] = []
        for test in (self._speaker, self._type, self._words, self._query, self._confidence):
            reason = test(statement)
            if reason is None:
                return None
            if reason:
                reasons.append(reason)
        if self.factchecked:
            reason = self._checked(links or {})
            if reason is None:
                return None
            reasons.append(reason)
        if self.follow:
            reason = self._followed(statement, links or {})
            if reason is None:
                return None
            reasons.append(reason)
        return "; ".join(reasons)

    def _speaker(self, s: dict[str, Any]) -> str | None:
        if not self.speakers:
            return ""
        names = [n for n in (s.get("identity"), s.get("speaker"), *(s.get("aliases") or [])) if n]
        for wanted in self.speakers:
            wanted_words = words_of(wanted)
            for name in names:
                if _contains(words_of(name), wanted_words):
                    shown = s.get("identity") or s.get("speaker")
                    return (f"speaker {shown} matches {wanted!r}" if name == shown
                            else f"speaker {shown} (as {name!r}) matches {wanted!r}")
        return None

    def _type(self, s: dict[str, Any]) -> str | None:
        if not self.types:
            return ""
        return f"type {s['type']}" if s.get("type") in self.types else None

    def _words(self, s: dict[str, Any]) -> str | None:
        if not self.words:
            return ""
        said = set(words_of(s.get("content") or ""))
        found = [w for w in self.words if all(part in said for part in words_of(w))]
        return f"words: {', '.join(found)}" if found else None

    def _query(self, s: dict[str, Any]) -> str | None:
        if not self.query:
            return ""
        said = set(words_of(s.get("content") or ""))
        return f"every word of {self.query!r}" if all(w in said for w in words_of(self.query)) else None

    def _confidence(self, s: dict[str, Any]) -> str | None:
        if self.min_confidence is None:
            return ""
        value = s.get("confidence")
        return f"confidence {value:.2f}" if value is not None and value >= self.min_confidence else None

    def _checked(self, links: dict[str, Any]) -> str | None:
        """A statement that makes a claim a fact-checker reviewed: the checker's verdict, as written."""
        checks = links.get("factchecks") or []
        if not checks:
            return None
        return "makes a reviewed claim: " + "; ".join(f"{c['checker']} rated it {c['verdict']!r} ({c['url']})"
                                                      for c in checks)

    def _followed(self, s: dict[str, Any], links: dict[str, Any]) -> str | None:
        """A denial of a followed statement, or a printing of its quotation (new or altered)."""
        followed = set(self.follow)
        if "denial" in self.on:
            denied = sorted(followed & set(links.get("denies", [])))
            if denied:
                return f"denies followed statement {denied[0]}"
        printing = links.get("printing")
        if printing and s["statement_id"] not in followed and followed & set(printing.get("followed", [])):
            source = sorted(followed & set(printing["followed"]))[0]
            if printing["relation"] == "altered" and "altered" in self.on:
                changes = ", ".join(_change(c) for c in printing.get("changes", [])[:5])
                return f"altered printing of followed statement {source}" + (f" ({changes})" if changes else "")
            if printing["relation"] in ("exact", "partial") and "printing" in self.on:
                return f"new printing ({printing['relation']}) of followed statement {source}"
        return None


def _change(change: object) -> str:
    """One word an altered printing changed, as people read it: ``pier -> dock``, ``-winter``, ``+new``."""
    if not isinstance(change, dict):
        return str(change)
    first, this = change.get("first") or "", change.get("this") or ""
    if change.get("op") == "dropped":
        return f"-{first}"
    if change.get("op") == "added":
        return f"+{this}"
    return f"{first} -> {this}"


@dataclass
class RuleSet:
    """The rules of a file, and the sinks it names (``sinks.load_sinks`` reads those)."""

    rules: list[Rule] = field(default_factory=list)
    sinks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def followed(self) -> set[int]:
        """Every statement id some rule follows."""
        return {sid for rule in self.rules for sid in rule.follow}


def load_rules(path: str | Path) -> RuleSet:
    """The rules (and sink settings) of a TOML rules file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, where: str = "rules") -> RuleSet:
    """The rules of a rules file's text; every mistake named with its fix."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{where}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"rule", "sink"}
    if unknown:
        raise RulesError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}; a rules file holds [[rule]] "
                         "and [[sink]] tables")
    rules = [_rule(entry, f"{where} rule {n}") for n, entry in enumerate(data.get("rule", []), 1)]
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RulesError(f"{where}: rule name(s) {', '.join(twice)} used twice; alerts name their rule, "
                         "so give each its own")
    sinks = data.get("sink", [])
    if not isinstance(sinks, list) or not all(isinstance(s, dict) for s in sinks):
        raise RulesError(f"{where}: write each sink as a [[sink]] table")
    return RuleSet(rules, sinks)


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{where}: {key} must be a word or a list of words, e.g. {key} = [\"ceasefire\"]")
    return tuple(v.strip() for v in value)


def _rule(entry: object, where: str) -> Rule:
    """One ``[[rule]]`` table, checked."""
    from ..lexicon import in_force

    if not isinstance(entry, dict):
        raise RulesError(f"{where}: write each rule as a [[rule]] table")
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (a rule has "
                         f"{', '.join(sorted(_RULE_KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RulesError(f"{where}: every rule needs a name = \"...\"; alerts carry it")
    where = f"{where} ({name})"
    speakers = _strings(entry, "speaker", where) + _strings(entry, "aliases", where)
    types = _strings(entry, "type", where) + _strings(entry, "types", where)
    known_types = set(in_force().types)
    bad = [t for t in types if t not in known_types]
    if bad:
        raise RulesError(f"{where}: unknown statement type(s) {', '.join(bad)}; types are "
                         f"{', '.join(sorted(known_types))}")
    follow = entry.get("follow", [])
    follow = [follow] if isinstance(follow, int) else follow
    if not isinstance(follow, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in follow):
        raise RulesError(f"{where}: follow must be statement ids, e.g. follow = [41] (see onrecord search)")
    on = _strings(entry, "on", where) or FOLLOW_EVENTS
    if set(on) - set(FOLLOW_EVENTS):
        raise RulesError(f"{where}: on must be among {', '.join(FOLLOW_EVENTS)}")
    confidence = entry.get("min_confidence")
    if confidence is not None and (not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1):
        raise RulesError(f"{where}: min_confidence must be a number from 0 to 1")
    query = entry.get("query", "")
    if not isinstance(query, str):
        raise RulesError(f"{where}: query must be text, e.g. query = \"troops surrounded\"")
    checked = entry.get("factchecked", False)
    if not isinstance(checked, bool):
        raise RulesError(f"{where}: factchecked must be true or false")
    rule = Rule(name.strip(), speakers, types, _strings(entry, "words", where), query.strip(),
                float(confidence) if confidence is not None else None, tuple(follow), on, checked)
    if not (speakers or types or rule.words or rule.query or follow or confidence is not None or checked):
        raise RulesError(f"{where}: a rule without conditions would fire on every statement; give it a speaker, "
                         "types, words, query, follow or factchecked = true")
    return rule

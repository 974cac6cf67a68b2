"""The cue lexicon: which words introduce statements, in which frames, with which type.

The words live in ``onrecord/data/cues.toml`` so that they can be read and extended without
touching code. Types are tried in the order the file lists them, so the specific types
(denial, accusation ...) come before the fallback (assertion).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

FRAMES = ("clause", "object", "infinitive")


@dataclass(frozen=True)
class Lexicon:
    """Cue lemmas by frame, each mapped to the statement type it makes."""

    frames: dict[str, dict[str, str]]
    prepositions: dict[str, frozenset[str]] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    _ids: dict[int, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def type_for(self, lemma: str, frame: str) -> str | None:
        """The type a cue makes in a frame, or None when it is no cue in that frame."""
        return self.frames[frame].get(lemma)

    def any_type(self, lemma: str) -> str | None:
        """The type of a cue in its first listed frame (clause before object ...)."""
        for frame in FRAMES:
            found = self.frames[frame].get(lemma)
            if found:
                return found
        return None

    def is_cue(self, lemma: str) -> bool:
        """Whether ``lemma`` introduces statements in any frame (or through a preposition)."""
        return any(lemma in table for table in self.frames.values()) or lemma in self.prepositions

    def takes_preposition(self, lemma: str, prep: str) -> bool:
        """Whether ``lemma`` carries its content in a phrase headed by ``prep``."""
        return prep in self.prepositions.get(lemma, ())

    def first_word_ids(self, strings) -> frozenset[int]:
        """String-store ids of the first words of all cue keys (for fast array filtering)."""
        cached = self._ids.get(id(strings))
        if cached is None:
            words = {key.split()[0] for table in self.frames.values() for key in table} | set(self.prepositions)
            words |= set(self.nouns)
            cached = frozenset(strings.add(word) for word in words)
            self._ids[id(strings)] = cached
        return cached

    @property
    def types(self) -> list[str]:
        """Every statement type the lexicon can produce, in file order."""
        seen: dict[str, None] = {}
        for table in self.frames.values():
            for kind in table.values():
                seen.setdefault(kind, None)
        return list(seen)


def parse_lexicon(data: dict) -> Lexicon:
    """Build a lexicon from the parsed TOML tables (see ``data/cues.toml``)."""
    frames: dict[str, dict[str, str]] = {frame: {} for frame in FRAMES}
    prepositions = {k: frozenset(v) for k, v in data.get("prepositions", {}).items()}
    nouns: dict[str, str] = {}
    for kind, words in data.get("nouns", {}).items():
        for word in words:
            nouns.setdefault(word, kind)
    for kind, table in data.items():
        if kind in ("prepositions", "nouns"):
            continue
        unknown = set(table) - set(FRAMES)
        if unknown:
            raise ValueError(f"cue lexicon: [{kind}] has unknown frame(s) {sorted(unknown)}; use {FRAMES}")
        for frame, lemmas in table.items():
            for lemma in lemmas:
                frames[frame].setdefault(lemma, kind)
    return Lexicon(frames=frames, prepositions=prepositions, nouns=nouns)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with onrecord, loaded once."""
    text = resources.files("onrecord.data").joinpath("cues.toml").read_text(encoding="utf-8")
    return parse_lexicon(tomllib.loads(text))

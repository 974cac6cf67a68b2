"""The words onrecord knows: every list that encodes how English news is written.

The lists live in ``onrecord/data/*.toml``, one file a concern (cue words, names, pronouns,
attribution constructions, acts, disputes, media, time), each list once, so that an editor
can read and extend them without touching code. A user's lexicon file extends or replaces
them for one run (``onrecord extract --lexicon FILE.toml``, ``analyze(..., lexicon=...)``):

.. code-block:: toml

    [cues.assertion]            # a table extends the built-in lists of the same name
    clause = ["opine"]

    [replace.pronouns]          # under [replace ...] a list replaces the built-in one
    object = ["him", "them"]

Every key is checked against the built-in ones, and a wrong one is refused with its name
and the keys that are allowed there. ``Lexicon.digest`` names the words in force, so that a
record says which words made it. This module imports no NLP library.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from .model import StatementType

#: The frames in which cue words are listed (``cues.toml``): with a clause, an object, an infinitive.
FRAMES = ("clause", "object", "infinitive")

#: The data files, by the name a lexicon file uses for them.
FILES = ("cues", "names", "pronouns", "attribution", "acts", "disputes", "media", "time", "layout",
         "identity", "confidence")


class LexiconError(ValueError):
    """A lexicon file that cannot be used: the message names the file and the bad key."""


@dataclass(frozen=True)
class NameWords:
    """Words that help name speakers (``names.toml``)."""

    titles: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    anonymous: frozenset[str]
    organization: frozenset[str]
    determiners: frozenset[str]
    indefinite: frozenset[str]
    body_descriptions: frozenset[str] = frozenset()  # "the company": the latest named body
    company_words: frozenset[str] = frozenset()  # "Fenwick Foods": a company, whatever the tagger says
    issued_documents: frozenset[str] = frozenset()  # "the statement said": the body that issued it

    @cached_property
    def title_or_gender(self) -> frozenset[str]:
        """Words that may stand before a name: titles and gendered title words."""
        return self.titles | self.male | self.female


@dataclass(frozen=True)
class Pronouns:
    """Pronouns by what they can refer to (``pronouns.toml``)."""

    male: frozenset[str]
    female: frozenset[str]
    thing: frozenset[str]
    other: frozenset[str]
    object: frozenset[str]
    relative: frozenset[str]
    first_person: frozenset[str]
    second_person: frozenset[str]
    subject: frozenset[str]
    writer: frozenset[str] = frozenset()  # "I" outside quotations: the author


@dataclass(frozen=True)
class AttributionWords:
    """Constructions of attribution beyond the cue words (``attribution.toml``)."""

    not_doing: frozenset[str]
    naming: frozenset[str]
    bound_prepositions: dict[str, str]
    evidence_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    noun_prepositions: frozenset[str]
    clause_marks: frozenset[str]
    noun_owner_prepositions: frozenset[str]
    venue_prepositions: frozenset[str]
    venue_object_verbs: frozenset[str]
    inverted_cues: frozenset[str]
    idioms: frozenset[str] = frozenset()  # phrases, lower case, straight apostrophes
    counterfactual: frozenset[str] = frozenset()
    answering: frozenset[str] = frozenset()  # cue lemmas of a reply: not the previous speaker
    vote_verbs: frozenset[str] = frozenset()  # "approved", "rejected" ... of a deciding body: a vote
    vote_bodies: frozenset[str] = frozenset()
    programme_nouns: frozenset[str] = frozenset()  # "KTVB's Morning show": a venue's last word
    not_yet: frozenset[str] = frozenset()  # "wants to say ...": the speech was not made
    nobody: frozenset[str] = frozenset()  # "No one said ...": nobody spoke
    host_roles: frozenset[str] = frozenset()  # "DAVID ARCHER, HOST:": the one who asks
    phatic: tuple[str, ...] = ()  # "Thanks for having me.": a turn that says nothing on the record
    not_turn_labels: frozenset[str] = frozenset()  # "Update:", "Note:": a label, not a speaker

    @cached_property
    def inverted_titles(self) -> frozenset[str]:
        """The inverted cue words as they open a sentence (``Said``)."""
        return frozenset(word.capitalize() for word in self.inverted_cues)


@dataclass(frozen=True)
class ActWords:
    """Words that decide a statement's type from its content (``acts.toml``).

    ``asking`` are the cue lemmas listed under ``[question]`` in ``cues.toml``.
    """

    asking: frozenset[str]
    question_words: frozenset[str]
    granted: frozenset[str]
    harmed: frozenset[str]
    not_imperative: frozenset[str]


@dataclass(frozen=True)
class DisputeWords:
    """Words that link denials to claims (``disputes.toml``)."""

    anaphoric: frozenset[str]
    negations: frozenset[str]
    stopwords: frozenset[str]


@dataclass(frozen=True)
class MediaWords:
    """Where statements are made (``media.toml``)."""

    media: frozenset[str]
    prepositions: frozenset[str]


@dataclass(frozen=True)
class TimeWords:
    """Time words (``time.toml``); weekdays and months in calendar order."""

    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    time_words: frozenset[str]
    prepositions: frozenset[str]
    relative_days: dict[str, int]
    periods: dict[str, int]
    numbers: dict[str, int]

    @cached_property
    def all_time_words(self) -> frozenset[str]:
        """Every word that by itself says when: weekdays, months, relative days and the rest."""
        return frozenset(self.weekdays) | frozenset(self.months) | frozenset(self.relative_days) | self.time_words


@dataclass(frozen=True)
class LayoutWords:
    """What a story carries before its first sentence: headline, byline, dateline (``layout.toml``)."""

    agencies: frozenset[str]
    byline_openers: frozenset[str]
    byline_joiners: frozenset[str]
    dashes: frozenset[str]
    byline_labels: frozenset[str] = frozenset()  # "Special to the Ledger": beside a name, never one
    furniture_labels: frozenset[str] = frozenset()  # "WATCH:", "Read more:": a line from another page
    caption_marks: frozenset[str] = frozenset()  # "(Photo: ...)": a caption's credit
    video_blurbs: frozenset[str] = frozenset()  # "In the video, ...": a clip's description


@dataclass(frozen=True)
class IdentityWords:
    """Words for joining one article's speakers to the people of a corpus (``identity.toml``)."""

    given_variants: dict[str, str]  # each variant -> the first spelling of its list
    not_name: frozenset[str]
    particles: frozenset[str]
    joiners: frozenset[str]
    modifier_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class ConfidenceShares:
    """How often a statement of each sort is right (``confidence.toml``): ``rules[kind][status]``
    for a rule's statement, ``bands`` ([lower bound, share]) for one the tagger added."""

    rules: dict[str, dict[str, float]]
    bands: tuple[tuple[float, float], ...]
    # the accurate engine's table (``[accurate]``), by cell: "joined|direct|resolved|0.9"
    accurate: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """All word lists in force for an analysis, with the cue lookups the readers use.

    ``frames`` maps each frame to its cue lemmas and the statement type each makes;
    ``prepositions`` the prepositions that carry a lemma's content; ``nouns`` the statement
    nouns and their types.
    """

    frames: dict[str, dict[str, str]]
    prepositions: dict[str, frozenset[str]] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    # every built lexicon has every list (``build``): required, by keyword
    names: NameWords = field(kw_only=True)
    pronouns: Pronouns = field(kw_only=True)
    attribution: AttributionWords = field(kw_only=True)
    acts: ActWords = field(kw_only=True)
    disputes: DisputeWords = field(kw_only=True)
    media: MediaWords = field(kw_only=True)
    time: TimeWords = field(kw_only=True)
    layout: LayoutWords = field(kw_only=True)
    identity: IdentityWords = field(kw_only=True)
    confidence: ConfidenceShares = field(kw_only=True)
    digest: str = ""
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


# -- building ---------------------------------------------------------------------------------
def parse_cues(data: dict) -> tuple[dict[str, dict[str, str]], dict[str, frozenset[str]], dict[str, str]]:
    """Frames, prepositions and nouns from the tables of ``cues.toml``."""
    frames: dict[str, dict[str, str]] = {frame: {} for frame in FRAMES}
    prepositions = {k: frozenset(v) for k, v in data.get("prepositions", {}).items()}
    nouns: dict[str, str] = {}
    for kind, words in data.get("nouns", {}).items():
        _check_type(kind, f"nouns.{kind}")
        for word in words:
            nouns.setdefault(word, kind)
    for kind, table in data.items():
        if kind in ("prepositions", "nouns"):
            continue
        _check_type(kind, kind)
        unknown = sorted(set(table) - set(FRAMES))
        if unknown:
            raise LexiconError(f"unknown key 'cues.{kind}.{unknown[0]}' (a frame); use one of {', '.join(FRAMES)}")
        for frame, lemmas in table.items():
            for lemma in lemmas:
                frames[frame].setdefault(lemma, kind)
    return frames, prepositions, nouns


def _check_type(kind: str, key: str) -> None:
    if kind not in StatementType.__members__.values():
        known = sorted(t.value for t in StatementType)
        raise LexiconError(f"unknown key 'cues.{key}': not a statement type; use one of {', '.join(known)}")


def parse_lexicon(data: dict) -> Lexicon:
    """A lexicon of cue words alone, from the tables of ``cues.toml`` (other lists built in)."""
    raw = builtin_raw()
    raw["cues"] = data
    return build(raw)


def build(raw: dict[str, dict]) -> Lexicon:
    """The typed lexicon from the raw tables of every data file."""
    frames, prepositions, nouns = parse_cues(raw["cues"])
    names, pron, attr, acts, disp, media, time, layout, identity, shares = (raw[k] for k in FILES[1:])
    return Lexicon(
        frames=frames, prepositions=prepositions, nouns=nouns,
        names=NameWords(
            titles=frozenset(names["titles"]), male=frozenset(names["male"] + names["male_first"]),
            female=frozenset(names["female"] + names["female_first"]), anonymous=frozenset(names["anonymous"]),
            organization=frozenset(names["organization"]), determiners=frozenset(names["determiners"]),
            indefinite=frozenset(names["indefinite"]),
            body_descriptions=frozenset(names.get("body_descriptions", ())),
            company_words=frozenset(names.get("company_words", ())),
            issued_documents=frozenset(names.get("issued_documents", ()))),
        pronouns=Pronouns(**{k: frozenset(v) for k, v in pron.items()}),
        attribution=AttributionWords(
            not_doing=frozenset(attr["not_doing"]), naming=frozenset(attr["naming"]),
            bound_prepositions=dict(attr["bound_prepositions"]),
            evidence_verbs=frozenset(attr["evidence"]["verbs"]), evidence_nouns=frozenset(attr["evidence"]["nouns"]),
            noun_prepositions=frozenset(attr["nouns"]["prepositions"]),
            clause_marks=frozenset(attr["clause_marks"]),
            noun_owner_prepositions=frozenset(attr["nouns"]["owner_prepositions"]),
            venue_prepositions=frozenset(attr["venues"]["prepositions"]),
            venue_object_verbs=frozenset(attr["venues"]["object_verbs"]),
            programme_nouns=frozenset(attr["venues"].get("programme_nouns", ())),
            not_yet=frozenset(attr.get("not_yet", ())), nobody=frozenset(attr.get("nobody", ())),
            inverted_cues=frozenset(attr["inverted"]["cues"]),
            idioms=frozenset(" ".join(p.lower().replace("\u2019", "'").split()) for p in attr.get("idioms", ())),
            counterfactual=frozenset(" ".join(p.lower().split()) for p in attr.get("counterfactual", ())),
            answering=frozenset(attr.get("answering", ())),
            vote_verbs=frozenset(attr.get("votes", {}).get("verbs", ())),
            vote_bodies=frozenset(attr.get("votes", {}).get("bodies", ())),
            host_roles=frozenset(attr.get("transcript", {}).get("host_roles", ())),
            phatic=tuple(attr.get("transcript", {}).get("phatic", ())),
            not_turn_labels=frozenset(attr.get("transcript", {}).get("not_labels", ()))),
        acts=ActWords(asking=frozenset(raw["cues"].get("question", {}).get("clause", ())),
                      **{k: frozenset(v) for k, v in acts.items()}),
        disputes=DisputeWords(**{k: frozenset(v) for k, v in disp.items()}),
        media=MediaWords(**{k: frozenset(v) for k, v in media.items()}),
        time=TimeWords(
            weekdays=tuple(time["weekdays"]), months=tuple(time["months"]), time_words=frozenset(time["time_words"]),
            prepositions=frozenset(time["prepositions"]), relative_days=dict(time["relative_days"]),
            periods=dict(time["periods"]), numbers=dict(time["numbers"])),
        layout=LayoutWords(**{k: frozenset(v) for k, v in layout.items()}),
        identity=IdentityWords(
            given_variants={v: group[0] for group in identity["given_name_variants"] for v in group},
            not_name=frozenset(identity["not_name_words"]), particles=frozenset(identity["name_particles"]),
            joiners=frozenset(identity["organization_joiners"]),
            modifier_prefixes=tuple(identity["modifier_prefixes"])),
        confidence=ConfidenceShares(
            rules={kind: {status: float(share) for status, share in table.items()}
                   for kind, table in shares["rules"].items()},
            bands=tuple((float(lower), float(share)) for lower, share in shares["model"]["bands"]),
            accurate=_cells(shares.get("accurate", {}))),
        digest=digest(raw),
    )


def _cells(table: dict, path: tuple[str, ...] = ()) -> dict[str, float]:
    """A nested table of shares (``[accurate.joined.direct.resolved] "0.9" = 0.8``) by cell
    name, its keys joined by ``|``."""
    out: dict[str, float] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_cells(value, (*path, key)))
        else:
            out["|".join((*path, key))] = float(value)
    return out


def digest(raw: dict) -> str:
    """A short stable hash of word lists (the same words give the same digest)."""
    blob = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _builtin() -> dict[str, dict]:
    folder = resources.files("onrecord.data")
    return {name: tomllib.loads(folder.joinpath(f"{name}.toml").read_text(encoding="utf-8")) for name in FILES}


def builtin_raw() -> dict[str, dict]:
    """A fresh copy of the raw tables of the shipped data files."""
    return copy.deepcopy(_builtin())


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with onrecord, loaded once."""
    return build(builtin_raw())


#: The lexicon of the run in progress (``using``); unset means the shipped one.
_IN_FORCE: ContextVar[Lexicon | None] = ContextVar("onrecord_lexicon", default=None)


def in_force() -> Lexicon:
    """The lexicon in force here: the one a ``using`` block set, else the shipped one.

    The analysis steps read their lexicon from the article's context; the code that works
    across articles (names, identities, disputes, the store's keys) reads this, so a user's
    ``--lexicon`` reaches the linking of an ingest, a reanalysis or a relink as well.
    """
    return _IN_FORCE.get() or default_lexicon()


@contextmanager
def using(lexicon: Lexicon | None) -> Iterator[Lexicon]:
    """Put ``lexicon`` in force for the block (None keeps what is in force), as
    ``decimal.localcontext`` does for precision: per thread and per task, restored after."""
    if lexicon is None:
        yield in_force()
        return
    token = _IN_FORCE.set(lexicon)
    try:
        yield lexicon
    finally:
        _IN_FORCE.reset(token)


# -- a user's lexicon file -------------------------------------------------------------------
def load_lexicon(path: str | os.PathLike[str]) -> Lexicon:
    """The shipped lexicon extended (or partly replaced) by a user's TOML file."""
    path = Path(path)
    try:
        overlay = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the lexicon file ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 text") from exc
    return lexicon_with(overlay, source=str(path))


def lexicon_with(overlay: dict, source: str = "lexicon") -> Lexicon:
    """The shipped lexicon with ``overlay`` (the tables of a lexicon file) applied."""
    raw = builtin_raw()
    replacing = overlay.get("replace", {})
    if not isinstance(replacing, dict):
        raise LexiconError(f"{source}: 'replace' must be a table, e.g. [replace.pronouns]")
    for mode, tables in (("extend", {k: v for k, v in overlay.items() if k != "replace"}), ("replace", replacing)):
        for name, table in tables.items():
            prefix = "replace." if mode == "replace" else ""
            if name not in FILES:
                raise LexiconError(f"{source}: unknown key '{prefix}{name}'; use one of {', '.join(FILES)}")
            # cue tables take new lemmas, frames and types: parse_cues checks frames and types
            _apply(raw[name], table, mode, f"{prefix}{name}", source, open_keys=name == "cues")
    try:
        return build(raw)
    except LexiconError as exc:
        raise LexiconError(f"{source}: {exc}") from exc


def _apply(base: dict, overlay, mode: str, where: str, source: str, open_keys: bool) -> None:
    """Merge one table of a lexicon file into the built-in table, checking every key."""
    if not isinstance(overlay, dict):
        raise LexiconError(f"{source}: '{where}' must be a table of word lists")
    for key, value in overlay.items():
        here = f"{where}.{key}"
        if key not in base:
            if not open_keys:
                raise LexiconError(f"{source}: unknown key '{here}'; known keys there: {', '.join(sorted(base))}")
            base[key] = {} if isinstance(value, dict) else []
        current = base[key]
        if isinstance(current, dict):
            if isinstance(value, dict) and current and all(isinstance(v, (int, float, str)) for v in current.values()):
                _merge_scalars(current, value, here, source)
            else:
                _apply(current, value, mode, here, source, open_keys)
            continue
        if current and all(isinstance(group, list) for group in current):
            base[key] = _groups(current, value, mode, here, source)
            continue
        if not (isinstance(value, list) and all(isinstance(w, str) for w in value)):
            raise LexiconError(f"{source}: '{here}' must be a list of words, e.g. {key} = [\"word\"]")
        words = [w.strip().lower() for w in value]
        base[key] = words if mode == "replace" else current + [w for w in words if w not in current]


def _groups(current: list, value, mode: str, where: str, source: str) -> list:
    """A list of word groups (``[identity] given_name_variants``) or of number pairs
    (``[confidence.model] bands``): groups are added, or replace the list."""
    if all(isinstance(x, (int, float)) for group in current for x in group):
        if not (isinstance(value, list) and all(isinstance(g, list) and len(g) == 2 and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in g) for g in value)):
            raise LexiconError(f"{source}: '{where}' must be a list of [lower bound, share] pairs, e.g. [[0.8, 0.5]]")
        pairs = sorted([float(a), float(b)] for a, b in value)
        return pairs if mode == "replace" else sorted(current + [g for g in pairs if g not in current])
    if not (isinstance(value, list) and all(isinstance(g, list) and all(isinstance(w, str) for w in g) for g in value)):
        raise LexiconError(f"{source}: '{where}' must be a list of word lists, e.g. [[\"mykola\", \"nikolai\"]]")
    groups = [[w.strip().lower() for w in g] for g in value if g]
    return groups if mode == "replace" else current + [g for g in groups if g not in current]


def _merge_scalars(current: dict, value: dict, where: str, source: str) -> None:
    """A table of words with a number or word each (``[time.numbers]``, a confidence share):
    entries are set; a share may be written as an integer (``1``)."""
    kind = type(next(iter(current.values())))
    allowed = (int, float) if kind is float else kind
    for word, setting in value.items():
        if not isinstance(setting, allowed) or isinstance(setting, bool):
            raise LexiconError(f"{source}: '{where}.{word}' must be a {kind.__name__}")
        current[word.lower()] = setting

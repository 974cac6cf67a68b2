"""The windows and thresholds of the analysis, in one place, each with what it means.

They are measured in characters of the article (or counted in statements and mentions
where said), chosen for how news is laid out: a quotation's attribution sits within a
paragraph of it, a pronoun's antecedent within a few paragraphs. ``analyze(...,
settings=AnalysisSettings(nearby_window=800))`` changes one for a run; the record's
``extractor.settings`` digest says which were in force.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from functools import cached_property


@dataclass(frozen=True)
class AnalysisSettings:
    """Tunable windows and thresholds of the rule-based analysis."""

    #: Share of a content's letters inside quotation marks that makes a statement direct.
    direct_share: float = 0.9
    #: How far (characters) around a quotation its attribution is looked for.
    nearby_window: int = 600
    #: How far back (characters) a quotation looks for the statement it continues.
    continuation_window: int = 3000
    #: Longest stretch (characters) between an attribution and the quotation that continues it.
    max_continuation_gap: int = 400
    #: Longest stretch (characters) between a content and a quotation later in its sentence,
    #: or between a cue and the quotation it introduces (``says things such as, “...”``).
    max_in_sentence_gap: int = 40
    #: Stray words (characters) after a quotation closed by ``,”`` that a content gives back:
    #: a misparse can leave a word of the attribution in it (``“...,” Tulsa``).
    max_stray_tail: int = 40
    #: Longest line end (characters) before a paragraph break across which a quotation in the
    #: next paragraph still continues the last speaker.
    max_line_tail: int = 120
    #: Fewest words of an unattributed quotation that read as speech rather than a title.
    min_utterance_words: int = 6
    #: Longest quoted title (words) taken for the programme or paper an attribution names.
    max_venue_words: int = 6
    #: How far back (characters) a pronoun or description looks for its antecedent.
    antecedent_window: int = 1500
    #: How near (characters) an unnamed description and a named body of one owner must be to join.
    bridge_window: int = 600
    #: How many mentions back ``the president`` looks for the person with that title.
    title_lookback: int = 400
    #: Statements (in text order) within which an enclosing statement is looked for.
    nearby_drafts: int = 20
    #: How many statements back an anaphoric denial (``denied the claims``) looks for its claim.
    dispute_lookback: int = 6
    #: Fewest content words a denial by clause must share with the claim it denies.
    min_shared_words: int = 2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"AnalysisSettings.{f.name} must be a non-negative number, not {value!r}")
        if not 0 < self.direct_share <= 1:
            raise ValueError(f"AnalysisSettings.direct_share must be in (0, 1], not {self.direct_share!r}")

    @cached_property
    def digest(self) -> str:
        """A short stable hash of the values (the same settings give the same digest)."""
        blob = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


DEFAULT_SETTINGS = AnalysisSettings()

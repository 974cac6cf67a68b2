"""Keys that make one speaker of many articles.

``Trump``, ``Donald Trump`` and ``President Donald J. Trump`` are one person: within an
article the resolver already maps the short forms to the full name, and across articles
full names are compared without titles, middle names and initials. A person an article
names by surname alone is kept to that article: two people who share a surname in two
stories are not merged on the surname. Organisations and places are one speaker by name,
except a lone capitalised word that may as well be a surname, and a description that is no
name (``the campaign``, ``the poll``); anonymous sources are never merged across articles.
(Joining across articles beyond the key is ``onrecord.record.identities``'s, with evidence.)
"""

from __future__ import annotations

import re
import unicodedata

from ..lexicon import in_force
from ..model import Speaker
from ..names import clean_name

_WORD = re.compile(r"[\w'’-]+")
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # Donald Trump Jr. is not his father


def _ascii_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w.replace("’", "'").removesuffix("'s") for w in _WORD.findall(folded)]


def person_key(name: str) -> str | None:
    """``first last`` of a full personal name, or None when only one name is given."""
    titles = in_force().names.titles
    words = _ascii_words(name)
    suffix = words.pop().strip(".") if len(words) > 2 and words[-1].strip(".") in SUFFIXES else ""
    words = [w for w in words if w.strip(".") not in titles]
    words = [w for w in words if len(w.strip(".")) > 1]  # initials ("J.") and stray letters
    if len(words) < 2:
        return None
    return " ".join(filter(None, (words[0], words[-1], suffix)))


def speaker_key(speaker: Speaker, article: str) -> str:
    """The corpus-wide key of an article's speaker; ``article`` names the article for the
    speakers kept to it (its fingerprint: stable whatever order articles are stored in)."""
    if speaker.kind in ("person", "author"):  # an author is a person, one with the others of her name
        key = person_key(speaker.name)
        return f"person:{key}" if key else f"person:{' '.join(_ascii_words(speaker.name))}@{article}"
    if speaker.kind == "anonymous":
        return f"anonymous:{' '.join(_ascii_words(speaker.name))}@{article}"
    words = [w for w in _ascii_words(speaker.name) if w != "the"]
    key = f"{speaker.kind}:{' '.join(words)}"
    if clean_name(speaker.name, speaker.kind) is None:
        # a description ("the campaign", "the poll", "a union") names a different body in
        # every story: kept to its article
        return f"{key}@{article}"
    if speaker.kind == "organization" and len(words) == 1 and not speaker.name.isupper() \
            and words[0] not in in_force().names.organization:
        # one capitalised word ("Smith said") may be a surname the tagger took for an
        # organisation: too little to merge across stories on
        return f"{key}@{article}"
    return key

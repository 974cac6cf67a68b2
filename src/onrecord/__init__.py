"""onrecord: an auditable record of who said what, about whom, when, and who disputes it."""

from .model import ArticleRecord, Speaker, Statement
from .pipeline import ArticleInput, analyze, analyze_many

__all__ = ["ArticleInput", "ArticleRecord", "Speaker", "Statement", "analyze", "analyze_many"]
__version__ = "0.1.0"

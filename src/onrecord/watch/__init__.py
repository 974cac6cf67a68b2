"""Watching the news: sources followed, new stories ingested, alerts on what was said.

``sources`` reads what to follow (TOML, OPML), ``fetch`` asks servers politely,
``listing`` reads what a feed or sitemap lists, ``rules`` decides what is worth an alert,
``sinks`` delivers alerts, ``loop`` runs it all (``Watch``), ``state`` reports on it.
"""

from __future__ import annotations

from .fetch import FetchSettings, Fetched, Fetcher
from .rules import Rule, RuleSet, RulesError, load_rules, parse_rules
from .sinks import JsonlSink, SinkError, SinksConfigError, SmtpSink, WebhookSink, load_sinks
from .sources import Source, SourcesError, load_sources

__all__ = ["FetchSettings", "Fetched", "Fetcher", "JsonlSink", "Rule", "RuleSet", "RulesError", "SinkError",
           "SinksConfigError", "SmtpSink", "Source", "SourcesError", "WebhookSink", "load_rules", "load_sinks",
           "load_sources", "parse_rules"]

"""The corpus schema (SQLAlchemy Core): articles and where they appeared, statements,
speakers across articles, mentions, claim/denial links, and every input document with its
outcome. Migrations in ``migrations/`` create exactly these tables; a test checks that the
two agree.
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, func,
                        literal_column, or_,
                        String, Table, Text, UniqueConstraint)

metadata = MetaData()

#: One story: its text and analysis are stored once, however many times it appeared.
articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(64), nullable=False, unique=True),  # sha256 of the normalised text
    Column("text", Text, nullable=False),
    Column("length", Integer, nullable=False),
    Column("title", Text),
    Column("published", String(32)),  # ISO date of the stored copy
    Column("first_published", String(32)),  # earliest appearance
    Column("site", Text),
    Column("url", Text),
    Column("author", Text),
    Column("language", String(16)),
    Column("minhash", LargeBinary),  # signature for near-duplicate search
    Column("record", Text, nullable=False),  # the full ArticleRecord as JSON
    Column("ingested_at", String(32), nullable=False),
    Column("extractor", String(32), index=True),  # id of the extractor that made the record (0003)
    Column("kind", String(16), index=True),  # the page's kind: news, opinion ... not-news (0008)
)

#: Where and when a story was published: one row per input document that carried it.
appearances = Table(
    "appearances", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("title", Text),
    Column("published", String(32)),
    Column("site", Text),
    Column("url", Text),
    Column("author", Text),
    Column("exact", Boolean, nullable=False),  # same normalised text as the stored copy
    Column("similarity", Float, nullable=False),  # estimated Jaccard similarity to it
)

#: Every input a user gave, with its outcome: new, duplicate (of which article) or failed.
documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),  # path, path:line, or <stdin>
    Column("sha256", String(64), nullable=False),  # of the input's bytes ("" if unreadable)
    Column("outcome", String(16), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("reason", Text),
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("source", "sha256", name="uq_documents_source_sha256"),
)

#: Locality-sensitive hashing bands of each article's MinHash, for near-duplicate lookups.
lsh_bands = Table(
    "lsh_bands", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Index("ix_lsh_bands_band_bucket", "band", "bucket"),
)

#: A speaker across articles, with a stable id.
speakers = Table(
    "speakers", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    #: the person or body across the corpus this speaker is (``identities.id``); set at
    #: ingest and by ``relink`` (0005)
    Column("identity_id", Integer, index=True),
    #: the surname, folded, of a person speaker: where a surname-only mention looks for its
    #: full-named candidates (0005)
    Column("surname", String(64), index=True),
)

#: One person or body across the corpus: the speakers of many articles joined, with the
#: name a listing shows. Its id is that of the speaker it grew from (stable across relinks).
identities = Table(
    "identities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("named", Boolean, nullable=False),  # False: a description ("the ministry"), not a name
    Column("person_id", Text, index=True),  # id from the people file, when one pins it
)

#: Why a speaker belongs to its identity, when it is not the identity's own first speaker.
speaker_joins = Table(
    "speaker_joins", metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    Column("identity_id", Integer, nullable=False, index=True),
    Column("rule", String(32), nullable=False),  # same-name, variant, surname, people-file, user ...
    Column("evidence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
)

#: A user's merges and splits, by speaker key: they outlive re-analysis and relinks.
speaker_overrides = Table(
    "speaker_overrides", metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # merge | split
    Column("key", Text, nullable=False),
    Column("target_key", Text),  # for merge: the speaker it joins
    Column("note", Text),
    Column("created_at", String(32), nullable=False),
)

#: Facts about the corpus as a whole, one JSON value a key (``linkers``: what made the links).
corpus_state = Table(
    "corpus_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

#: The keys that can join a speaker to others (its store key, full name, body name,
#: surname): an incremental link re-resolves only the speakers that share keys with a new
#: story's speakers. Kept by the linkers (0007).
link_keys = Table(
    "link_keys", metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key", Text, nullable=False, index=True),
)

#: Stories stored (or given an earlier date) since the corpus was last linked: written in
#: the transaction that stores them, cleared by the linker that links them, so a run
#: stopped between storing and linking leaves nothing unlinked for good (0007).
link_pending = Table(
    "link_pending", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)

#: The claims and denials the dispute linker compares, with their day (an ordinal, NULL
#: when undated) and how many content words they hold: how many with words were printed
#: in a window is the base of a word's weight (0007).
link_said = Table(
    "link_said", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Integer, index=True),
    Column("claim", Boolean, nullable=False),  # a claim (True) or a denial (False)
    Column("words", Integer, nullable=False),  # how many content words (none: weighs nothing)
)

#: Each content word of those statements: which claims share words with a denial, and how
#: rare a word is in a window, answered through one index (0007).
link_words = Table(
    "link_words", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("word", Text, nullable=False),
    Column("claim", Boolean, nullable=False),
    Column("day", Integer),
    Index("ix_link_words_lookup", "word", "claim", "day", "statement_id"),
)

#: People (and bodies) a user pinned with ``onrecord speakers import``.
people = Table(
    "people", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("aliases", Text, nullable=False),  # JSON array
    Column("kind", String(16), nullable=False),
    Column("extra", Text, nullable=False),  # JSON object: the file's other columns
)

speaker_aliases = Table(
    "speaker_aliases", metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    UniqueConstraint("speaker_id", "alias", name="uq_speaker_aliases"),
)

statements = Table(
    "statements", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("type", String(32), nullable=False, index=True),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL"), index=True),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("speaker_text", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("cue", Text),
    Column("when_text", Text),
    Column("when_date", String(32)),
    Column("channel", Text),
    Column("confidence", Float),  # how likely the statement is right, in [0, 1] (0004)
    UniqueConstraint("article_id", "local_id", name="uq_statements_article_local"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

#: A denial and the claim it denies: in one article (from its record) or across the corpus.
disputes = Table(
    "disputes", metadata,
    Column("claim_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("denial_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("scope", String(8), nullable=False, server_default="article"),  # article | corpus (0005)
    Column("score", Float, nullable=False, server_default="1"),
    Column("evidence", Text),  # JSON: shared words, the speaker named
)

#: One utterance printed by several stories: its first appearance's statement gives its id.
quotations = Table(
    "quotations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("identity_id", Integer, nullable=False, index=True),
    Column("text", Text, nullable=False),  # the quoted words as first printed
    Column("first_statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
    Column("appearances", Integer, nullable=False),
    Column("first_reason", Text),  # which rule made the first printing first (0010)
)

#: Each statement that prints a quotation, and how its words relate to the first printing.
quotation_members = Table(
    "quotation_members", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("quotation_id", Integer, ForeignKey("quotations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),  # the quoted words this statement prints
    Column("relation", String(8), nullable=False),  # first | exact | partial | altered
    Column("changes", Text),  # JSON list of the differing words, for altered
)


#: What each statement says, as a unit vector of the sentence model named (float16, little
#: endian): made once, kept until the model changes (0009).
statement_vectors = Table(
    "statement_vectors", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(64), nullable=False, index=True),
    Column("vector", LargeBinary, nullable=False),
)


def news_pages():
    """A condition on ``articles``: the story came from a page that is news-like (news,
    opinion, interview, press release; stories stored before pages had kinds count as news)."""
    return or_(articles.c.kind.is_(None), articles.c.kind != "not-news")


def layout_text_column(conn, part: str):
    """The text of the stored record's headline, byline or dateline (``part``), or NULL."""
    if conn.dialect.name == "postgresql":
        return literal_column(f"(articles.record::json -> 'layout' -> '{part}' ->> 'text')")
    return func.json_extract(articles.c.record, f"$.layout.{part}.text")


def doc_id_column(conn):
    """The ``doc_id`` the input gave, read from the stored record (SQLite JSON1 or PostgreSQL json)."""
    if conn.dialect.name == "postgresql":
        return literal_column("(articles.record::json ->> 'doc_id')")
    return func.json_extract(articles.c.record, "$.doc_id")


# -- the watch (``onrecord watch``): its sources, the items they listed, its alerts (0011) ----

#: A source the watch follows (a feed, a news sitemap or a page), with what the last polls
#: said: the validators of a conditional request, the last success and error, when to poll next.
watch_sources = Table(
    "watch_sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text),
    Column("kind", String(16), nullable=False),  # auto | feed | sitemap | page
    Column("interval", Float, nullable=False),  # seconds between polls, before backing off
    Column("active", Boolean, nullable=False),  # False: no longer in the sources file
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_sha", String(64)),  # of the last body read: a 200 with the same bytes is no change
    Column("polls", Integer, nullable=False),
    Column("failures", Integer, nullable=False),  # errors in a row (backs the next poll off)
    Column("unchanged", Integer, nullable=False),  # polls in a row that found nothing new
    Column("items_seen", Integer, nullable=False),
    Column("last_polled_at", String(32)),
    Column("last_success_at", String(32)),
    Column("last_error_at", String(32)),
    Column("last_error", Text),
    Column("next_poll_at", String(32)),
)

#: An item a source listed (a feed entry's or sitemap's page, or the page itself): fetched
#: once, again only when its source says it changed; its state survives a restart.
watch_items = Table(
    "watch_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("watch_sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", Text, nullable=False, unique=True),
    Column("updated", Text),  # the source's stamp of the item (entry updated, lastmod, page sha)
    Column("status", String(16), nullable=False, index=True),  # pending | ingested | done | failed
    Column("attempts", Integer, nullable=False),
    Column("reason", Text),
    Column("sha256", String(64)),  # of the page's bytes last ingested
    Column("etag", Text),
    Column("last_modified", Text),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("first_seen_at", String(32), nullable=False),
    Column("fetched_at", String(32)),
)

#: An alert: a rule that a new statement fired, with why, and the alert as sent (JSON).
watch_alerts = Table(
    "watch_alerts", metadata,
    Column("id", Integer, primary_key=True),
    Column("rule", Text, nullable=False),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("why", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("delivered_at", String(32), index=True),  # NULL until every sink was tried
    UniqueConstraint("rule", "statement_id", name="uq_watch_alerts_rule_statement"),
)

#: Where alerts go, and how that went: deliveries and failures counted for ``watch status``.
watch_sinks = Table(
    "watch_sinks", metadata,
    Column("name", Text, primary_key=True),
    Column("delivered", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("last_success_at", String(32)),
    Column("last_error_at", String(32)),
    Column("last_error", Text),
)


# -- fact-checkers' verdicts (``onrecord factchecks import``) and the statements they concern (0012)

#: A fact-checker's verdict on a claim, as the checker published it (ClaimReview): never ours.
factchecks = Table(
    "factchecks", metadata,
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(64), nullable=False, unique=True),  # checker, link and claim
    Column("claim", Text, nullable=False),
    Column("claimant", Text),
    Column("claim_date", String(32)),
    Column("verdict", Text, nullable=False),  # the checker's words (textualRating / alternateName)
    Column("rating", Text),  # JSON: ratingValue, bestRating, worstRating as given
    Column("checker", Text, nullable=False),
    Column("checker_site", Text),
    Column("url", Text, nullable=False),
    Column("review_date", String(32)),
    Column("language", String(16)),
    Column("source", Text),  # the file it was imported from
)

#: A statement that makes a reviewed claim: the claimant is its speaker and it says the
#: claim's words; the score and that evidence kept.
factcheck_matches = Table(
    "factcheck_matches", metadata,
    Column("factcheck_id", Integer, ForeignKey("factchecks.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("score", Float, nullable=False),
    Column("evidence", Text, nullable=False),
)

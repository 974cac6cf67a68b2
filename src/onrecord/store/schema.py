"""The corpus schema (SQLAlchemy Core): articles and where they appeared, statements,
speakers across articles, mentions, claim/denial links, and every input document with its
outcome. Migrations in ``migrations/`` create exactly these tables; a test checks that the
two agree.
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
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

#: A denial and the claim it denies.
disputes = Table(
    "disputes", metadata,
    Column("claim_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("denial_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
)

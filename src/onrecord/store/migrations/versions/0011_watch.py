"""The watch (``onrecord watch``): the sources it follows and what their polls said, the
items they listed (fetched once), the alerts its rules fired and how each sink fared:
the watch_sources, watch_items, watch_alerts and watch_sinks tables.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("interval", sa.Float, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("body_sha", sa.String(64)),
        sa.Column("polls", sa.Integer, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("items_seen", sa.Integer, nullable=False),
        sa.Column("last_polled_at", sa.String(32)),
        sa.Column("last_success_at", sa.String(32)),
        sa.Column("last_error_at", sa.String(32)),
        sa.Column("last_error", sa.Text),
        sa.Column("next_poll_at", sa.String(32)),
    )
    op.create_table(
        "watch_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("watch_sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("updated", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("sha256", sa.String(64)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("fetched_at", sa.String(32)),
    )
    op.create_index("ix_watch_items_source_id", "watch_items", ["source_id"])
    op.create_index("ix_watch_items_status", "watch_items", ["status"])
    op.create_table(
        "watch_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("delivered_at", sa.String(32)),
        sa.UniqueConstraint("rule", "statement_id", name="uq_watch_alerts_rule_statement"),
    )
    op.create_index("ix_watch_alerts_statement_id", "watch_alerts", ["statement_id"])
    op.create_index("ix_watch_alerts_delivered_at", "watch_alerts", ["delivered_at"])
    op.create_table(
        "watch_sinks",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("delivered", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("last_success_at", sa.String(32)),
        sa.Column("last_error_at", sa.String(32)),
        sa.Column("last_error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("watch_sinks")
    op.drop_index("ix_watch_alerts_delivered_at", "watch_alerts")
    op.drop_index("ix_watch_alerts_statement_id", "watch_alerts")
    op.drop_table("watch_alerts")
    op.drop_index("ix_watch_items_status", "watch_items")
    op.drop_index("ix_watch_items_source_id", "watch_items")
    op.drop_table("watch_items")
    op.drop_table("watch_sources")

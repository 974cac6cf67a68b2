"""Fact-checkers' verdicts imported from ClaimReview files, and the statements that make
the reviewed claims: the factchecks and factcheck_matches tables.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "factchecks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("claim", sa.Text, nullable=False),
        sa.Column("claimant", sa.Text),
        sa.Column("claim_date", sa.String(32)),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("rating", sa.Text),
        sa.Column("checker", sa.Text, nullable=False),
        sa.Column("checker_site", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("review_date", sa.String(32)),
        sa.Column("language", sa.String(16)),
        sa.Column("source", sa.Text),
    )
    op.create_table(
        "factcheck_matches",
        sa.Column("factcheck_id", sa.Integer, sa.ForeignKey("factchecks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )
    op.create_index("ix_factcheck_matches_statement_id", "factcheck_matches", ["statement_id"])


def downgrade() -> None:
    op.drop_index("ix_factcheck_matches_statement_id", "factcheck_matches")
    op.drop_table("factcheck_matches")
    op.drop_table("factchecks")

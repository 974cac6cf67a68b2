"""What each statement says as a vector of the sentence model (float16), to find the same
claim in other words: the statement_vectors table. Stories stored before have none until
``onrecord embed`` (or ``similar``) makes them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_vectors",
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_statement_vectors_model", "statement_vectors", ["model"])


def downgrade() -> None:
    op.drop_index("ix_statement_vectors_model", "statement_vectors")
    op.drop_table("statement_vectors")

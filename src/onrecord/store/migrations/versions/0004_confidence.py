"""How likely each stored statement is right: the statements.confidence column.

``search --min-confidence`` and the API's ``min_confidence`` filter on it. Statements
stored before this migration have none until ``onrecord reanalyze`` (they are stale).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("confidence", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("confidence")

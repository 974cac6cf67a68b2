"""Which rule made a quotation's first printing first (the earliest day; on one day the
wire story before the paper that carried it; the earlier time; the one stored first): the
quotations.first_reason column. Quotations linked before have none until a relink.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quotations") as batch:
        batch.add_column(sa.Column("first_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quotations") as batch:
        batch.drop_column("first_reason")

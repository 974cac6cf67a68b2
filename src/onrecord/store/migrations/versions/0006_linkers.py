"""Which linkers made the record across articles: one row a key in ``corpus_state``
(``linkers``: the linkers' names and versions, and the digest of the words they used),
so that ``onrecord relink --where-stale`` knows when the links are out of date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("corpus_state")

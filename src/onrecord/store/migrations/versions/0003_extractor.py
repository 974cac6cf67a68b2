"""Which extractor made each stored record: the articles.extractor column.

A record names the steps, words and settings that made it (``ArticleRecord.extractor``);
its short id is kept per story so that ``onrecord reanalyze --where-stale`` finds the
stories an older extractor made without reading every record. Stories stored before
this migration have none: they count as stale.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("extractor", sa.String(32), nullable=True))
        batch.create_index("ix_articles_extractor", ["extractor"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_extractor")
        batch.drop_column("extractor")

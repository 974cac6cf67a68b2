"""The kind of page each story came from (news, opinion, interview, press-release,
not-news): the articles.kind column, so that listings can leave not-news pages out without
reading every record. Stories stored before this migration have none: they count as news.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=True))
        batch.create_index("ix_articles_kind", ["kind"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_kind")
        batch.drop_column("kind")

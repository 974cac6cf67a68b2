"""What an incremental link reads instead of the whole corpus: the stories not linked yet
(``link_pending``), each speaker's joining keys
(``link_keys``), and the claims and denials with their days and content words
(``link_said``, ``link_words``). The linkers fill them; a corpus from before is filled by
its next relink.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_pending",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "link_keys",
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
    )
    op.create_index("ix_link_keys_speaker_id", "link_keys", ["speaker_id"])
    op.create_index("ix_link_keys_key", "link_keys", ["key"])
    op.create_table(
        "link_said",
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Integer),
        sa.Column("claim", sa.Boolean, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
    )
    op.create_index("ix_link_said_day", "link_said", ["day"])
    op.create_table(
        "link_words",
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("word", sa.Text, nullable=False),
        sa.Column("claim", sa.Boolean, nullable=False),
        sa.Column("day", sa.Integer),
    )
    op.create_index("ix_link_words_statement_id", "link_words", ["statement_id"])
    op.create_index("ix_link_words_lookup", "link_words", ["word", "claim", "day", "statement_id"])


def downgrade() -> None:
    op.drop_table("link_words")
    op.drop_table("link_said")
    op.drop_table("link_keys")
    op.drop_table("link_pending")

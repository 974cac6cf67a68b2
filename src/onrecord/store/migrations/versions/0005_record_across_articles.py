"""The record across articles: speaker identities with the evidence of each join, a user's
merges and splits, pinned people, quotations printed by several stories, and the scope,
score and evidence of every claim/denial link.

Stories stored before this migration get identities, quotations and corpus links at the
next ``onrecord relink`` (or ingest).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("speakers") as batch:
        batch.add_column(sa.Column("identity_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("surname", sa.String(64), nullable=True))
        batch.create_index("ix_speakers_identity_id", ["identity_id"])
        batch.create_index("ix_speakers_surname", ["surname"])
    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("scope", sa.String(8), nullable=False, server_default="article"))
        batch.add_column(sa.Column("score", sa.Float, nullable=False, server_default="1"))
        batch.add_column(sa.Column("evidence", sa.Text, nullable=True))
    op.create_table(
        "identities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("named", sa.Boolean, nullable=False),
        sa.Column("person_id", sa.Text, nullable=True),
    )
    op.create_index("ix_identities_person_id", "identities", ["person_id"])
    op.create_table(
        "speaker_joins",
        sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("identity_id", sa.Integer, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("ix_speaker_joins_identity_id", "speaker_joins", ["identity_id"])
    op.create_table(
        "speaker_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("target_key", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
    )
    op.create_table(
        "quotations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("identity_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("first_statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("appearances", sa.Integer, nullable=False),
    )
    op.create_index("ix_quotations_identity_id", "quotations", ["identity_id"])
    op.create_table(
        "quotation_members",
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("quotation_id", sa.Integer, sa.ForeignKey("quotations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("relation", sa.String(8), nullable=False),
        sa.Column("changes", sa.Text, nullable=True),
    )
    op.create_index("ix_quotation_members_quotation_id", "quotation_members", ["quotation_id"])


def downgrade() -> None:
    for name in ("quotation_members", "quotations", "people", "speaker_overrides", "speaker_joins", "identities"):
        op.drop_table(name)
    with op.batch_alter_table("disputes") as batch:
        for name in ("evidence", "score", "scope"):
            batch.drop_column(name)
    with op.batch_alter_table("speakers") as batch:
        batch.drop_index("ix_speakers_surname")
        batch.drop_index("ix_speakers_identity_id")
        batch.drop_column("surname")
        batch.drop_column("identity_id")

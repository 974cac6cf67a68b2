"""Full-text search on PostgreSQL: a tsvector of each statement's content and speaker,
with a GIN index (SQLite has its FTS5 table since 0001).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE TABLE statement_search (
            statement_id INTEGER PRIMARY KEY REFERENCES statements(id) ON DELETE CASCADE,
            document tsvector NOT NULL
        )""")
    op.execute("CREATE INDEX ix_statement_search_document ON statement_search USING GIN (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE statement_search")

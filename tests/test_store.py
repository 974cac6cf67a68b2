"""The store: migrations from an empty database, the schema they make, search syntax."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from onrecord.store.db import StoreError, database_url, head_revision, make_engine, upgrade
from onrecord.store.queries import fts_query
from onrecord.store.schema import metadata


def test_store_migrations_upgrade_an_empty_database_to_the_schema(tmp_path):
    engine = make_engine(database_url(str(tmp_path / "new.db")))
    upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
        # the full-text index (and FTS5's own shadow tables) live outside the SQLAlchemy schema
        assert [d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("statements_fts"))] == []
        assert "statements_fts" in inspect(conn).get_table_names()


def test_store_upgrade_twice_is_harmless(tmp_path):
    engine = make_engine(database_url(str(tmp_path / "new.db")))
    upgrade(engine)
    upgrade(engine)


def test_store_refuses_a_database_from_a_newer_version(tmp_path):
    path = tmp_path / "future.db"
    engine = make_engine(database_url(str(path)))
    upgrade(engine)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer version"):
        upgrade(engine)


def test_store_database_url_from_option_env_or_default(monkeypatch):
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    assert database_url(None) == "sqlite:///onrecord.db"
    monkeypatch.setenv("ONRECORD_DB", "corpus.db")
    assert database_url(None) == "sqlite:///corpus.db"
    assert database_url("postgresql://u@h/db") == "postgresql://u@h/db"


@pytest.mark.parametrize("typed, query", [
    ("ceasefire talks", '"ceasefire" "talks"'),
    ('troops "surrounded" OR -x*', '"troops" "surrounded" "OR" "x"'),
    ("", ""),
    ("Zelenskyy’s", '"Zelenskyy" "s"'),
])
def test_store_fts_query_is_always_valid(typed, query):
    assert fts_query(typed) == query

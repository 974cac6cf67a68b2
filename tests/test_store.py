"""The store: migrations from an empty database, the schema they make, search syntax."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from onrecord.store.db import QueryTimeout, StoreError, database_url, deadline, head_revision, make_engine, upgrade
from onrecord.store.queries import fts_query
from onrecord.store.schema import metadata


SEARCH_TABLES = ("statements_fts", "statement_search")


def test_store_migrations_upgrade_an_empty_database_to_the_schema(db_url):
    engine = make_engine(database_url(db_url))
    upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
        # the full-text index of each database (and FTS5's shadow tables) live outside the SQLAlchemy schema
        def outside(diff) -> bool:
            item = diff[1]
            name = item.name if diff[0] == "remove_table" else getattr(getattr(item, "table", None), "name", "")
            return diff[0] in ("remove_table", "remove_index") and name.startswith(SEARCH_TABLES)

        assert [d for d in diffs if not outside(d)] == []
        search = "statements_fts" if engine.dialect.name == "sqlite" else "statement_search"
        assert search in inspect(conn).get_table_names()
    engine.dispose()


def test_store_upgrade_twice_is_harmless(db_url):
    engine = make_engine(database_url(db_url))
    upgrade(engine)
    upgrade(engine)
    engine.dispose()


def test_store_deadline_stops_slow_queries(db_url):
    engine = make_engine(database_url(db_url))
    upgrade(engine)
    slow = ("SELECT pg_sleep(2)" if engine.dialect.name == "postgresql" else
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) SELECT count(*) FROM n")
    with engine.connect() as conn:
        with pytest.raises(QueryTimeout):
            with deadline(conn, 0.2):
                conn.exec_driver_sql(slow)
        with deadline(conn, 5):  # the connection is usable again, without a limit left behind
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


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
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"


@pytest.mark.parametrize("typed, query", [
    ("ceasefire talks", '"ceasefire" "talks"'),
    ('troops "surrounded" OR -x*', '"troops" "surrounded" "OR" "x"'),
    ("", ""),
    ("Zelenskyy’s", '"Zelenskyy" "s"'),
])
def test_store_fts_query_is_always_valid(typed, query):
    assert fts_query(typed) == query


def test_store_speaker_listings_show_names_not_pronouns(tmp_path):
    from onrecord.corpus import Ingestor, open_corpus
    from onrecord.ingest import Loaded
    from onrecord.model import ArticleInput
    from sqlalchemy import select

    from onrecord.store import index_queries, queries
    from onrecord.store.schema import speaker_aliases

    text = "Mayor Tom Baxter opened the bridge on Monday. He said it would carry buses by June."
    engine = open_corpus(str(tmp_path / "c.db"), writer=True)
    Ingestor(engine).ingest_loaded([Loaded("a.txt", ArticleInput(text, "2025-03-15"), sha256="x")])
    with engine.connect() as conn:
        [row] = [r for r in index_queries.speaker_index(conn) if r["name"] == "Tom Baxter"]
        detail = queries.speaker(conn, row["id"])
        stored = [r.alias for r in conn.execute(select(speaker_aliases.c.alias))]
    assert "He" in stored  # the mention is kept ...
    assert "He" not in row["aliases"] and "He" not in detail["aliases"]  # ... but it is not a name
    assert "Tom Baxter" in " ".join(row["aliases"])

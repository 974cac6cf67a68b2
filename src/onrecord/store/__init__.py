"""The corpus store: schema, migrations, writing and reading (SQLite by default)."""

from .db import StoreError, database_url, make_engine, upgrade

__all__ = ["StoreError", "database_url", "make_engine", "upgrade"]

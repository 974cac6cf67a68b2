"""Alembic environment: runs onrecord's migrations on the connection the store hands over.

onrecord runs migrations itself (``onrecord.store.Store`` upgrades a database when it opens
it), so there is no alembic.ini: the script location and the connection come from the
caller through ``config.attributes``.
"""

from alembic import context

from onrecord.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs alembic by hand
    raise RuntimeError("run migrations through onrecord.store.Store, which passes a connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

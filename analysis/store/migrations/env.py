"""Alembic's environment: run the migrations on the connection analysis.store.migrate hands over.

`analysis.store.migrate.upgrade_store` opens the connection, takes the lock (SQLite: BEGIN
IMMEDIATE; PostgreSQL: an advisory lock) and passes it in `config.attributes["connection"]`, so the
whole upgrade is one transaction that commits or leaves the store as it was.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise SystemExit("Upgrade the store with: python -m analysis store upgrade")
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()

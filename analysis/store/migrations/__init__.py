"""The store's schema migrations (Alembic): env.py, the revision template and versions/.

How to add one is in the README ("Changing the store's schema"); analysis.store.migrate runs them.
"""

__all__: list[str] = []

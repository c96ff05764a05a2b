"""The only code that touches SQLite: schema, named queries and writes, the poll lock, treaty rules."""

from store.db import StoreError, open_db

__all__ = ["StoreError", "open_db"]

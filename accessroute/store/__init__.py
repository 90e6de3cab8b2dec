"""Persistence of citizens' reports, live overlays, operators and the audit log (SQLAlchemy).

SQLite (WAL mode) by default, PostgreSQL by URL (``settings.database_url``); the schema is
managed by Alembic migrations in ``migrations/``.
"""

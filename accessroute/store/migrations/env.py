"""Alembic environment: runs migrations on the connection handed over by ``database.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from accessroute.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - command-line alembic with a URL
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    connection = engine.connect()
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

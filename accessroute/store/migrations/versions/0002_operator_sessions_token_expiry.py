"""Operators' session generation and disabling, API token expiry, audit log index.

Tokens made before expiry existed are given one year from the upgrade (the default lifetime),
so feeds keep working and the tokens still end.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Lifetime given to the tokens that exist at the upgrade (``settings.api_token_lifetime_days``
#: when this was written; a migration does not follow later changes of a setting).
EXISTING_TOKEN_DAYS = 365


def upgrade() -> None:
    """Apply."""
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=EXISTING_TOKEN_DAYS)
    op.execute(tokens.update().values(expires_at=expires))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_at", ["action", "at"], unique=False)


def downgrade() -> None:
    """Revert."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_action_at")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")
        batch_op.drop_column("session_generation")

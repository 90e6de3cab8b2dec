"""Reports' photo thumbnails, for the operators' list.

Reports stored before have none; the operators' service makes each once, when it is first
shown (``reports.report_thumbnail``), so the upgrade itself reads no photo.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thumbnail", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Revert."""
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("thumbnail")

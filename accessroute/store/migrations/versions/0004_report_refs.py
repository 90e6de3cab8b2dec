"""Reports' public references, so that citizens' reports cannot be paged through by number.

Every report stored before gets a new reference here (``models.new_ref``); its number stays
for staff.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accessroute.store.models import new_ref

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=20), nullable=True))
    connection = op.get_bind()
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("ref", sa.String))
    ids = connection.execute(sa.select(reports.c.id)).scalars().all()
    for report_id in ids:
        connection.execute(reports.update().where(reports.c.id == report_id).values(ref=new_ref()))
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_index("ix_reports_ref", ["ref"], unique=True)


def downgrade() -> None:
    """Revert."""
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_ref")
        batch_op.drop_column("ref")

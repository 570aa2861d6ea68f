"""Issue 18 (edges): imports, ids, logs

Placeholder in the chain: no schema change yet.

Revision ID: b18b00000002
Revises: b18a00000001
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b18b00000002'
down_revision = 'b18a00000001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

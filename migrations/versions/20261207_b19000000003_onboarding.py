"""Issue 19: municipality settings, organisations

Placeholder in the chain: no schema change yet.

Revision ID: b19000000003
Revises: b18b00000002
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b19000000003'
down_revision = 'b18b00000002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

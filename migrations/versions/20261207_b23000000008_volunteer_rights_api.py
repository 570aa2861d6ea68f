"""Issue 23: volunteer data rights, API

Placeholder in the chain: no schema change yet.

Revision ID: b23000000008
Revises: b22000000007
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b23000000008'
down_revision = 'b22000000007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Issue 21 and 23: announced arrivals, plan memory

Placeholder in the chain: no schema change yet.

Revision ID: b21000000006
Revises: b20b00000005
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b21000000006'
down_revision = 'b20b00000005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

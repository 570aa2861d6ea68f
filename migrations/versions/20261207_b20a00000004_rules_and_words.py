"""Issue 20: rules, suspension, words

Placeholder in the chain: no schema change yet.

Revision ID: b20a00000004
Revises: b19000000003
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b20a00000004'
down_revision = 'b19000000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Issue 20: phone layout and reports

Placeholder in the chain: no schema change yet.

Revision ID: b20b00000005
Revises: b20a00000004
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b20b00000005'
down_revision = 'b20a00000004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Issue 22: the family's answers on the private link

Placeholder in the chain: no schema change yet.

Revision ID: b22000000007
Revises: b21000000006
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b22000000007'
down_revision = 'b21000000006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

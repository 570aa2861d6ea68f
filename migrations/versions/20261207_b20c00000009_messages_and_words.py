"""Issue 20: messages, words and family-language grammar

Placeholder in the chain: no schema change yet.

Revision ID: b20c00000009
Revises: b23000000008
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b20c00000009'
down_revision = 'b23000000008'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

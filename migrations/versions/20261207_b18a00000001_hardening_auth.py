"""Issue 18 (auth hardening): single-use secrets, throttles, opaque tokens

Placeholder in the chain: no schema change yet.

Revision ID: b18a00000001
Revises: a17c0a5e0005
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b18a00000001'
down_revision = 'a17c0a5e0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Drop the data versions: derived data is no longer kept per version

Revision ID: a17c0a5e0004
Revises: a17c0a5e0003
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0004'
down_revision = 'a17c0a5e0003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Indexes for the quarterly report aggregated in SQL

Revision ID: a17c0a5e0003
Revises: a17c0a5e0002
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0003'
down_revision = 'a17c0a5e0002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

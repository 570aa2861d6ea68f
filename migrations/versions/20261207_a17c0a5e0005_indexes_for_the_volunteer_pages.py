"""Indexes for the volunteer list and the volunteers' overview in SQL

Revision ID: a17c0a5e0005
Revises: a17c0a5e0004
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0005'
down_revision = 'a17c0a5e0004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

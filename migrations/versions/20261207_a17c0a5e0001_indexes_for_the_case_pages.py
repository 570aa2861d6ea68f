"""Indexes for the dashboard and the case list computed in SQL

Revision ID: a17c0a5e0001
Revises: c4f1e2a9b7d3
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0001'
down_revision = 'c4f1e2a9b7d3'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

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
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_municipality_id_registered_on', ['municipality_id', 'registered_on'], unique=False)

    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.create_index('ix_household_member_household_id_arrival_on', ['household_id', 'arrival_on'], unique=False)


def downgrade():
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_index('ix_household_member_household_id_arrival_on')

    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('ix_household_municipality_id_registered_on')

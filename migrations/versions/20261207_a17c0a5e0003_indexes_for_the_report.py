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
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.create_index('ix_match_household_id_started_on', ['household_id', 'started_on'], unique=False)

    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.create_index('ix_household_member_arrival_on', ['arrival_on'], unique=False)


def downgrade():
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_index('ix_household_member_arrival_on')

    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index('ix_match_household_id_started_on')

"""Indexes for the suggestions' SQL pre-filter and the dashboard's matches without contact

A household's suggestions count each candidate volunteer's matches active on a day (match by
volunteer_id and started_on); the dashboard reads each running match's last meeting
(match_meeting by match_id and on).

Revision ID: a17c0a5e0002
Revises: a17c0a5e0001
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0002'
down_revision = 'a17c0a5e0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.create_index('ix_match_volunteer_id_started_on', ['volunteer_id', 'started_on'], unique=False)

    with op.batch_alter_table('match_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_match_meeting_match_id_on', ['match_id', 'on'], unique=False)


def downgrade():
    with op.batch_alter_table('match_meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_match_meeting_match_id_on')

    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index('ix_match_volunteer_id_started_on')

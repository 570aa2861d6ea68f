"""Indexes for the volunteer list and the volunteers' overview in SQL

The overview's expiring certificates and applications awaiting a decision are read per
municipality (received date; status). The coordinators' list is ordered by lower-cased last
and first name: on PostgreSQL an expression index in that order, over the volunteers not
erased, gives a page and its total without sorting every volunteer.

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
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index(
            'ix_volunteer_municipality_id_child_certificate_received_on',
            ['municipality_id', 'child_certificate_received_on'],
            unique=False,
        )
        batch_op.create_index('ix_volunteer_municipality_id_status', ['municipality_id', 'status'], unique=False)
    if op.get_context().dialect.name == 'postgresql':
        op.create_index(
            'ix_volunteer_municipality_id_list_order',
            'volunteer',
            ['municipality_id', sa.text('lower(last_name)'), sa.text('lower(first_name)'), 'id'],
            unique=False,
            postgresql_where=sa.text('erased_at IS NULL'),
        )


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.drop_index('ix_volunteer_municipality_id_list_order', table_name='volunteer')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_municipality_id_status')
        batch_op.drop_index('ix_volunteer_municipality_id_child_certificate_received_on')

"""covering indexes for the volunteer list's language and attribute filters

The coordinators' list filters volunteers with EXISTS on volunteer_language (code) and
volunteer_attribute (kind, code). With the volunteer id in the index, PostgreSQL answers those
from the index alone (an index-only scan) instead of visiting thousands of table rows. The new
indexes start with the old ones' columns, so the old ones are dropped.

Revision ID: c4f1e2a9b7d3
Revises: 0e595366a58b
Create Date: 2026-11-27 11:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f1e2a9b7d3'
down_revision = '0e595366a58b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_volunteer_language_code_volunteer_id', 'volunteer_language', ['code', 'volunteer_id'], unique=False
    )
    op.drop_index('ix_volunteer_language_code', table_name='volunteer_language')
    op.create_index(
        'ix_volunteer_attribute_kind_code_volunteer_id',
        'volunteer_attribute',
        ['kind', 'code', 'volunteer_id'],
        unique=False,
    )
    op.drop_index('ix_volunteer_attribute_kind_code', table_name='volunteer_attribute')


def downgrade():
    op.create_index('ix_volunteer_attribute_kind_code', 'volunteer_attribute', ['kind', 'code'], unique=False)
    op.drop_index('ix_volunteer_attribute_kind_code_volunteer_id', table_name='volunteer_attribute')
    op.create_index('ix_volunteer_language_code', 'volunteer_language', ['code'], unique=False)
    op.drop_index('ix_volunteer_language_code_volunteer_id', table_name='volunteer_language')

"""Issue 23: volunteer data rights, API: a match's end reason can be "rejected"

A proposal whose pair a coordinator rejects ends as "rejected" (before: "other"); existing
proposals that ended that way are not guessed at.

Revision ID: b23000000008
Revises: b22000000007
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b23000000008'
down_revision = 'b22000000007'
branch_labels = None
depends_on = None

BEFORE = ('moved_away', 'completed', 'did_not_work_out', 'volunteer_stopped', 'other')
AFTER = BEFORE + ('rejected',)


def _end_reason(values):
    return sa.Enum(*values, name='endreason', native_enum=False, create_constraint=True, length=20)


def _allow(before, after):
    if op.get_bind().dialect.name == 'sqlite':
        # The table is rebuilt; its CHECK comes from the column's new type.
        with op.batch_alter_table('match') as batch_op:
            batch_op.alter_column('end_reason', existing_type=_end_reason(before), type_=_end_reason(after))
        return
    op.drop_constraint(op.f('ck_match_endreason'), 'match', type_='check')
    listed = ', '.join(f"'{value}'" for value in after)
    op.create_check_constraint(op.f('ck_match_endreason'), 'match', f'end_reason IN ({listed})')


def upgrade():
    _allow(BEFORE, AFTER)


def downgrade():
    op.execute("UPDATE match SET end_reason = 'other' WHERE end_reason = 'rejected'")
    _allow(AFTER, BEFORE)

"""Issue 21 and 23: announced arrivals, plan memory

No schema change: an announced household's arrival is its members' arrival_on, a pair approved
for it starts on that day (match.started_on) and reserves its place from approval, its contact
cards wait in the outbox (outbox_message.next_attempt_at), and the plan's memory reads the
matches' end reasons and statuses. The revision stays in the chain as a no-op.

Revision ID: b21000000006
Revises: b20b00000005
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b21000000006'
down_revision = 'b20b00000005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

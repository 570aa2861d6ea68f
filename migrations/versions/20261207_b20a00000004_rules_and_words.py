"""Issue 20: rules and validation (items 1, 2, 3, 5, 8): no schema change

The certificate consent, the reinstate move, the date and quantity checks, the empty-suggestions
rule and the volunteer's overview all live in code: the columns they need already exist
(volunteer.child_certificate_consent_at, volunteer.status_reason, meeting.minutes). This revision
stays in the chain, empty.

Revision ID: b20a00000004
Revises: b19000000003
Create Date: 2026-12-07 15:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'b20a00000004'
down_revision = 'b19000000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

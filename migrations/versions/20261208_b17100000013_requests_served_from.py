"""Issue 17: who waits for a volunteer, found without reading every match

Each scheme a household asks for (household_scheme) keeps served_from, the first day of its
matches that have no end date (approved or active), kept by the app from then on. The matches
with an end date still ahead get a partial index, so the overview's waiting list reads the
requests and those few matches instead of all of a municipality's matches.

Revision ID: b17100000013
Revises: b17100000012
Create Date: 2026-12-08 02:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "b17100000013"
down_revision = "b17100000012"
branch_labels = None
depends_on = None

ENDS_AHEAD = "ended_on IS NOT NULL AND status != 'proposed'"


def upgrade():
    with op.batch_alter_table("household_scheme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("served_from", sa.Date(), nullable=True))
    op.execute(
        "UPDATE household_scheme SET served_from = (SELECT min(match.started_on) FROM match"
        " WHERE match.household_id = household_scheme.household_id"
        " AND match.scheme = household_scheme.scheme"
        " AND match.status != 'proposed' AND match.ended_on IS NULL)"
    )
    op.create_index(
        "ix_match_ends_ahead",
        "match",
        ["ended_on", "household_id"],
        postgresql_where=sa.text(ENDS_AHEAD),
        sqlite_where=sa.text(ENDS_AHEAD),
    )


def downgrade():
    op.drop_index("ix_match_ends_ahead", table_name="match")
    with op.batch_alter_table("household_scheme", schema=None) as batch_op:
        batch_op.drop_column("served_from")

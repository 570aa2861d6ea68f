"""Issue 20: messages and words: a private link remembers its e-mail; the Ukrainian temporary-protection route

The match page and the approval message say whether the household's contact card was e-mailed
or must be printed, from this fact rather than from what the code meant to do. A member may have
come under the special act for people displaced from Ukraine (særloven), which is not asylum.

Revision ID: b20c00000009
Revises: b23000000008
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b20c00000009'
down_revision = 'b23000000008'
branch_labels = None
depends_on = None


ROUTES_BEFORE = "arrival_route IN ('asylum', 'family_reunification')"
ROUTES_AFTER = "arrival_route IN ('asylum', 'family_reunification', 'temporary_protection')"


def upgrade():
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_household_member_arrivalroute'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_household_member_arrivalroute'), sa.text(ROUTES_AFTER))
    with op.batch_alter_table('family_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_family_link_email_message_id_outbox_message'),
            'outbox_message',
            ['email_message_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('family_link', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_family_link_email_message_id_outbox_message'), type_='foreignkey')
        batch_op.drop_column('email_message_id')
    # Lossy on purpose: before this revision the only way to record these members was as asylum.
    op.execute("UPDATE household_member SET arrival_route = 'asylum' WHERE arrival_route = 'temporary_protection'")
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_household_member_arrivalroute'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_household_member_arrivalroute'), sa.text(ROUTES_BEFORE))

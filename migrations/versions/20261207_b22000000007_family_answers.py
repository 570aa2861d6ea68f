"""Issue 22: the family's answers on the private link, and the 14-day reminder

Tables family_answer (one row per answer a family gives on its private link, against the
match) and family_answer_reminder (at most one reminder per match).

Revision ID: b22000000007
Revises: b19000000003
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b22000000007'
down_revision = 'b19000000003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('family_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('met', 'no_contact', 'another_volunteer', 'help', 'interpreter', name='answerkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('topic', sa.Enum('housing', 'work', 'danish_classes', 'school_daycare', 'leisure', 'health_appointment', 'other', name='helptopic', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('interpreter_language', sa.String(length=8), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_language', sa.String(length=8), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_user_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind != 'help' OR topic IS NOT NULL", name=op.f('ck_family_answer_help_has_topic')),
    sa.CheckConstraint("kind != 'interpreter' OR interpreter_language IS NOT NULL", name=op.f('ck_family_answer_interpreter_has_language')),
    sa.ForeignKeyConstraint(['handled_by_user_id'], ['user_account.id'], name=op.f('fk_family_answer_handled_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_family_answer_household_id_household')),
    sa.ForeignKeyConstraint(['link_id'], ['family_link.id'], name=op.f('fk_family_answer_link_id_family_link'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['match.id'], name=op.f('fk_family_answer_match_id_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_family_answer_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_answer'))
    )
    with op.batch_alter_table('family_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_answer_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_answer_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_answer_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_family_answer_open', ['municipality_id', 'handled_at', 'answered_at'], unique=False)

    op.create_table('family_answer_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'paper', name='answerreminderchannel', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['match_id'], ['match.id'], name=op.f('fk_family_answer_reminder_match_id_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_family_answer_reminder_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_answer_reminder')),
    sa.UniqueConstraint('match_id', name=op.f('uq_family_answer_reminder_match_id'))
    )
    with op.batch_alter_table('family_answer_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_answer_reminder_municipality_id'), ['municipality_id'], unique=False)


def downgrade():
    with op.batch_alter_table('family_answer_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_answer_reminder_municipality_id'))
    op.drop_table('family_answer_reminder')
    with op.batch_alter_table('family_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_family_answer_open')
        batch_op.drop_index(batch_op.f('ix_family_answer_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_family_answer_match_id'))
        batch_op.drop_index(batch_op.f('ix_family_answer_household_id'))
    op.drop_table('family_answer')

"""Issue 18 (auth hardening): failures counted per client address, opaque e-mail verification tokens

failed_login gets client_key (a keyed hash of the client's address) so the throttle counts per
account and client address across processes; email_verification_token keeps the SHA-256 of the
random token in a volunteer's confirmation link (it used to be a signed, readable token).

Revision ID: b18a00000001
Revises: a17c0a5e0005
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b18a00000001'
down_revision = 'a17c0a5e0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_failed_login_client_key'), ['client_key'], unique=False)

    op.create_table('email_verification_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_email_verification_token_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verification_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_verification_token_token_hash'))
    )
    with op.batch_alter_table('email_verification_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_verification_token_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('email_verification_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_verification_token_volunteer_id'))
    op.drop_table('email_verification_token')

    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_login_client_key'))
        batch_op.drop_column('client_key')

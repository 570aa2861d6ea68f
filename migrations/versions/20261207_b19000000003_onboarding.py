"""Issue 19: the municipality's contact details and e-mail sender name; organisations can be deactivated

Revision ID: b19000000003
Revises: b18a00000001
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b19000000003'
down_revision = 'b18a00000001'
branch_labels = None
depends_on = None

CONTACT_COLUMNS = (
    ('department_name', 200),
    ('postal_address', 300),
    ('phone', 40),
    ('contact_email', 254),
    ('opening_hours', 300),
    ('directions', 300),
    ('email_sender_name', 100),
)


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        for name, length in CONTACT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='', nullable=False))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('is_active')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        for name, _length in reversed(CONTACT_COLUMNS):
            batch_op.drop_column(name)

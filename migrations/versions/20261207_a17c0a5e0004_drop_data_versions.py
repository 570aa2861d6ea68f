"""Drop the data versions: derived data is no longer kept per version

Pages compute from indexed SQL over what they show, so nothing is kept between requests and
nothing needs to know when a municipality's data changed.

Revision ID: a17c0a5e0004
Revises: a17c0a5e0003
Create Date: 2026-12-07 12:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'a17c0a5e0004'
down_revision = 'a17c0a5e0003'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('data_version')


def downgrade():
    op.create_table('data_version',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_data_version_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('municipality_id', name=op.f('pk_data_version'))
    )
    # As the table's first upgrade did: every municipality starts with a version.
    connection = op.get_bind()
    for (municipality_id,) in connection.execute(sa.text("SELECT id FROM municipality")):
        connection.execute(
            sa.text("INSERT INTO data_version (municipality_id, version) VALUES (:id, :version)"),
            {"id": municipality_id, "version": secrets.randbits(62)},
        )

"""data versions for derived data

One row per municipality: a new random version with every commit that changes its case
data, so cached reports, matcher pools and dashboards know when to be recomputed
(volunteer_hub/core/derived.py).

Revision ID: 0e595366a58b
Revises: 5aa86ae705e2
Create Date: 2026-11-27 10:05:16.375898

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e595366a58b'
down_revision = '5aa86ae705e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_version',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_data_version_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('municipality_id', name=op.f('pk_data_version'))
    )
    # Every existing municipality starts with a version, so its derived data can be kept.
    connection = op.get_bind()
    for (municipality_id,) in connection.execute(sa.text("SELECT id FROM municipality")):
        connection.execute(
            sa.text("INSERT INTO data_version (municipality_id, version) VALUES (:id, :version)"),
            {"id": municipality_id, "version": secrets.randbits(62)},
        )


def downgrade():
    op.drop_table('data_version')

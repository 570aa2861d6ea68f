"""Issue 17: a household's first arrivals and a match's last contact kept in their rows

household.earliest_arrival_on (the first member's arrival), household.first_owed_on (the
earliest arrival of an adult still owed an internship offer) and match.last_contact_on (the
latest logged meeting or "we have met" answer, else the start) are kept by
volunteer_hub.maintained, so that the overview's welcome letters, housing figure and matches
without contact, and the case list's deadline order, read a row or an index instead of grouping
every member and meeting. All three are filled from the rows here. household_member gets its
household's municipality the same way, so the overview counts the adults owed an internship
offer from an index of the municipality's members alone.

Table matching_pool_version: a token per municipality that every change to what interest rarity
is counted over replaces (volunteer_hub.matching.rarity keeps the counts per token).

Revision ID: b17100000010
Revises: b20c00000009
Create Date: 2026-12-07 21:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "b17100000010"
down_revision = "b20c00000009"
branch_labels = None
depends_on = None

RUNNING = "status IN ('approved', 'active')"
ADULT_WITHOUT_WORK = "kind = 'adult' AND NOT employed"


WORKING_AGE_FROM, WORKING_AGE_TO = 18, 64  # families.deadlines when this was written


def _first_owed():
    """UPDATE household SET first_owed_on: the earliest arrival of an adult who is not employed,
    of working age the year they arrived, and has no internship offer (P8)."""
    household = sa.table("household", sa.column("id"), sa.column("first_owed_on"))
    member = sa.table(
        "household_member",
        sa.column("id"),
        sa.column("household_id"),
        sa.column("kind"),
        sa.column("employed"),
        sa.column("birth_year"),
        sa.column("arrival_on"),
    )
    offer = sa.table("internship_offer", sa.column("member_id"))
    age = sa.extract("year", member.c.arrival_on) - member.c.birth_year
    owed = sa.select(sa.func.min(member.c.arrival_on)).where(
        member.c.household_id == household.c.id,
        member.c.kind == "adult",
        member.c.employed == sa.false(),
        sa.or_(member.c.birth_year.is_(None), age.between(WORKING_AGE_FROM, WORKING_AGE_TO)),
        ~sa.exists().where(offer.c.member_id == member.c.id),
    )
    return household.update().values(first_owed_on=owed.scalar_subquery())


def upgrade():
    op.create_table(
        "matching_pool_version",
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_matching_pool_version_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("municipality_id", name=op.f("pk_matching_pool_version")),
    )
    random_token = (
        "md5(random()::text)" if op.get_bind().dialect.name == "postgresql" else "lower(hex(randomblob(16)))"
    )
    op.execute(f"INSERT INTO matching_pool_version (municipality_id, token) SELECT id, {random_token} FROM municipality")
    with op.batch_alter_table("household") as batch_op:
        batch_op.add_column(sa.Column("earliest_arrival_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("first_owed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("match") as batch_op:
        batch_op.add_column(sa.Column("last_contact_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE household SET earliest_arrival_on = "
        "(SELECT min(m.arrival_on) FROM household_member m WHERE m.household_id = household.id)"
    )
    op.execute(_first_owed())
    with op.batch_alter_table("household_member") as batch_op:
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_household_member_municipality_id_municipality"), "municipality", ["municipality_id"], ["id"]
        )
    op.execute(
        "UPDATE household_member SET municipality_id = "
        "(SELECT household.municipality_id FROM household WHERE household.id = household_member.household_id)"
    )
    op.create_index(
        "ix_household_member_owed_internship",
        "household_member",
        ["municipality_id", "arrival_on"],
        postgresql_where=sa.text(ADULT_WITHOUT_WORK),
        postgresql_include=["birth_year"],
        sqlite_where=sa.text(ADULT_WITHOUT_WORK),
    )
    op.execute(
        'UPDATE match SET last_contact_on = coalesce((SELECT max(c."on") FROM ('
        ' SELECT match_meeting.match_id AS match_id, match_meeting."on" AS "on" FROM match_meeting'
        " UNION ALL SELECT family_answer.match_id, date(family_answer.answered_at) FROM family_answer"
        " WHERE family_answer.kind = 'met') AS c WHERE c.match_id = match.id), started_on)"
    )
    op.create_index(
        "ix_household_municipality_id_earliest_arrival_on",
        "household",
        ["municipality_id", "earliest_arrival_on"],
    )
    op.create_index(
        "ix_match_municipality_id_last_contact_on",
        "match",
        ["municipality_id", "last_contact_on", "id"],
        postgresql_where=sa.text(RUNNING),
        sqlite_where=sa.text(RUNNING),
    )


def downgrade():
    op.drop_table("matching_pool_version")
    op.drop_index("ix_household_member_owed_internship", table_name="household_member")
    with op.batch_alter_table("household_member") as batch_op:
        batch_op.drop_constraint(op.f("fk_household_member_municipality_id_municipality"), type_="foreignkey")
        batch_op.drop_column("municipality_id")
    op.drop_index("ix_match_municipality_id_last_contact_on", table_name="match")
    op.drop_index("ix_household_municipality_id_earliest_arrival_on", table_name="household")
    with op.batch_alter_table("match") as batch_op:
        batch_op.drop_column("last_contact_on")
    with op.batch_alter_table("household") as batch_op:
        batch_op.drop_column("first_owed_on")
        batch_op.drop_column("earliest_arrival_on")

"""Issue 17: a family's "we have met" counts on the day it was answered in Denmark

A match's kept last contact (``match.last_contact_on``) took a "we have met" answer on its UTC
date, a day early for an answer given in the hour or two before Danish midnight. The app now
takes the Danish day, as meetings are dated; this recomputes the value for the matches that have
such an answer (the others have none to misdate).

Revision ID: b17100000012
Revises: b17100000011
Create Date: 2026-12-08 02:00:00

"""

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

from alembic import op


revision = "b17100000012"
down_revision = "b17100000011"
branch_labels = None
depends_on = None


def _recompute(answer_day: str) -> None:
    op.execute(
        'UPDATE match SET last_contact_on = coalesce((SELECT max(c."on") FROM ('
        ' SELECT match_meeting.match_id AS match_id, match_meeting."on" AS "on" FROM match_meeting'
        f" UNION ALL SELECT family_answer.match_id, {answer_day} FROM family_answer"
        " WHERE family_answer.kind = 'met') AS c WHERE c.match_id = match.id), started_on)"
        " WHERE match.id IN (SELECT family_answer.match_id FROM family_answer"
        " WHERE family_answer.kind = 'met')"
    )


def _danish_day(stored):
    """SQLite keeps the moment as UTC text without a zone."""
    if stored is None:
        return None
    moment = dt.datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo("Europe/Copenhagen")).date().isoformat()


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _recompute("CAST(timezone('Europe/Copenhagen', family_answer.answered_at) AS DATE)")
    else:
        driver = bind.connection.driver_connection
        if isinstance(driver, sqlite3.Connection):
            driver.create_function("vh_migration_danish_date", 1, _danish_day, deterministic=True)
        _recompute("vh_migration_danish_date(family_answer.answered_at)")


def downgrade():
    _recompute("date(family_answer.answered_at)")

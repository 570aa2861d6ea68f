"""Row locks the match transitions take, so two coordinators acting at once see each other's change."""

from __future__ import annotations

from sqlalchemy import select

from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match
from volunteer_hub.volunteers.models import Volunteer


def lock_volunteer(volunteer_id: int) -> Volunteer:
    """The volunteer's row, locked until commit (PostgreSQL), and re-read from the database.

    ``FOR NO KEY UPDATE``: two approvals exclude each other, but a proposal inserted in the same
    transaction (whose foreign key takes ``FOR KEY SHARE`` on this row) does not deadlock them.
    """
    return db.session.execute(
        select(Volunteer)
        .where(Volunteer.id == volunteer_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).scalar_one()


def lock_match(match_id: int) -> Match:
    """The match's row, locked and re-read, so a status seen here is the committed one."""
    return db.session.execute(
        select(Match).where(Match.id == match_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()

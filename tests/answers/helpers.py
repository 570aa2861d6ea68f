"""The answers tests' approved match: a household, its volunteer (with an account) and a private link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from tests.matching.factories import TODAY, household, volunteer
from tests.support import Glostrup, Login
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.matching.cards import contact_card_data
from volunteer_hub.matching.models import MatchSource
from volunteer_hub.matching.workflow import approve_match, propose_match


@dataclass(frozen=True)
class ApprovedMatch:
    match_id: int
    household_id: int
    token: str
    volunteer_login: Login


def approved_match(glostrup: Glostrup, *, language: str = "ar", email: str = "") -> ApprovedMatch:
    """A match approved through the workflow, and a private link for it in ``language`` (committed)."""
    municipality = glostrup.municipality
    person = volunteer(
        municipality, with_account=True, first_name="Ingrid", email=f"ingrid-{language}@example.dk"
    )
    home = household(municipality, email=email, letter_language=language)
    match = propose_match(home, person, "friend_buddy", actor=glostrup.coordinator, source=MatchSource.MANUAL)
    approve_match(match, actor=glostrup.coordinator)
    data = contact_card_data(match, home, person, TODAY)
    _link, token = links.create_family_link(data, object_type="match", object_id=match.id, actor=None)
    db.session.commit()
    account = db.session.get_one(User, person.user_id)
    return ApprovedMatch(match.id, home.id, token, Login(account))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def days_ago(days: int) -> dt.datetime:
    return utcnow() - dt.timedelta(days=days)

"""Who may see and act on which match, and the fetch-and-authorise helpers the views use.

Municipal coordinators and administrators act on every match of their municipality; partner
coordinators only on matches of their own organisation's volunteers; volunteers see only their
own matches. Anything else is a 404, so a guessed id reveals nothing.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.core.access import MUNICIPAL_STAFF, has_role
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match
from volunteer_hub.volunteers.models import Volunteer


def can_act_on(user: Any, match: Match, volunteer: Volunteer) -> bool:
    """Municipal staff of its municipality; a partner coordinator for their organisation's volunteer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.municipality_id != match.municipality_id:
        return False
    if has_role(user, MUNICIPAL_STAFF):
        return True
    return (
        user.role == Role.PARTNER_COORDINATOR
        and user.organisation_id is not None
        and user.organisation_id == volunteer.organisation_id
    )


def _load(match_id: int, municipality_id: int) -> Match | None:
    return db.session.execute(
        select(Match)
        .where(Match.id == match_id, Match.municipality_id == municipality_id)
        .options(selectinload(Match.volunteer), selectinload(Match.household), selectinload(Match.check_ins))
    ).scalar_one_or_none()


def get_match_or_404(match_id: int, *, for_user: Any) -> Match:
    """A match the staff member may act on, else 404."""
    match = _load(match_id, for_user.municipality_id)
    if match is None or not can_act_on(for_user, match, match.volunteer):
        abort(404)
    return match


def get_own_match_or_404(match_id: int, *, for_user: Any) -> Match:
    """A match of the signed-in volunteer (approved, active or ended; never a proposal), else 404."""
    match = _load(match_id, for_user.municipality_id)
    if match is None or match.volunteer.user_id != for_user.id or match.started_on is None:
        abort(404)
    return match

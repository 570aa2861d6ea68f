"""Who may see and act on which volunteer, and the fetch-and-authorise helper the views use."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select

from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import Volunteer


def can_manage(user: User | None, volunteer: Volunteer) -> bool:
    """Coordinators of the volunteer's municipality; partner coordinators only for their organisation."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    if user.municipality_id != volunteer.municipality_id:
        return False
    if user.role == Role.PARTNER_COORDINATOR:
        return user.organisation_id is not None and user.organisation_id == volunteer.organisation_id
    return True


def is_self(user: User | None, volunteer: Volunteer) -> bool:
    """The volunteer's own account."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and volunteer.user_id is not None
        and volunteer.user_id == user.id
    )


def get_volunteer_or_404(volunteer_id: int, for_user: Any, *, lock: bool = False) -> Volunteer:
    """The volunteer ``for_user`` may manage, else 404: a guessed id reveals nothing.

    ``lock`` takes a row lock (PostgreSQL) so two coordinators acting at once are serialised
    and the second sees the first's status change.
    """
    statement = select(Volunteer).where(
        Volunteer.id == volunteer_id, Volunteer.municipality_id == for_user.municipality_id
    )
    if lock:
        statement = statement.with_for_update()
    volunteer = db.session.execute(statement).scalar_one_or_none()
    if volunteer is None or not can_manage(for_user, volunteer):
        abort(404)
    return volunteer


def find_own_volunteer(for_user: Any, *, lock: bool = False) -> Volunteer | None:
    """The volunteer record linked to ``for_user``'s account, or None."""
    statement = select(Volunteer).where(
        Volunteer.user_id == for_user.id, Volunteer.municipality_id == for_user.municipality_id
    )
    if lock:
        statement = statement.with_for_update()
    return db.session.execute(statement).scalar_one_or_none()


def get_own_volunteer_or_404(for_user: Any, *, lock: bool = False) -> Volunteer:
    """The volunteer record of the signed-in volunteer, else 404."""
    volunteer = find_own_volunteer(for_user, lock=lock)
    if volunteer is None:
        abort(404)
    return volunteer

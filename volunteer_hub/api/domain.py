"""Small pieces the domain APIs share: references to records, and refusals as problem details."""

from __future__ import annotations

from typing import Any, NoReturn

from flask_login import current_user
from flask_smorest import abort

from volunteer_hub.auth.api import OrganisationRefSchema
from volunteer_hub.extensions import db

__all__ = ["OrganisationRefSchema", "current_actor", "refuse"]


def current_actor() -> Any:
    """The token's owner as a plain User object (services keep it as the actor)."""
    return current_user._get_current_object()


def refuse(status: int, error: Exception) -> NoReturn:
    """Roll back and answer with a problem whose detail is the service's own message."""
    db.session.rollback()
    abort(status, message=str(error))

"""The roles a user may hold, and their human names in the interface language.

On the bottom floor because every floor's route policies name roles.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    """What a user may do. Partner coordinators see only their own organisation."""

    VOLUNTEER = "volunteer"
    PARTNER_COORDINATOR = "partner_coordinator"
    MUNICIPAL_COORDINATOR = "municipal_coordinator"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.VOLUNTEER: _l("volunteer"),
    Role.PARTNER_COORDINATOR: _l("partner coordinator"),
    Role.MUNICIPAL_COORDINATOR: _l("municipal coordinator"),
    Role.ADMIN: _l("administrator"),
}


def role_label(role: Role) -> str:
    """The role's name in the current language."""
    return str(ROLE_LABELS[role])

"""Human names for roles, in the interface language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from volunteer_hub.auth.models import Role

ROLE_LABELS = {
    Role.VOLUNTEER: _l("volunteer"),
    Role.PARTNER_COORDINATOR: _l("partner coordinator"),
    Role.MUNICIPAL_COORDINATOR: _l("municipal coordinator"),
    Role.ADMIN: _l("administrator"),
}


def role_label(role: Role) -> str:
    """The role's name in the current language."""
    return str(ROLE_LABELS[role])

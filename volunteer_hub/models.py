"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from volunteer_hub.audit.models import AuditEvent  # noqa: F401
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, User  # noqa: F401
from volunteer_hub.letters.models import (  # noqa: F401
    FamilyLanguageReview,
    FamilyLink,
    LetterRecord,
    LetterSettings,
    LetterTemplate,
)
from volunteer_hub.notifications.models import OutboxMessage  # noqa: F401
from volunteer_hub.tenancy.models import Municipality, Organisation  # noqa: F401

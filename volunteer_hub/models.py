"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from volunteer_hub.api.models import ApiToken  # noqa: F401
from volunteer_hub.audit.models import AuditEvent  # noqa: F401
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, RecoveryCode, User  # noqa: F401
from volunteer_hub.notifications.models import OutboxMessage  # noqa: F401
from volunteer_hub.tenancy.models import Municipality, Organisation  # noqa: F401

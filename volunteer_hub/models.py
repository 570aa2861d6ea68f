"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from volunteer_hub.answers.models import FamilyAnswer, FamilyAnswerReminder  # noqa: F401
from volunteer_hub.audit.models import AuditEvent  # noqa: F401
from volunteer_hub.auth.api_tokens.models import ApiToken  # noqa: F401
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, RecoveryCode, User  # noqa: F401
from volunteer_hub.families.models import (  # noqa: F401
    ChildDetails,
    DanishClass,
    HealthCheck,
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Housing,
    InternshipOffer,
    LeisureOffer,
    Member,
    ReceptionStep,
    SharedUnit,
    Workplace,
)
from volunteer_hub.letters.models import (  # noqa: F401
    FamilyLanguageReview,
    FamilyLink,
    LetterRecord,
    LetterSettings,
    LetterTemplate,
)
from volunteer_hub.matching.models import CheckIn, Match, Meeting, PoolVersion, RejectedPair  # noqa: F401
from volunteer_hub.notifications.models import OutboxMessage  # noqa: F401
from volunteer_hub.reports.models import FinalisedReport  # noqa: F401
from volunteer_hub.tenancy.models import Municipality, Organisation  # noqa: F401
from volunteer_hub.volunteers.models import (  # noqa: F401
    RegistrationDraft,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
)

"""The approval state machine, profile changes and child certificates (signup.py: registration).

Every function here changes objects and flushes; none commits (the view or command does).
Each status transition is one function that refuses an illegal move with ``TransitionError``,
writes an audit event (ids and codes only) and queues an e-mail to the volunteer in their
language, all in the caller's transaction.

- ``common``: the errors, e-mail to the volunteer, today in Denmark, the partner check
- ``transitions``: the status state machine (approve, reject, pause, ...)
- ``profile``: what a volunteer tells about themselves, and their own edits
- ``certificates``: the child certificate a coordinator records

Callers import from this package; the modules are how it reads, not an interface.
"""

from volunteer_hub.volunteers.models import ChildCertificateState
from volunteer_hub.volunteers.services.certificates import has_certificate_consent, record_child_certificate
from volunteer_hub.volunteers.services.common import (
    DATA_CONSENT_VERSION,
    MAX_REASON_LENGTH,
    NotPermittedError,
    OrganisationChangeError,
    TransitionError,
    VolunteerError,
    check_organisation,
    notify,
    public_url,
    today,
)
from volunteer_hub.volunteers.services.profile import Consents, Profile, apply_profile, update_profile
from volunteer_hub.volunteers.services.transitions import (
    TRANSITIONS,
    Transition,
    approve,
    available_transitions,
    may_make,
    move,
    pause,
    reinstate,
    reject,
    request_more_information,
    resubmit,
    resume,
    suspend,
    withdraw,
)

__all__ = [
    "DATA_CONSENT_VERSION",
    "MAX_REASON_LENGTH",
    "TRANSITIONS",
    "ChildCertificateState",
    "Consents",
    "NotPermittedError",
    "OrganisationChangeError",
    "Profile",
    "Transition",
    "TransitionError",
    "VolunteerError",
    "apply_profile",
    "approve",
    "available_transitions",
    "check_organisation",
    "has_certificate_consent",
    "may_make",
    "move",
    "notify",
    "pause",
    "public_url",
    "record_child_certificate",
    "reinstate",
    "reject",
    "request_more_information",
    "resubmit",
    "resume",
    "suspend",
    "today",
    "update_profile",
    "withdraw",
]

"""Human names of the volunteer domain's states and codes, in the interface language."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from volunteer_hub import vocab
from volunteer_hub.volunteers.models import ChildCertificateState, VolunteerStatus

STATUS_LABELS = {
    VolunteerStatus.PENDING: _l("awaiting approval"),
    VolunteerStatus.NEEDS_INFORMATION: _l("more information needed"),
    VolunteerStatus.APPROVED: _l("approved"),
    VolunteerStatus.REJECTED: _l("rejected"),
    VolunteerStatus.PAUSED: _l("paused"),
    VolunteerStatus.SUSPENDED: _l("suspended"),
    VolunteerStatus.WITHDRAWN: _l("withdrawn"),
}

CERTIFICATE_LABELS = {
    ChildCertificateState.NOT_REQUESTED: _l("not requested"),
    ChildCertificateState.REQUESTED: _l("requested"),
    ChildCertificateState.RECEIVED_OK: _l("received without remarks"),
    ChildCertificateState.RECEIVED_WITH_REMARKS: _l("received with remarks"),
}


def status_label(status: VolunteerStatus | str) -> str:
    return str(STATUS_LABELS[VolunteerStatus(status)])


def certificate_label(state: ChildCertificateState | str) -> str:
    return str(CERTIFICATE_LABELS[ChildCertificateState(state)])


def interface_language() -> str:
    """'da' or 'en': the language the current page is shown in."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "da"


def vocab_label(vocabulary: str, code: str) -> str:
    """A vocabulary code's label in the interface language (see volunteer_hub.vocab)."""
    return vocab.label(vocabulary, code, interface_language())


def vocab_choices(vocabulary: str, *, sort: bool = False) -> list[tuple[str, str]]:
    return vocab.choices(vocabulary, interface_language(), sort=sort)


EVENT_LABELS = {
    "volunteer.registered": _l("Registered on the web"),
    "volunteer.email_verified": _l("Confirmed the e-mail address"),
    "volunteer.approve": _l("Approved"),
    "volunteer.reject": _l("Rejected"),
    "volunteer.request_information": _l("Asked for more information"),
    "volunteer.resubmit": _l("Sent the application again"),
    "volunteer.pause": _l("Paused"),
    "volunteer.resume": _l("Resumed"),
    "volunteer.suspend": _l("Suspended"),
    "volunteer.reinstate": _l("Reinstated"),
    "volunteer.withdraw": _l("Withdrew"),
    "volunteer.profile_updated": _l("Changed the profile"),
    "volunteer.child_certificate": _l("Child certificate recorded"),
    "volunteer.imported": _l("Imported from a spreadsheet"),
    "volunteer.import_updated": _l("Updated from a spreadsheet"),
    "volunteer.erased": _l("Personal data erased at the volunteer's request"),
    "volunteer.demo_created": _l("Created as demo data"),
}


def event_label(event: Any) -> str:
    """What an audit event on a volunteer means, in the interface language."""
    text = str(EVENT_LABELS.get(event.action, event.action))
    state = (event.details or {}).get("state")
    if event.action == "volunteer.child_certificate" and state in set(ChildCertificateState):
        text += ": " + certificate_label(state)
    return text

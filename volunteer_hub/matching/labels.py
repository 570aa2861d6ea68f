"""Human names of a match's statuses and codes, in the interface language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.matching.models import CheckInKind, EndReason, MatchSource, MatchStatus, MeetingKind

STATUS_LABELS = {
    MatchStatus.PROPOSED: _l("proposed"),
    MatchStatus.APPROVED: _l("approved"),
    MatchStatus.ACTIVE: _l("active"),
    MatchStatus.ENDED: _l("ended"),
}
END_REASON_LABELS = {
    EndReason.MOVED_AWAY: _l("Moved away"),
    EndReason.COMPLETED: _l("Completed"),
    EndReason.DID_NOT_WORK_OUT: _l("Did not work out"),
    EndReason.VOLUNTEER_STOPPED: _l("The volunteer stopped"),
    EndReason.OTHER: _l("Other reason"),
    EndReason.REJECTED: _l("Rejected"),
}
SOURCE_LABELS = {
    MatchSource.SUGGESTION: _l("Suggestion"),
    MatchSource.PLAN: _l("Plan"),
    MatchSource.MANUAL: _l("Manual match"),
    MatchSource.IMPORT: _l("Import"),
}
MEETING_KIND_LABELS = {
    MeetingKind.IN_PERSON: _l("Met in person"),
    MeetingKind.ACTIVITY: _l("An activity together"),
    MeetingKind.PHONE: _l("Phone call"),
    MeetingKind.VIDEO: _l("Video call"),
}
CHECK_IN_LABELS = {
    CheckInKind.TWO_WEEKS: _l("After 2 weeks"),
    CheckInKind.ONE_MONTH: _l("After 1 month"),
    CheckInKind.THREE_MONTHS: _l("After 3 months"),
}
FACTOR_LABELS = {
    "language": _l("Language"),
    "interests": _l("Interests"),
    "availability": _l("Availability"),
    "distance": _l("Distance"),
    "skills": _l("Skills"),
    "waiting": _l("Waiting time"),
}
RULE_LABELS = {
    "approved_free_capacity": _l("Approved, with a free place"),
    "scheme": _l("Offers the scheme"),
    "shared_language": _l("A shared language"),
    "child_certificate": _l("Valid child certificate"),
    "volunteer_gender": _l("The gender the household asks for"),
    "consent": _l("The household's consent"),
    "not_matched_or_rejected": _l("Not already matched or rejected"),
}

_TABLES: dict[type, dict[Any, Any]] = {
    MatchStatus: STATUS_LABELS,
    EndReason: END_REASON_LABELS,
    MatchSource: SOURCE_LABELS,
    MeetingKind: MEETING_KIND_LABELS,
    CheckInKind: CHECK_IN_LABELS,
}


def status_label(status: MatchStatus | str) -> str:
    return str(STATUS_LABELS[MatchStatus(status)])


def match_label(value: Any) -> str:
    """The label of any of the matching enums' members (empty for None)."""
    if value is None:
        return ""
    return str(_TABLES[type(value)][value])


def factor_label(factor: str) -> str:
    return str(FACTOR_LABELS.get(factor, factor))


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))

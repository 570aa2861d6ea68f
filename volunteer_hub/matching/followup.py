"""After approval: meetings the volunteer logs, the coordinator's check-ins, a leisure introduction's outcome.

Each service checks its input, writes one audit event (ids and codes only) and flushes; the view
commits. The first meeting logged makes an approved match active (``workflow.activate_match``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import LeisureOffer
from volunteer_hub.matching.locks import lock_match
from volunteer_hub.matching.models import RUNNING_STATUSES, CheckIn, Match, MatchStatus, Meeting, MeetingKind
from volunteer_hub.matching.workflow import MatchChangedError, MatchError, activate_match, clean_text


def log_meeting(
    match: Match, *, actor: Any, on: dt.date, minutes: int, kind: MeetingKind, note: str = ""
) -> Meeting:
    """The volunteer logs a meeting; the first one makes an approved match active.

    A meeting lasts at least a minute, and the same meeting (day, kind and length) is logged once:
    a second identical one is a double submit, not a second meeting. The match's row is locked first,
    so of two identical submits at the same moment the second waits and then sees the first.
    """
    match = lock_match(match.id)
    if match.status not in RUNNING_STATUSES:
        raise MatchError(_("Meetings can only be logged for an approved or active match."))
    if on > local_today():
        raise MatchError(_("The meeting date cannot be in the future."))
    if match.started_on is not None and on < match.started_on:
        raise MatchError(_("The meeting date cannot be before the match started."))
    if not 1 <= minutes <= 1440:
        raise MatchError(_("Write the length of the meeting in minutes (1 to 1440)."))
    already = select(Meeting.id).where(
        Meeting.match_id == match.id, Meeting.on == on, Meeting.kind == kind, Meeting.minutes == minutes
    )
    if db.session.execute(already.limit(1)).first() is not None:
        raise MatchError(_("This meeting is already logged: same day, kind and length."))
    if match.status == MatchStatus.APPROVED:
        match = activate_match(match, actor=actor)
    meeting = Meeting(
        match_id=match.id,
        on=on,
        minutes=minutes,
        kind=kind,
        note=clean_text(note, "")[:500],
        logged_by_id=getattr(actor, "id", None),
    )
    db.session.add(meeting)
    db.session.flush()
    record(
        "match.meeting_logged",
        actor=actor,
        municipality_id=match.municipality_id,
        obj=match,
        meeting_id=meeting.id,
        kind=kind.value,
        minutes=minutes,
    )
    return meeting


def complete_check_in(check_in: CheckIn, *, actor: Any, on: dt.date, note: str = "") -> CheckIn:
    """A coordinator records a follow-up as done."""
    if check_in.done_on is not None:
        raise MatchChangedError(_("This check-in is already recorded as done."))
    if on > local_today():
        raise MatchError(_("The date cannot be in the future."))
    check_in.done_on = on
    check_in.note = clean_text(note, "")
    check_in.done_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        "match.check_in_done",
        actor=actor,
        municipality_id=check_in.match.municipality_id,
        obj=check_in.match,
        check_in_id=check_in.id,
        kind=check_in.kind.value,
    )
    return check_in


def record_leisure_outcome(
    match: Match,
    *,
    actor: Any,
    leisure_offer_id: int | None,
    first_visit_on: dt.date | None,
    membership_on: dt.date | None,
    still_taking_part: bool | None,
) -> Match:
    """Where a leisure introduction led: the offer, first visit, membership, still there at 3 months."""
    if match.scheme != "leisure_intro":
        raise MatchError(_("Only a leisure introduction has a leisure outcome."))
    if match.status == MatchStatus.PROPOSED:
        raise MatchError(_("Approve the match before recording where it led."))
    if leisure_offer_id is not None:
        offer = db.session.get(LeisureOffer, leisure_offer_id)
        if offer is None or offer.municipality_id != match.municipality_id:
            raise MatchError(_("Choose a leisure offer from the register."))
    for day in (first_visit_on, membership_on):
        if day is not None and match.started_on is not None and day < match.started_on:
            raise MatchError(_("The dates cannot be before the match started."))
    if first_visit_on and membership_on and membership_on < first_visit_on:
        raise MatchError(_("Membership cannot start before the first visit."))
    match.leisure_offer_id = leisure_offer_id
    match.first_visit_on = first_visit_on
    match.membership_on = membership_on
    match.still_taking_part_at_3_months = still_taking_part
    db.session.flush()
    record(
        "match.leisure_outcome_recorded",
        actor=actor,
        municipality_id=match.municipality_id,
        obj=match,
        leisure_offer_id=leisure_offer_id,
        membership=membership_on is not None,
        still_taking_part=still_taking_part,
    )
    return match


@dataclass(frozen=True)
class ContactFlags:
    """Whether the two have met, by the volunteer's log and by the family's own answer (issue 22)."""

    volunteer_logged: bool
    family_confirmed: bool
    family_reports_no_contact: bool

    @property
    def confirmed(self) -> bool:
        """Someone confirmed contact: the volunteer logged a meeting or the family said so."""
        return self.volunteer_logged or self.family_confirmed

    @property
    def contradicted(self) -> bool:
        """The volunteer logged meetings, but the family's latest word is that nobody contacted it."""
        return self.volunteer_logged and self.family_reports_no_contact


def contact_flags(match: Match, *, family_met: bool, family_no_contact: bool) -> ContactFlags:
    """The match's follow-up flags: the family's answer (passed in by the answers domain) beside
    the volunteer's meeting log."""
    logged = db.session.execute(
        select(Meeting.id).where(Meeting.match_id == match.id).limit(1)
    ).first() is not None
    return ContactFlags(logged, family_met, family_no_contact)

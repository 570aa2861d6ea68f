"""The life of a match: proposed -> approved -> active -> ended, one service per transition.

Every service checks that the move is allowed from the current status (``MatchChangedError``
when someone else moved the match first), writes one audit event (ids and codes only) and
flushes; the view or command commits. Approval re-checks the hard rules with the pair's
override, takes the volunteer's row lock so two approvals cannot both take a last free place,
and writes the match, its audit event and both contact-card messages in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from volunteer_hub.audit.services import record
from volunteer_hub.core.clock import local_today
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.letters.links import revoke_links_for
from volunteer_hub.matching import arrivals, services
from volunteer_hub.matching.engine.types import RuleFailure
from volunteer_hub.matching.locks import lock_match, lock_volunteer
from volunteer_hub.matching.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    CheckIn,
    CheckInKind,
    EndReason,
    Match,
    MatchSource,
    MatchStatus,
    RejectedPair,
)
from volunteer_hub.vocab import SCHEMES
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus, add_months

LANGUAGE_RULE = "shared_language"
MAX_TEXT = 2000

TRANSITIONS: dict[MatchStatus, frozenset[MatchStatus]] = {
    MatchStatus.PROPOSED: frozenset({MatchStatus.APPROVED, MatchStatus.ENDED}),
    MatchStatus.APPROVED: frozenset({MatchStatus.ACTIVE, MatchStatus.ENDED}),
    MatchStatus.ACTIVE: frozenset({MatchStatus.ENDED}),
    MatchStatus.ENDED: frozenset(),
}

CHECK_IN_SCHEDULE: tuple[tuple[CheckInKind, Any], ...] = (
    (CheckInKind.TWO_WEEKS, lambda day: day + dt.timedelta(days=14)),
    (CheckInKind.ONE_MONTH, lambda day: add_months(day, 1)),
    (CheckInKind.THREE_MONTHS, lambda day: add_months(day, 3)),
)


class MatchError(Exception):
    """A change that is not allowed; ``str()`` says why, in the interface language."""


class MatchChangedError(MatchError):
    """Someone else changed the match (or took the volunteer's last place) first."""


class MatchRuleError(MatchError):
    """The pair fails hard rules; ``failures`` lists them with their sentences."""

    def __init__(self, message: str, failures: Sequence[RuleFailure]) -> None:
        super().__init__(message)
        self.failures = list(failures)


def clean_text(value: str | None, what: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise MatchError(_("Write %(what)s.", what=what))
    if len(text) > MAX_TEXT:
        raise MatchError(_("The text is too long: at most %(n)s characters.", n=MAX_TEXT))
    return text


def _check_move(match: Match, to: MatchStatus) -> None:
    if to not in TRANSITIONS[match.status]:
        raise MatchChangedError(
            _(
                "This match has already been changed: it is now %(status)s. Open it again to see it.",
                status=status_text(match.status),
            )
        )


def status_text(status: MatchStatus) -> str:
    from volunteer_hub.matching.labels import status_label

    return str(status_label(status))


# --- proposing ---------------------------------------------------------------------------------


def _rule_error(failures: Sequence[RuleFailure]) -> MatchRuleError:
    return MatchRuleError(
        _(
            "The volunteer cannot be matched with this household: %(reasons)s",
            reasons=" ".join(f.text for f in failures),
        ),
        failures,
    )


def propose_match(
    household: Household,
    volunteer: Volunteer,
    scheme: str,
    *,
    actor: Any,
    source: MatchSource,
    override_reason: str | None = None,
    on: dt.date | None = None,
) -> Match:
    """Propose a pair, checked against every hard rule (the language rule waived only with a reason)."""
    if scheme not in SCHEMES:
        raise MatchError(_("Choose one of the schemes."))
    on = on or arrivals.start_day(household)
    reason = clean_text(override_reason, "")
    failures = services.why_not(household, scheme, volunteer, on, _lang())
    language_failed = any(f.rule == LANGUAGE_RULE for f in failures)
    blocking = [f for f in failures if not (f.rule == LANGUAGE_RULE and reason)]
    if blocking:
        raise _rule_error(blocking)
    match = Match(
        municipality_id=household.municipality_id,
        household_id=household.id,
        volunteer_id=volunteer.id,
        organisation_id=volunteer.organisation_id,
        scheme=scheme,
        status=MatchStatus.PROPOSED,
        source=source,
        override_reason=reason if language_failed else None,
        proposed_by_id=getattr(actor, "id", None),
        proposed_at=utcnow(),
    )
    db.session.add(match)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent proposal of the same pair; the caller rolls back
        raise MatchChangedError(
            _("Someone else has just proposed this pair. Open the household again to see it.")
        ) from exc
    record(
        "match.proposed",
        actor=actor,
        municipality_id=match.municipality_id,
        obj=match,
        household_id=household.id,
        volunteer_id=volunteer.id,
        scheme=scheme,
        source=source.value,
        language_override=match.override_reason is not None,
    )
    return match


def _lang() -> Any:
    from flask_babel import get_locale

    return services.interface_lang(get_locale())


# --- approving -----------------------------------------------------------------------------------


def approve_match(match: Match, *, actor: Any, on: dt.date | None = None) -> Match:
    """Approve a proposal: hard rules again, a place used, check-ins, messages, all in one transaction.

    Locks the volunteer's row, then the household's, so of two approvals competing for a last
    free place (or for one request) the second waits, then sees the first and is refused with
    ``MatchChangedError``.
    """
    volunteer = lock_volunteer(match.volunteer_id)
    household = services.load_household(match.household_id, lock=True)
    on = on or arrivals.start_day(household)  # an announced household's pair starts on arrival
    match = lock_match(match.id)
    _check_move(match, MatchStatus.APPROVED)
    _refuse_second_running_match(match)
    failures = services.why_not(household, match.scheme, volunteer, on, _lang(), ignore_match_id=match.id)
    waived = {LANGUAGE_RULE} if match.override_reason and household.interpreter_needed else set()
    blocking = [f for f in failures if f.rule not in waived]
    if blocking:
        if volunteer.status == VolunteerStatus.APPROVED and [f.rule for f in blocking] == [
            "approved_free_capacity"
        ]:
            raise MatchChangedError(
                _(
                    "The volunteer's last free place was taken by another match in the meantime, so this "
                    "match cannot be approved now. Open the household again for other suggestions."
                )
            )
        raise _rule_error(blocking)
    match.status = MatchStatus.APPROVED
    match.approved_by_id = getattr(actor, "id", None)
    match.approved_at = utcnow()
    match.started_on = on
    match.organisation_id = volunteer.organisation_id
    match.check_ins = [CheckIn(kind=kind, due_on=due(on)) for kind, due in CHECK_IN_SCHEDULE]
    db.session.flush()
    record(
        "match.approved",
        actor=actor,
        municipality_id=match.municipality_id,
        obj=match,
        household_id=household.id,
        volunteer_id=volunteer.id,
        scheme=match.scheme,
        source=match.source.value,
        language_override=match.override_reason is not None,
    )
    arrivals.send_cards_and_introduce(match, household, volunteer, actor=actor, on=on)
    return match


def _refuse_second_running_match(match: Match) -> None:
    other = db.session.execute(
        select(Match.id).where(
            Match.household_id == match.household_id,
            Match.scheme == match.scheme,
            Match.status.in_(RUNNING_STATUSES),
            Match.id != match.id,
        )
    ).first()
    if other is not None:
        raise MatchChangedError(
            _("The household already has an approved volunteer in this scheme: end that match first.")
        )


# --- the rest of a match's life ------------------------------------------------------------------


def activate_match(match: Match, *, actor: Any) -> Match:
    """The pair has met: approved -> active."""
    match = lock_match(match.id)
    _check_move(match, MatchStatus.ACTIVE)
    match.status = MatchStatus.ACTIVE
    db.session.flush()
    record("match.activated", actor=actor, municipality_id=match.municipality_id, obj=match)
    return match


def end_match(
    match: Match, reason: EndReason, *, actor: Any, note: str = "", on: dt.date | None = None
) -> Match:
    """End a match (or withdraw a proposal) with a reason; frees the place and closes the family's link."""
    match = lock_match(match.id)
    _check_move(match, MatchStatus.ENDED)
    note = clean_text(note, _("why the match ended"), required=reason == EndReason.OTHER)
    on = on or local_today()
    if match.started_on is not None and on < match.started_on:
        raise MatchError(_("The end date cannot be before the match started."))
    from_status = match.status
    match.status = MatchStatus.ENDED
    match.end_reason = reason
    match.end_note = note
    match.ended_on = on
    match.ended_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        "match.ended",
        actor=actor,
        municipality_id=match.municipality_id,
        obj=match,
        from_status=from_status.value,
        reason=reason.value,
    )
    revoke_links_for("match", match.id, actor=actor)
    return match


def reject_pair(
    household: Household, volunteer: Volunteer, scheme: str, reason: str, *, actor: Any
) -> RejectedPair:
    """A coordinator rejects a pair, with a reason: it is never proposed again (an open proposal ends)."""
    reason = clean_text(reason, _("why the pair is rejected"), required=True)
    open_matches = list(
        db.session.execute(
            select(Match).where(
                Match.household_id == household.id,
                Match.volunteer_id == volunteer.id,
                Match.scheme == scheme,
                Match.status.in_(OPEN_STATUSES),
            )
        ).scalars()
    )
    if any(m.status in RUNNING_STATUSES for m in open_matches):
        raise MatchError(_("This pair is already matched: end the match instead of rejecting the pair."))
    exists = db.session.execute(
        select(RejectedPair.id).where(
            RejectedPair.household_id == household.id,
            RejectedPair.volunteer_id == volunteer.id,
            RejectedPair.scheme == scheme,
        )
    ).first()
    if exists is not None:
        raise MatchChangedError(_("This pair has already been rejected."))
    rejected = RejectedPair(
        municipality_id=household.municipality_id,
        household_id=household.id,
        volunteer_id=volunteer.id,
        scheme=scheme,
        reason=reason,
        rejected_by_id=getattr(actor, "id", None),
        rejected_at=utcnow(),
    )
    db.session.add(rejected)
    try:
        db.session.flush()
    except IntegrityError as exc:  # rejected at the same moment by someone else; the caller rolls back
        raise MatchChangedError(_("This pair has already been rejected.")) from exc
    record(
        "match.pair_rejected",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=rejected,
        household_id=household.id,
        volunteer_id=volunteer.id,
        scheme=scheme,
    )
    for match in open_matches:
        end_match(match, EndReason.REJECTED, actor=actor, note=reason)
    return rejected


def create_manual_match(
    household: Household,
    volunteer: Volunteer,
    scheme: str,
    *,
    actor: Any,
    override_language: bool = False,
    override_reason: str = "",
    approve: bool = True,
    on: dt.date | None = None,
) -> Match:
    """A coordinator's own pair, checked against the same rules.

    Only the language rule may be overridden, and only with a written reason; the household is
    then marked as needing an interpreter. The child-certificate rule can never be overridden.
    """
    on = on or arrivals.start_day(household)
    failures = services.why_not(household, scheme, volunteer, on, _lang())
    others = [f for f in failures if f.rule != LANGUAGE_RULE]
    if others:
        raise _rule_error(others)
    reason = ""
    if len(others) < len(failures):
        reason = clean_text(override_reason, "")
        if not override_language or not reason:
            raise MatchRuleError(
                _(
                    "The volunteer and the household share no language. You may override this only by "
                    "ticking the override and writing why; the household is then marked as needing an "
                    "interpreter."
                ),
                failures,
            )
        if not household.interpreter_needed:
            household.interpreter_needed = True
            db.session.flush()
            record(
                "family.interpreter_marked",
                actor=actor,
                municipality_id=household.municipality_id,
                obj=household,
                via="language_override",
            )
    match = propose_match(
        household, volunteer, scheme, actor=actor, source=MatchSource.MANUAL, override_reason=reason, on=on
    )
    return approve_match(match, actor=actor, on=on) if approve else match

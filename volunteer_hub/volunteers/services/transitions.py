"""The approval state machine: one function per status move, each audited and e-mailed to the volunteer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.labels import status_label
from volunteer_hub.volunteers.models import RegistrationSource, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.permissions import can_manage, is_self
from volunteer_hub.volunteers.services.common import (
    MAX_REASON_LENGTH,
    NotPermittedError,
    TransitionError,
    notify,
    public_url,
)

S = VolunteerStatus


@dataclass(frozen=True)
class Transition:
    """One legal move: from which statuses, to which, who may make it, and what is sent."""

    name: str
    sources: frozenset[VolunteerStatus]
    target: VolunteerStatus
    template: str
    label: Any
    by_coordinator: bool
    by_volunteer: bool
    needs_reason: bool = False
    needs_confirmation: bool = False  # asked on a page of its own, saying what the move does


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "approve",
            frozenset({S.PENDING, S.NEEDS_INFORMATION}),
            S.APPROVED,
            "volunteer_approved",
            _l("Approve"),
            True,
            False,
        ),
        Transition(
            "reject",
            frozenset({S.PENDING, S.NEEDS_INFORMATION}),
            S.REJECTED,
            "volunteer_rejected",
            _l("Reject"),
            True,
            False,
            needs_reason=True,
        ),
        Transition(
            "request_information",
            frozenset({S.PENDING}),
            S.NEEDS_INFORMATION,
            "volunteer_needs_information",
            _l("Ask for more information"),
            True,
            False,
            needs_reason=True,
        ),
        Transition(
            "resubmit",
            frozenset({S.NEEDS_INFORMATION}),
            S.PENDING,
            "volunteer_resubmitted",
            _l("Send the application again"),
            False,
            True,
        ),
        Transition("pause", frozenset({S.APPROVED}), S.PAUSED, "volunteer_paused", _l("Pause"), True, True),
        Transition(
            "resume", frozenset({S.PAUSED}), S.APPROVED, "volunteer_resumed", _l("Resume"), True, True
        ),
        Transition(
            "suspend",
            frozenset({S.APPROVED}),
            S.SUSPENDED,
            "volunteer_suspended",
            _l("Suspend"),
            True,
            False,
            needs_reason=True,
            needs_confirmation=True,
        ),
        Transition(
            "reinstate",
            frozenset({S.SUSPENDED}),
            S.APPROVED,
            "volunteer_reinstated",
            _l("Reinstate"),
            True,
            False,
            needs_reason=True,
            needs_confirmation=True,
        ),
        Transition(
            "withdraw",
            frozenset(set(S) - {S.WITHDRAWN}),
            S.WITHDRAWN,
            "volunteer_withdrawn",
            _l("Withdraw"),
            False,
            True,
        ),
    ]
}

STATUS_RECORDED_OUTSIDE_MOVES = (
    "volunteer.imported",  # from the volunteer's registered_on: the file describes a status held since
    "volunteer.import_updated",
    "volunteer.demo_created",  # as an import
    "volunteer.erased",
)
STATUS_EVENT_ACTIONS: frozenset[str] = frozenset(
    {f"volunteer.{name}" for name in TRANSITIONS} | set(STATUS_RECORDED_OUTSIDE_MOVES)
)
"""Every audit event that records a volunteer's new status (``to_status``): a ``move`` and the
writes outside the state machine. The quarterly report reads status histories from exactly these
actions; code that records a status under another action must add it here."""


def may_make(transition: Transition, volunteer: Volunteer, actor: Any) -> bool:
    """Whether ``actor`` is someone who may make this kind of move for this volunteer."""
    return (transition.by_coordinator and can_manage(actor, volunteer)) or (
        transition.by_volunteer and is_self(actor, volunteer)
    )


def available_transitions(volunteer: Volunteer, actor: Any) -> list[Transition]:
    """The moves ``actor`` can make now, for showing only the buttons that will work."""
    if volunteer.is_erased:
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if volunteer.status in t.sources and may_make(t, volunteer, actor) and t.name != "resubmit"
    ]


def move(volunteer: Volunteer, name: str, actor: Any, reason: str | None = None) -> Volunteer:
    """Make the transition called ``name`` (see TRANSITIONS), or raise TransitionError."""
    transition = TRANSITIONS[name]
    # The status is checked on the committed row, locked until commit: of two identical moves at
    # the same moment (two tabs, a double click) the second waits, then sees the first and is refused.
    db.session.flush()
    db.session.refresh(volunteer, with_for_update={"key_share": True})
    if not may_make(transition, volunteer, actor):
        raise NotPermittedError(_("You may not do this for this volunteer."))
    if volunteer.is_erased:
        raise TransitionError(_("This volunteer has deleted their data; nothing can be changed."))
    if volunteer.status not in transition.sources:
        raise TransitionError(
            _(
                '"%(action)s" is not possible while the volunteer\'s status is "%(status)s".',
                action=transition.label,
                status=status_label(volunteer.status),
            )
        )
    reason = (reason or "").strip()
    if transition.needs_reason:
        if not reason:
            raise TransitionError(_("Write the reason the volunteer will see."))
        if len(reason) > MAX_REASON_LENGTH:
            raise TransitionError(_("The reason can be at most %(n)s characters.", n=MAX_REASON_LENGTH))
    if name == "approve" and volunteer.source == RegistrationSource.WEB and not volunteer.is_email_verified:
        raise TransitionError(
            _("The volunteer has not confirmed their e-mail yet, so the application cannot be approved.")
        )
    previous = volunteer.status
    volunteer.status = transition.target
    volunteer.status_changed_at = utcnow()
    volunteer.status_reason = reason if transition.needs_reason else None
    db.session.flush()
    record(
        f"volunteer.{name}",
        actor=actor,
        municipality_id=volunteer.municipality_id,
        obj=volunteer,
        from_status=previous.value,
        to_status=transition.target.value,
    )
    notify(volunteer, transition.template, reason=reason, url=public_url("volunteers.me"))
    return volunteer


def approve(volunteer: Volunteer, actor: User) -> Volunteer:
    """pending / needs information → approved (a coordinator; a web e-mail must be confirmed)."""
    return move(volunteer, "approve", actor)


def reject(volunteer: Volunteer, actor: User, reason: str) -> Volunteer:
    """pending / needs information → rejected, with a reason the volunteer sees."""
    return move(volunteer, "reject", actor, reason)


def request_more_information(volunteer: Volunteer, actor: User, reason: str) -> Volunteer:
    """pending → needs information, saying what is missing; editing the profile sends it back."""
    return move(volunteer, "request_information", actor, reason)


def resubmit(volunteer: Volunteer, actor: User) -> Volunteer:
    """needs information → pending, when the volunteer has updated their application."""
    return move(volunteer, "resubmit", actor)


def pause(volunteer: Volunteer, actor: User) -> Volunteer:
    """approved → paused, by the volunteer or a coordinator; a paused volunteer is not matched."""
    return move(volunteer, "pause", actor)


def resume(volunteer: Volunteer, actor: User) -> Volunteer:
    """paused → approved, by the volunteer or a coordinator."""
    return move(volunteer, "resume", actor)


def suspend(volunteer: Volunteer, actor: User, reason: str) -> Volunteer:
    """approved → suspended, by a coordinator, with a reason the volunteer sees."""
    return move(volunteer, "suspend", actor, reason)


def reinstate(volunteer: Volunteer, actor: User, reason: str) -> Volunteer:
    """suspended → approved, by a coordinator, with a reason the volunteer sees (the way back)."""
    return move(volunteer, "reinstate", actor, reason)


def withdraw(volunteer: Volunteer, actor: User) -> Volunteer:
    """any status → withdrawn, by the volunteer themselves."""
    return move(volunteer, "withdraw", actor)

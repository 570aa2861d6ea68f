"""The approval state machine, profile changes and child certificates (signup.py: registration).

Every function here changes objects and flushes; none commits (the view or command does).
Each status transition is one function that refuses an illegal move with ``TransitionError``,
writes an audit event (ids and codes only) and queues an e-mail to the volunteer in their
language, all in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import Role, User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.volunteers.labels import status_label
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Gender,
    LanguageLevel,
    RegistrationSource,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
)
from volunteer_hub.volunteers.permissions import can_manage, is_self

# The version of the data-processing text a volunteer accepts (templates/volunteers/_consent.html).
DATA_CONSENT_VERSION = "2026-11"
MAX_REASON_LENGTH = 1000


class VolunteerError(Exception):
    """A change that is not allowed; ``str()`` says why, in the interface language."""


class TransitionError(VolunteerError):
    """A status move that is illegal from the current status, or not this actor's to make."""


class NotPermittedError(TransitionError):
    """The actor may not make this change to this volunteer."""


class OrganisationChangeError(VolunteerError):
    """An approved volunteer cannot move themselves to another organisation."""


@dataclass
class Profile:
    """What a volunteer tells about themselves; the web form, the importer and the edit page fill it."""

    first_name: str
    last_name: str
    phone: str | None
    postcode: str | None
    birth_year: int | None
    gender: str | None
    organisation_id: int | None
    languages: dict[str, str]
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    capacity: int = 1
    about: str = ""
    language: str = "da"


@dataclass
class Consents:
    data_processing: bool
    conduct: bool
    child_certificate: bool


# --- shared helpers -------------------------------------------------------------------------


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: PUBLIC_BASE_URL, never the request's Host header."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def notify(volunteer: Volunteer, template: str, **context: Any) -> None:
    """Queue an e-mail to the volunteer in their language (nothing once their data is erased)."""
    if volunteer.email is None:
        return
    queue_email(
        municipality_id=volunteer.municipality_id,
        to=volunteer.email,
        template=template,
        language=volunteer.language,
        context={"first_name": volunteer.first_name, "ref": volunteer.ref, **context},
    )


def apply_profile(volunteer: Volunteer, profile: Profile) -> None:
    """Copy ``profile`` onto ``volunteer``, changing only the list rows that differ."""
    volunteer.first_name = profile.first_name
    volunteer.last_name = profile.last_name
    volunteer.phone = profile.phone or None
    volunteer.postcode = profile.postcode
    volunteer.birth_year = profile.birth_year
    volunteer.gender = Gender(profile.gender) if profile.gender else None
    volunteer.organisation_id = profile.organisation_id
    volunteer.capacity = profile.capacity
    volunteer.about = profile.about or ""
    volunteer.language = profile.language

    # Rows are updated in place, not deleted and re-added: the unit of work inserts before it
    # deletes, so re-adding an unchanged code would collide with its own old row.
    wanted_languages = dict(profile.languages)
    for row in list(volunteer.languages):
        if row.code not in wanted_languages:
            volunteer.languages.remove(row)
        else:
            row.level = LanguageLevel(wanted_languages.pop(row.code))
    for code, level in wanted_languages.items():
        volunteer.languages.append(VolunteerLanguage(code=code, level=LanguageLevel(level)))

    wanted = {
        AttributeKind.SKILL: profile.skills,
        AttributeKind.INTEREST: profile.interests,
        AttributeKind.SCHEME: profile.schemes,
        AttributeKind.AVAILABILITY: profile.availability,
    }
    wanted_pairs = [(kind, code) for kind, codes in wanted.items() for code in dict.fromkeys(codes)]
    existing = {(row.kind, row.code): row for row in volunteer.attributes}
    for pair, row in existing.items():
        if pair not in wanted_pairs:
            volunteer.attributes.remove(row)
    for kind, code in wanted_pairs:
        if (kind, code) not in existing:
            volunteer.attributes.append(VolunteerAttribute(kind=kind, code=code))


def today() -> dt.date:
    """Today in Denmark (the date a Danish coordinator would write)."""
    return utcnow().astimezone(ZoneInfo("Europe/Copenhagen")).date()


def check_organisation(municipality_id: int, organisation_id: int | None) -> None:
    """Refuse an organisation that is not one of this municipality's partners."""
    if organisation_id is None:
        return
    organisation = db.session.execute(
        select(Organisation).where(Organisation.id == organisation_id).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if organisation is None or organisation.municipality_id != municipality_id:
        raise VolunteerError(_("The organisation you chose is not a partner here. Choose again."))


# --- the status state machine -----------------------------------------------------------------

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


def withdraw(volunteer: Volunteer, actor: User) -> Volunteer:
    """any status → withdrawn, by the volunteer themselves."""
    return move(volunteer, "withdraw", actor)


# --- profile and child certificate ------------------------------------------------------------


def update_profile(volunteer: Volunteer, actor: User, profile: Profile) -> Volunteer:
    """The volunteer edits their own profile; an application awaiting information goes back to review."""
    if not is_self(actor, volunteer):
        raise NotPermittedError(_("You may not do this for this volunteer."))
    if volunteer.is_erased:
        raise VolunteerError(_("This volunteer has deleted their data; nothing can be changed."))
    check_organisation(volunteer.municipality_id, profile.organisation_id)
    if profile.organisation_id != volunteer.organisation_id and volunteer.status not in (
        VolunteerStatus.PENDING,
        VolunteerStatus.NEEDS_INFORMATION,
    ):
        # The new organisation's coordinators never approved this person.
        raise OrganisationChangeError(
            _("Your organisation can only be changed before you are approved. Ask your coordinator.")
        )
    apply_profile(volunteer, profile)
    if volunteer.user is not None:
        volunteer.user.name = volunteer.name
    db.session.flush()
    record("volunteer.profile_updated", actor=actor, municipality_id=volunteer.municipality_id, obj=volunteer)
    if volunteer.status == VolunteerStatus.NEEDS_INFORMATION:
        resubmit(volunteer, actor)
    return volunteer


def record_child_certificate(
    volunteer: Volunteer,
    actor: User,
    state: ChildCertificateState,
    received_on: dt.date | None,
    organisation_id: int | None,
) -> Volunteer:
    """Record the børneattest's state; a received one needs its date, and the assessor is the actor."""
    if not can_manage(actor, volunteer):
        raise NotPermittedError(_("You may not do this for this volunteer."))
    if volunteer.is_erased:
        raise VolunteerError(_("This volunteer has deleted their data; nothing can be changed."))
    received = state in (ChildCertificateState.RECEIVED_OK, ChildCertificateState.RECEIVED_WITH_REMARKS)
    if received and received_on is None:
        raise VolunteerError(_("Enter the date the child certificate was received."))
    if received_on is not None and received_on > today():
        raise VolunteerError(_("The date received cannot be in the future."))
    if actor.role == Role.PARTNER_COORDINATOR and organisation_id not in (None, actor.organisation_id):
        raise NotPermittedError(_("You can only record certificates your own organisation obtained."))
    volunteer.child_certificate_state = state
    volunteer.child_certificate_received_on = received_on if received else None
    volunteer.child_certificate_assessed_by_id = actor.id if received else None
    volunteer.child_certificate_organisation_id = (
        organisation_id if state != ChildCertificateState.NOT_REQUESTED else None
    )
    db.session.flush()
    record(
        "volunteer.child_certificate",
        actor=actor,
        municipality_id=volunteer.municipality_id,
        obj=volunteer,
        state=state.value,
        received_on=received_on.isoformat() if received and received_on else None,
        organisation_id=volunteer.child_certificate_organisation_id,
    )
    return volunteer

"""Households and volunteers as the matcher sees them: conversions, active matches, exclusions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching.engine import types
from volunteer_hub.matching.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    EndReason,
    Match,
    MatchStatus,
    RejectedPair,
)
from volunteer_hub.volunteers.models import (
    ChildCertificateState,
    Volunteer,
)


def active_on(as_of: dt.date) -> object:
    """SQL condition: a match active on ``as_of`` (FORMATS.md), i.e. using up a place."""
    return (
        (Match.status != MatchStatus.PROPOSED)
        & (Match.started_on <= as_of)
        & or_(Match.ended_on.is_(None), Match.ended_on > as_of)
    )


def holds_place(as_of: dt.date) -> object:
    """SQL condition: a match that takes one of its volunteer's places on ``as_of`` or later.

    Approved or active, and not ended on or before ``as_of``. A pair approved for an announced
    household starts on its arrival, but reserves the place from the approval on: a place is
    open-ended, so giving it to someone else today would double-book the volunteer then.
    """
    return Match.status.in_(RUNNING_STATUSES) & or_(Match.ended_on.is_(None), Match.ended_on > as_of)


def did_not_work_out() -> object:
    """SQL condition: a match that ended as not working out; its pair is never proposed again."""
    return (Match.status == MatchStatus.ENDED) & (Match.end_reason == EndReason.DID_NOT_WORK_OUT)


def active_match_counts(
    municipality_id: int, as_of: dt.date, volunteer_ids: Iterable[int] | Select[tuple[int]] | None = None
) -> dict[int, int]:
    """Volunteer id -> number of places taken on ``as_of`` (``holds_place``; one grouped query).

    ``volunteer_ids``: only these volunteers, as ids or as a select of ids.
    """
    statement = (
        select(Match.volunteer_id, func.count(Match.id))
        .where(Match.municipality_id == municipality_id, holds_place(as_of))
        .group_by(Match.volunteer_id)
    )
    if isinstance(volunteer_ids, Select):
        statement = statement.where(Match.volunteer_id.in_(volunteer_ids))
    elif volunteer_ids is not None:
        statement = statement.where(Match.volunteer_id.in_(list(volunteer_ids)))
    return {volunteer_id: count for volunteer_id, count in db.session.execute(statement).all()}


def certificate_on(volunteer: Volunteer) -> dt.date | None:
    """The day a certificate without remarks was received; None for any other state."""
    if volunteer.child_certificate_state != ChildCertificateState.RECEIVED_OK:
        return None
    return volunteer.child_certificate_received_on


def to_matcher_volunteer(volunteer: Volunteer, active_matches: int) -> types.Volunteer:
    """One volunteer row (languages and attributes loaded) as the matcher sees it."""
    return types.Volunteer(
        ref=volunteer.ref,
        status=str(volunteer.status),
        gender=str(volunteer.gender) if volunteer.gender else None,
        postcode=volunteer.postcode,
        languages=volunteer.language_levels,
        skills=tuple(volunteer.skills),
        interests=tuple(volunteer.interests),
        schemes=tuple(volunteer.schemes),
        availability=tuple(volunteer.availability),
        capacity=volunteer.capacity,
        active_matches=active_matches,
        child_certificate_on=certificate_on(volunteer),
        first_name=volunteer.first_name,
    )


# --- Households ------------------------------------------------------------------------------


def household_load_options() -> list[object]:
    return [
        selectinload(Household.members),
        selectinload(Household.languages),
        selectinload(Household.schemes),
    ]


def to_matcher_household(household: Household, as_of: dt.date) -> types.Household:
    """A household (members, languages, schemes loaded) as the matcher sees it on ``as_of``.

    Children's ages come from their birth years; adults without work are adults not employed.
    """
    adults = household.adults
    return types.Household(
        ref=household.ref,
        postcode=household.postcode,
        languages=household.language_levels,
        interests=tuple(household.interests or ()),
        schemes=tuple(household.scheme_codes),
        availability=tuple(household.availability or ()),
        volunteer_gender=household.volunteer_gender or None,
        consent_on=household.consent_on,
        registered_on=household.registered_on,
        children_ages=tuple(household.children_ages(as_of)),
        adults=len(adults),
        adults_without_work=sum(1 for m in adults if not m.employed),
        arrives_on=household.first_arrival_on,
    )


def load_households(municipality_id: int, *, with_schemes_only: bool = True) -> list[Household]:
    """The municipality's households (asking for a scheme), with what the matcher needs, by ref."""
    statement = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(*household_load_options())
        .order_by(Household.registered_on, Household.ref)
    )
    households = list(db.session.execute(statement).scalars())
    return [h for h in households if h.schemes] if with_schemes_only else households


# --- Rule 7 and waiting requests -------------------------------------------------------------


def exclusions(
    municipality_id: int, *, household_id: int | None = None, ignore_match_id: int | None = None
) -> set[types.ExclusionKey]:
    """Pairs already matched (an open match), rejected, or whose match ended as not working
    out, as (household ref, volunteer ref, scheme)."""
    matched = (
        select(Household.ref, Volunteer.ref, Match.scheme)
        .join(Household, Household.id == Match.household_id)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(
            Match.municipality_id == municipality_id,
            Match.status.in_(OPEN_STATUSES) | did_not_work_out(),
        )
    )
    rejected = (
        select(Household.ref, Volunteer.ref, RejectedPair.scheme)
        .join(Household, Household.id == RejectedPair.household_id)
        .join(Volunteer, Volunteer.id == RejectedPair.volunteer_id)
        .where(RejectedPair.municipality_id == municipality_id)
    )
    if household_id is not None:
        matched = matched.where(Match.household_id == household_id)
        rejected = rejected.where(RejectedPair.household_id == household_id)
    if ignore_match_id is not None:
        matched = matched.where(Match.id != ignore_match_id)
    pairs = set(db.session.execute(matched).tuples()) | set(db.session.execute(rejected).tuples())
    return {(h, v, s) for h, v, s in pairs}


def active_requests(municipality_id: int, as_of: dt.date) -> set[tuple[int, str]]:
    """(household id, scheme) with a match holding a place on ``as_of`` (``holds_place``, so also
    a pair approved to start on an announced household's arrival): those requests do not wait."""
    rows = db.session.execute(
        select(Match.household_id, Match.scheme).where(
            Match.municipality_id == municipality_id, holds_place(as_of)
        )
    ).tuples()
    return set(rows)


def proposed_requests(municipality_id: int) -> set[tuple[int, str]]:
    """(household id, scheme) with a proposal awaiting approval: "proposed", not planned twice."""
    rows = db.session.execute(
        select(Match.household_id, Match.scheme).where(
            Match.municipality_id == municipality_id, Match.status == MatchStatus.PROPOSED
        )
    ).tuples()
    return set(rows)


def waiting_schemes(household: Household, active: set[tuple[int, str]]) -> list[str]:
    """The schemes the household asks for and has no active match in."""
    return [s for s in household.scheme_codes if (household.id, s) not in active]


# --- The pool, suggestions, "why not?" and the plan --------------------------------------------

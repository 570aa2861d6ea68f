"""Matching: suggestions and the manual form under a case, the plan, match pages, the volunteer's match.

Seeds, per partner organisation with a volunteer, an active match with a household of the
same municipality (owned by the volunteer's organisation: municipal staff and that
organisation's partner coordinators may see it), and an active match for the signed-in
volunteer of municipality A (only that volunteer sees it on "Min side").

Who may do what: suggestions, "why not" and the manual form are case routes (municipal
staff of the household's municipality; everyone else 404); the plan is for municipal staff;
match pages are for staff, partner coordinators only for their own organisation's volunteers
(404 else); the contact-card PDF is for municipal staff.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.security.harness import (
    MUNICIPAL_STAFF,
    SIGNED_IN,
    STAFF,
    VOLUNTEER,
    Owner,
    RecordParam,
    Route,
    World,
    account_owner,
    organisation_staff,
)
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.volunteers.models import Volunteer

ORDER = 25  # after volunteers (10) and families (20), whose records it pairs

PARAMS = {"match_id": RecordParam("match", organisation_staff)}

OWN_MATCH = RecordParam("own_match", account_owner)

# A pair form sent without a volunteer names no volunteer of the municipality: 404.
EMPTY_PAIR_FORM = {"POST": (302, 400, 404)}

ROUTES = [
    # Under a case: declared signed_in; everyone but municipal staff of the municipality gets 404.
    Route("matching.suggestions", SIGNED_IN),
    Route("matching.approve_suggestion", SIGNED_IN, ok=EMPTY_PAIR_FORM),
    Route("matching.propose_suggestion", SIGNED_IN, ok=EMPTY_PAIR_FORM),
    Route("matching.reject_suggestion", SIGNED_IN, ok=EMPTY_PAIR_FORM),
    Route("matching.manual", SIGNED_IN, ok={"GET": (200,), "POST": (400,)}),
    # The plan for the whole municipality
    Route("matching.plan", MUNICIPAL_STAFF),
    Route("matching.approve_planned", MUNICIPAL_STAFF, ok=EMPTY_PAIR_FORM),
    Route("matching.reject_planned", MUNICIPAL_STAFF, ok=EMPTY_PAIR_FORM),
    # Matches (partner coordinators: their own organisation's volunteers only)
    Route("matching.index", STAFF),
    Route("matching.detail", STAFF),
    Route("matching.approve", STAFF),
    Route("matching.activate", STAFF),
    Route("matching.end", STAFF, writes=("match.status",)),
    Route("matching.reject", STAFF),
    Route("matching.leisure_outcome", STAFF),
    Route(
        "matching.check_in",
        STAFF,
        params={"check_in_id": 2**31 - 1},
        ok={"POST": (404,)},
        note="the largest id never exists here; tests/matching check a real check-in's ownership",
    ),
    Route("matching.contact_card_pdf", MUNICIPAL_STAFF, ok={"GET": (200, 404)},
          note="404 while the match has no recorded card"),  # fmt: skip
    # The volunteer's own match
    Route("matching.my_match", VOLUNTEER, params={"match_id": OWN_MATCH}),
]


def _active_match(world: World, municipality_key: str, volunteer_id: int, household_id: int) -> Match:
    match = Match(
        municipality_id=world.municipality_ids[municipality_key],
        household_id=household_id,
        volunteer_id=volunteer_id,
        organisation_id=db.session.get(Volunteer, volunteer_id).organisation_id,
        scheme="friend_buddy",
        status=MatchStatus.ACTIVE,
        source=MatchSource.MANUAL,
        started_on=dt.date(2026, 1, 10),
    )
    db.session.add(match)
    db.session.flush()
    return match


def seed(world: World) -> None:
    households = {record.owner.municipality: record.id for record in world.records.get("household", [])}
    seen: set[str | None] = set()
    for record in world.records.get("volunteer", []):
        owner = record.owner
        if owner.organisation in seen or owner.municipality not in households:
            continue
        seen.add(owner.organisation)
        match = _active_match(world, owner.municipality, record.id, households[owner.municipality])
        world.add_record("match", match.id, Owner(owner.municipality, owner.organisation))
    viewer = world.viewers.get("volunteer")
    if viewer is not None and "A" in households:
        own = db.session.execute(
            sa.select(Volunteer.id).where(Volunteer.user_id == viewer.user_id)
        ).scalar_one_or_none()
        if own is not None:
            match = _active_match(world, "A", own, households["A"])
            world.add_record("own_match", match.id, Owner("A", None, viewer.user_id))

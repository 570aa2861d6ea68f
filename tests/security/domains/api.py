"""The JSON API and the pages where staff manage their API tokens.

The domain endpoints (volunteers, households, suggestions, matches, the quarterly report)
need volunteer, household and match records. The domains' own files seed those with their
canaries; ``seed`` here runs last (ORDER) and adds minimal ones only for kinds no other
domain seeded, so the API's rows of the matrix can run on their own.
"""

from __future__ import annotations

import datetime as dt

from tests.security.harness import (
    ADMIN,
    MUNICIPAL_STAFF,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    Owner,
    RecordParam,
    Route,
    World,
    account_owner,
    everyone,
    municipal_staff,
    organisation_staff,
)
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.volunteers.models import VolunteerStatus

ORDER = 1000  # after every domain that seeds volunteers, households or matches

VOLUNTEER = RecordParam("volunteer", organisation_staff)
HOUSEHOLD = RecordParam("household", municipal_staff)
MATCH = RecordParam("match", organisation_staff)  # owned by the volunteer's organisation

PARAMS = {
    "token_id": RecordParam("api_token", account_owner),
}

ROUTES = [
    # Token pages
    Route("api_tokens.index", STAFF),
    Route("api_tokens.create", STAFF, reauth=True),
    Route("api_tokens.revoke", STAFF),
    # The API (bearer token only; volunteers have no tokens, so they get 401)
    Route("api-docs.openapi_json", PUBLIC),
    Route("api_account.me", SIGNED_IN),
    Route("api_account.update_me", SIGNED_IN, ok={"PATCH": (422,)}, note="an empty body lacks the name"),
    Route("api_organisations.list_partner_organisations", STAFF),
    Route(
        "api_audit.list_audit_events",
        ADMIN,
        # Any user's history may be asked for; another municipality's simply has no events here.
        query={"object_type": "user_account", "object_id": RecordParam("user", everyone)},
    ),
    # Volunteers (partner coordinators: their organisation's only)
    Route("api_volunteers.list_volunteers", STAFF),
    Route("api_volunteers.get_volunteer", STAFF, params={"volunteer_id": VOLUNTEER}),
    Route(
        "api_volunteers.transition_volunteer",
        STAFF,
        params={"volunteer_id": VOLUNTEER},
        ok={"POST": (422,)},
        note="an empty body lacks the action",
    ),
    # Family cases (municipal staff; 404 for everyone else on a case)
    Route("api_households.list_households", MUNICIPAL_STAFF),
    Route("api_households.get_household", SIGNED_IN, params={"household_id": HOUSEHOLD}),
    Route("api_matching.household_suggestions", SIGNED_IN, params={"household_id": HOUSEHOLD}),
    Route(
        "api_matching.propose_match",
        SIGNED_IN,
        params={"household_id": HOUSEHOLD},
        ok={"POST": (422,)},
        note="an empty body lacks the volunteer and the scheme",
    ),
    # Matches (partner coordinators: their organisation's volunteers' only)
    Route("api_matching.list_matches", STAFF),
    Route(
        "api_matching.approve_match",
        STAFF,
        params={"match_id": MATCH},
        ok={"POST": (200, 409)},
        note="the first approval may pass or break a rule; later ones find it changed",
    ),
    Route("api_matching.reject_match", STAFF, params={"match_id": MATCH}, ok={"POST": (422,)}),
    Route("api_matching.end_match", STAFF, params={"match_id": MATCH}, ok={"POST": (422,)}),
    # The quarterly report (partner coordinators: their organisation's)
    Route("api_reports.quarterly_report", STAFF),
]


def seed(world: World) -> None:
    """Volunteers in A1, A2 and B1, a household in A and in B, a proposal per volunteer; each
    only if no domain seeded that kind (names are canaries)."""
    from tests.factories import make_household, make_volunteer

    municipalities = {key: db.session.get(Municipality, mid) for key, mid in world.municipality_ids.items()}
    volunteers: list[tuple[int, Owner]] = []
    if "volunteer" not in world.records:
        for organisation_key in ("A1", "A2", "B1"):
            municipality_key = organisation_key[0]
            owner = Owner(municipality_key, organisation_key)
            volunteer = make_volunteer(
                municipalities[municipality_key],
                organisation=db.session.get(Organisation, world.organisation_ids[organisation_key]),
                status=VolunteerStatus.APPROVED,
                first_name=world.add_canary(
                    world.marker("volunteer.first_name"), "volunteer.first_name", owner, organisation_staff
                ),
                schemes=["friend_buddy"],
            )
            world.add_record("volunteer", volunteer.id, owner)
            volunteers.append((volunteer.id, owner))
    households: dict[str, int] = {}
    if "household" not in world.records:
        for municipality_key in ("A", "B"):
            owner = Owner(municipality_key)
            household = make_household(
                municipalities[municipality_key],
                name=world.add_canary(
                    world.marker("household.name"), "household.name", owner, municipal_staff
                ),
                schemes=["friend_buddy"],
                registered_on=dt.date(2026, 1, 5),
                consent_on=dt.date(2026, 1, 5),
            )
            world.add_record("household", household.id, owner)
            households[municipality_key] = household.id
    if "match" not in world.records and volunteers and households:
        for volunteer_id, owner in volunteers:
            match = Match(
                municipality_id=world.municipality_ids[owner.municipality],
                household_id=households[owner.municipality],
                volunteer_id=volunteer_id,
                organisation_id=world.organisation_ids[owner.organisation or ""],
                scheme="friend_buddy",
                status=MatchStatus.PROPOSED,
                source=MatchSource.MANUAL,
            )
            db.session.add(match)
            db.session.flush()
            world.add_record("match", match.id, owner)

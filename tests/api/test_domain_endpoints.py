"""The domain endpoints: volunteers, households, suggestions, matches and the quarterly report.

Each is reached only by the roles the pages allow, only for the caller's own records (a
partner coordinator: their organisation's; anyone: their municipality's), answers refused
changes with 409 problem details carrying the service's message, and validation errors
with 422 problem details, never a 500.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.conftest import bearer
from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.extensions import db
from volunteer_hub.matching import workflow
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import Volunteer, VolunteerStatus

PROBLEM = "application/problem+json"


@pytest.fixture
def world(app, staff, glostrup):
    """Volunteers of both Glostrup organisations and none; households; an approved and a proposed match."""
    with app.app_context():
        municipality = glostrup.municipality
        albertslund = db.session.get(Municipality, staff.albertslund_id)
        red_cross = glostrup.red_cross
        coordinator = glostrup.coordinator
        ours = volunteer(
            municipality, organisation=red_cross, status=VolunteerStatus.PENDING, first_name="Rikke"
        )
        theirs = volunteer(municipality, organisation=glostrup.refugee_council, first_name="Vibeke")
        matched = volunteer(municipality, organisation=red_cross, first_name="Maja", capacity=2)
        independent = volunteer(municipality, first_name="Ida")
        elsewhere = volunteer(albertslund, status=VolunteerStatus.PENDING, first_name="Alberte")
        waiting = household(municipality, name="Waiting-Haile family")
        approved = workflow.create_manual_match(
            household(municipality, name="Matched-Tesfay family"),
            matched,
            "friend_buddy",
            actor=coordinator,
            on=TODAY,
        )
        proposed_household = household(municipality, name="Proposed-Kidane family")
        proposed = workflow.propose_match(
            proposed_household, theirs, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION
        )
        other_household = household(albertslund, name="Albertslund family")
        read_only = tokens.create_token(coordinator, name="read only", scopes=["read"]).secret
        staff.volunteer_ids = {
            "ours": ours.id,
            "theirs": theirs.id,
            "matched": matched.id,
            "independent": independent.id,
            "elsewhere": elsewhere.id,
        }
        staff.household_ids = {
            "waiting": waiting.id,
            "proposed": proposed_household.id,
            "elsewhere": other_household.id,
        }
        staff.match_ids = {"approved": approved.id, "proposed": proposed.id}
        staff.secrets["read_only"] = read_only
        db.session.commit()
    return staff


def _get(client, url, who, world):
    return client.get(url, headers=bearer(world.secrets[who]))


def _post(client, url, who, world, json=None):
    return client.post(url, json=json if json is not None else {}, headers=bearer(world.secrets[who]))


def _events(app, action):
    with app.app_context():
        return list(db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


# --- volunteers ---------------------------------------------------------------------------------


def test_volunteer_list_holds_only_what_the_caller_may_see(client, world):
    everyone = _get(client, "/api/v1/volunteers", "coordinator", world).get_json()
    assert everyone["total"] == 4 and everyone["page"] == 1 and everyone["page_size"] == 25
    assert {v["first_name"] for v in everyone["items"]} == {"Rikke", "Vibeke", "Maja", "Ida"}
    partner = _get(client, "/api/v1/volunteers", "partner", world).get_json()
    assert {v["first_name"] for v in partner["items"]} == {"Rikke", "Maja"}
    assert all(
        v["organisation"] == {"id": world.red_cross_id, "name": "Røde Kors Glostrup"}
        for v in partner["items"]
    )
    other = _get(client, "/api/v1/volunteers", "other_admin", world).get_json()
    assert [v["first_name"] for v in other["items"]] == ["Alberte"]
    assert client.get("/api/v1/volunteers").status_code == 401


def test_volunteer_list_filters_and_pages(client, world):
    pending = _get(client, "/api/v1/volunteers?status=pending", "coordinator", world).get_json()
    assert [v["first_name"] for v in pending["items"]] == ["Rikke"] and pending["items"][0][
        "status"
    ] == "pending"
    by_org = _get(client, f"/api/v1/volunteers?organisation={world.red_cross_id}", "admin", world).get_json()
    assert {v["first_name"] for v in by_org["items"]} == {"Rikke", "Maja"}
    page = _get(client, "/api/v1/volunteers?page=2&page_size=3", "coordinator", world).get_json()
    assert page["total"] == 4 and len(page["items"]) == 1
    bad = _get(client, "/api/v1/volunteers?status=famous&page_size=1000&organisation=x", "coordinator", world)
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert set(bad.get_json()["errors"]) == {"status", "page_size", "organisation"}


def test_reading_a_volunteer_follows_the_pages_rules(client, world):
    ours = world.volunteer_ids["ours"]
    body = _get(client, f"/api/v1/volunteers/{ours}", "partner", world).get_json()
    assert (
        body["first_name"] == "Rikke"
        and body["status"] == "pending"
        and body["email"].endswith("@example.dk")
    )
    assert (
        _get(client, f"/api/v1/volunteers/{world.volunteer_ids['theirs']}", "partner", world).status_code
        == 404
    )
    assert _get(client, f"/api/v1/volunteers/{ours}", "other_admin", world).status_code == 404
    assert _get(client, f"/api/v1/volunteers/{ours}", "coordinator", world).status_code == 200
    missing = _get(client, "/api/v1/volunteers/999999", "coordinator", world)
    assert missing.status_code == 404 and missing.mimetype == PROBLEM
    assert client.get(f"/api/v1/volunteers/{ours}").status_code == 401


def test_a_partner_coordinator_approves_their_organisations_volunteer_and_it_is_audited(app, client, world):
    url = f"/api/v1/volunteers/{world.volunteer_ids['ours']}/transitions"
    response = _post(client, url, "partner", world, {"action": "approve"})
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    [event] = _events(app, "volunteer.approve")
    assert event.actor_user_id == world.ids["partner"]
    assert event.details == {"from_status": "pending", "to_status": "approved"}
    # Approving again is refused by the state machine, with its message, as 409.
    again = _post(client, url, "partner", world, {"action": "approve"})
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert (
        "approved" in again.get_json()["detail"].lower() or "godkendt" in again.get_json()["detail"].lower()
    )


def test_transitions_refused_for_others_and_invalid_input(app, client, world):
    theirs = f"/api/v1/volunteers/{world.volunteer_ids['theirs']}/transitions"
    assert _post(client, theirs, "partner", world, {"action": "suspend", "reason": "x"}).status_code == 404
    assert _post(client, theirs, "other_admin", world, {"action": "pause"}).status_code == 404
    assert _post(client, theirs, "read_only", world, {"action": "pause"}).status_code == 403
    assert client.post(theirs, json={"action": "pause"}).status_code == 401
    no_reason = _post(client, theirs, "coordinator", world, {"action": "suspend"})
    assert no_reason.status_code == 422 and set(no_reason.get_json()["errors"]) == {"reason"}
    for body in ({"action": "withdraw"}, {"action": "fly"}, {}, {"action": "pause", "status": "approved"}):
        refused = _post(client, theirs, "coordinator", world, body)
        assert refused.status_code == 422 and refused.mimetype == PROBLEM, body
    # Nothing changed, and nothing was audited.
    with app.app_context():
        assert db.session.get(Volunteer, world.volunteer_ids["theirs"]).status == VolunteerStatus.APPROVED
    assert _events(app, "volunteer.suspend") == [] and _events(app, "volunteer.pause") == []
    done = _post(client, theirs, "coordinator", world, {"action": "suspend", "reason": "Ikke mødt op"})
    assert done.status_code == 200 and done.get_json()["status"] == "suspended"


# --- households --------------------------------------------------------------------------------


def test_households_are_for_municipal_staff_only(app, client, world):
    listed = _get(client, "/api/v1/households", "coordinator", world).get_json()
    assert listed["total"] == 3
    assert {h["name"] for h in listed["items"]} == {
        "Waiting-Haile family",
        "Matched-Tesfay family",
        "Proposed-Kidane family",
    }
    assert "phone" not in listed["items"][0]
    assert _get(client, "/api/v1/households", "partner", world).status_code == 403
    waiting = world.household_ids["waiting"]
    case = _get(client, f"/api/v1/households/{waiting}", "admin", world)
    assert case.status_code == 200
    body = case.get_json()
    assert body["name"] == "Waiting-Haile family" and body["schemes"] == ["friend_buddy"]
    assert body["members"][0]["name"] == "Senait Haile" and body["languages"][0] == {
        "language": "ti",
        "level": "native",
    }
    read = [
        e.object_id
        for e in _events(app, "family.viewed")
        if e.details["endpoint"] != "api_households.list_households"
    ]
    assert read == [waiting]  # the list recorded its own (tests/audit/test_case_reads.py)
    assert _get(client, f"/api/v1/households/{waiting}", "partner", world).status_code == 404
    assert _get(client, f"/api/v1/households/{waiting}", "other_admin", world).status_code == 404
    assert (
        _get(client, f"/api/v1/households/{world.household_ids['elsewhere']}", "admin", world).status_code
        == 404
    )
    assert client.get(f"/api/v1/households/{waiting}").status_code == 401


# --- suggestions and matches -------------------------------------------------------------------


def test_suggestions_rank_volunteers_with_a_reason_per_factor(client, world):
    url = f"/api/v1/households/{world.household_ids['waiting']}/suggestions"
    body = _get(client, url + "?scheme=friend_buddy&top=5", "coordinator", world).get_json()
    assert body["household_id"] == world.household_ids["waiting"] and body["scheme"] == "friend_buddy"
    names = [s["volunteer"]["name"] for s in body["suggestions"]]
    assert names and "Rikke Jensen" not in names  # pending volunteers are never suggested
    first = body["suggestions"][0]
    assert first["reasons"] and all(
        {"factor", "weight", "value", "contribution", "text"} <= set(r) for r in first["reasons"]
    )
    assert first["score"] == pytest.approx(sum(r["contribution"] for r in first["reasons"]), abs=1e-6)
    assert _get(client, url, "coordinator", world).get_json()["scheme"] == "friend_buddy"  # the default
    not_asked = _get(client, url + "?scheme=family_buddy", "coordinator", world)
    assert not_asked.status_code == 404 and "friend_buddy" in not_asked.get_json()["detail"]
    unknown = _get(client, url + "?scheme=astronaut", "coordinator", world)
    assert unknown.status_code == 422 and set(unknown.get_json()["errors"]) == {"scheme"}
    assert _get(client, url + "?top=0", "coordinator", world).status_code == 422
    assert _get(client, url, "partner", world).status_code == 404
    assert _get(client, url, "other_admin", world).status_code == 404


def test_match_list_is_scoped_to_the_callers_organisation(client, world):
    everyone = _get(client, "/api/v1/matches", "coordinator", world).get_json()
    assert {m["id"] for m in everyone["items"]} == set(world.match_ids.values())
    partner = _get(client, "/api/v1/matches?status=all", "partner", world).get_json()
    assert [m["id"] for m in partner["items"]] == [world.match_ids["approved"]]
    assert (
        partner["items"][0]["volunteer"]["name"] == "Maja Jensen"
        and partner["items"][0]["status"] == "approved"
    )
    proposed = _get(client, "/api/v1/matches?status=proposed", "admin", world).get_json()
    assert [m["id"] for m in proposed["items"]] == [world.match_ids["proposed"]]
    assert _get(client, "/api/v1/matches", "other_admin", world).get_json()["total"] == 0
    assert _get(client, "/api/v1/matches?status=maybe", "admin", world).status_code == 422


def test_approving_a_proposal_and_approving_it_twice(app, client, world):
    url = f"/api/v1/matches/{world.match_ids['proposed']}/approve"
    assert _post(client, url, "partner", world).status_code == 404  # another organisation's volunteer
    assert _post(client, url, "other_admin", world).status_code == 404
    assert _post(client, url, "read_only", world).status_code == 403
    approved = _post(client, url, "coordinator", world)
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert approved.get_json()["started_on"] == TODAY.isoformat()
    approvals = [e for e in _events(app, "match.approved") if e.object_id == world.match_ids["proposed"]]
    assert [e.actor_user_id for e in approvals] == [world.ids["coordinator"]]
    again = _post(client, url, "coordinator", world)
    assert again.status_code == 409 and again.mimetype == PROBLEM and again.get_json()["detail"]


def test_rejecting_a_pair_needs_a_reason_and_ends_the_proposal(app, client, world):
    url = f"/api/v1/matches/{world.match_ids['proposed']}/reject"
    for body in ({}, {"reason": "   "}, {"reason": "x" * 2001}):
        refused = _post(client, url, "coordinator", world, body)
        assert refused.status_code == 422 and refused.mimetype == PROBLEM, body
    done = _post(client, url, "coordinator", world, {"reason": "Familien ønskede en anden"})
    assert done.status_code == 200 and done.get_json()["status"] == "ended"
    assert len(_events(app, "match.pair_rejected")) == 1
    assert _post(client, url, "coordinator", world, {"reason": "igen"}).status_code == 409
    # A running match is ended, not rejected.
    running = f"/api/v1/matches/{world.match_ids['approved']}/reject"
    assert _post(client, running, "partner", world, {"reason": "nej"}).status_code == 409


def test_ending_a_match_with_a_reason(app, client, world):
    url = f"/api/v1/matches/{world.match_ids['approved']}/end"
    assert _post(client, url, "coordinator", world, {"reason": "bored"}).status_code == 422
    other_without_note = _post(client, url, "partner", world, {"reason": "other"})
    assert other_without_note.status_code == 409 and other_without_note.mimetype == PROBLEM
    ended = _post(client, url, "partner", world, {"reason": "completed", "note": "Godt forløb"})
    assert ended.status_code == 200 and ended.get_json()["end_reason"] == "completed"
    with app.app_context():
        assert db.session.get(Match, world.match_ids["approved"]).status == MatchStatus.ENDED
    assert [e.details["reason"] for e in _events(app, "match.ended")] == ["completed"]
    assert _post(client, url, "partner", world, {"reason": "completed"}).status_code == 409
    assert _post(client, url, "other_admin", world, {"reason": "completed"}).status_code == 404


# --- the quarterly report ------------------------------------------------------------------------


def test_quarterly_report_for_staff_and_partner_coordinators_own_organisation(client, world):
    year = TODAY.year - 1
    whole = _get(client, f"/api/v1/reports/quarterly?year={year}&quarter=4", "coordinator", world)
    assert whole.status_code == 200
    body = whole.get_json()
    assert body["period"]["year"] == year and body["period"]["quarter"] == 4 and body["organisation"] is None
    assert {"volunteers", "matches", "reached", "language_gap", "change_from_previous_quarter"} <= set(body)
    own = _get(client, "/api/v1/reports/quarterly", "partner", world).get_json()
    assert own["organisation"] == "Røde Kors Glostrup"
    mine = f"/api/v1/reports/quarterly?organisation={world.red_cross_id}"
    assert _get(client, mine, "partner", world).status_code == 200
    assert _get(client, mine, "other_admin", world).status_code == 404
    assert (
        _get(
            client, f"/api/v1/reports/quarterly?organisation={world.red_cross_id + 1}", "partner", world
        ).status_code
        == 404
    )
    assert (
        _get(client, f"/api/v1/reports/quarterly?year={TODAY.year + 1}&quarter=1", "admin", world).status_code
        == 404
    )
    assert _get(client, "/api/v1/reports/quarterly?year=2020", "admin", world).status_code == 404
    for bad in ("year=2020&quarter=5", "year=abc&quarter=1", "organisation=0"):
        refused = _get(client, f"/api/v1/reports/quarterly?{bad}", "admin", world)
        assert refused.status_code == 422 and refused.mimetype == PROBLEM, bad
    assert client.get("/api/v1/reports/quarterly").status_code == 401


def test_a_record_the_caller_may_not_see_is_404_whatever_the_body(client, world):
    """The body is validated only for records the caller may act on: no hint that an id exists."""
    theirs = f"/api/v1/volunteers/{world.volunteer_ids['theirs']}/transitions"
    assert _post(client, theirs, "partner", world, {"action": "fly"}).status_code == 404
    proposed = world.match_ids["proposed"]
    assert _post(client, f"/api/v1/matches/{proposed}/reject", "partner", world, {}).status_code == 404
    assert _post(client, f"/api/v1/matches/{proposed}/end", "other_admin", world, {}).status_code == 404
    assert _post(client, f"/api/v1/matches/{proposed}/end", "admin", world, {}).status_code == 422


def test_an_id_beyond_any_database_integer_is_404_not_a_crash(client, world):
    for url in ("/api/v1/volunteers/2147483648", "/api/v1/households/99999999999999999999/suggestions"):
        response = _get(client, url, "admin", world)
        assert response.status_code == 404 and response.mimetype == PROBLEM, url
    # The app's id converter (issue 18) refuses such an id while routing, before any token is
    # looked at: a 404 names nothing, whoever asks.
    anonymous = client.get("/api/v1/volunteers/2147483648")
    assert anonymous.status_code == 404 and anonymous.mimetype == PROBLEM
    refused = _get(client, "/api/v1/volunteers?colour=blue", "admin", world)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"colour"}


def test_partner_coordinators_get_small_figures_hidden_as_on_their_report_page(client, world):
    """Two Red Cross volunteers registered in 2026 Q3: exact for municipal staff, null for the partner."""
    url = f"/api/v1/reports/quarterly?year=2026&quarter=3&organisation={world.red_cross_id}"
    exact = _get(client, url, "coordinator", world).get_json()
    assert exact["volunteers"]["registered"] == 2
    hidden = _get(client, url, "partner", world).get_json()
    assert hidden["volunteers"]["registered"] is None
    assert hidden["volunteers"]["active"] == 0 and hidden["period"] == exact["period"]  # 0 identifies nobody

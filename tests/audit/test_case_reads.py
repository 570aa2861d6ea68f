"""Every page, PDF and API answer that shows a household's personal data writes ``family.viewed``
for that household and the user who saw it; fetching a household alone writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.matching.factories import TODAY, household, volunteer
from tests.support import Login, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.extensions import db
from volunteer_hub.families.access import get_household_or_404
from volunteer_hub.families.models import Household, Housing, SharedUnit
from volunteer_hub.matching import workflow


@dataclass
class World:
    coordinator: Login
    coordinator_id: int
    volunteer: Login
    volunteer_user_id: int
    waiting_id: int
    matched_id: int
    match_id: int
    member_id: int
    api_secret: str


@pytest.fixture
def world(app, glostrup) -> World:
    """In Glostrup, a waiting household living in a shared unit, and a matched one with its contact
    cards sent."""
    with app.app_context():
        municipality = glostrup.municipality
        coordinator = glostrup.coordinator
        waiting = household(municipality, name="Waiting-Haile family")
        matched = household(municipality, name="Matched-Tesfay family")
        volunteer(municipality, first_name="Anna")
        senait = volunteer(municipality, first_name="Senait", with_account=True)
        match = workflow.create_manual_match(matched, senait, "friend_buddy", actor=coordinator, on=TODAY)
        unit = SharedUnit(municipality_id=municipality.id, name="Vestergården")
        db.session.add(Housing(household=waiting, shared_unit=unit))
        secret = tokens.create_token(coordinator, name="reads", scopes=["read"]).secret
        db.session.commit()
        return World(
            glostrup.coordinator_login,
            coordinator.id,
            Login(senait.user),
            senait.user.id,
            waiting.id,
            matched.id,
            match.id,
            waiting.members[0].id,
            secret,
        )


def _viewed(app) -> list[tuple[int, int, str]]:
    """(household id, user id, endpoint) of every family.viewed event so far."""
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "family.viewed").order_by(AuditEvent.id)
        ).scalars()
        return [(e.object_id, e.actor_user_id, e.details["endpoint"]) for e in events]


def _reads_of(app, client, path: str, **kwargs) -> set[tuple[int, int]]:
    """Fetch ``path`` (200 expected): the (household, user) pairs its answer recorded as viewed."""
    before = len(_viewed(app))
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    events = _viewed(app)[before:]
    assert all(e[2] == events[0][2] for e in events)  # one endpoint: this answer's
    return {(household_id, user_id) for household_id, user_id, _ in events}


def _case_paths(world: World) -> list[str]:
    case = f"/familier/{world.waiting_id}"
    return [
        case,
        case + "/oplysninger",
        case + "/modtagelse",
        case + "/bolig",
        case + "/fritid",
        case + "/medlemmer/ny",
        case + f"/medlemmer/{world.member_id}",
        case + "/velkomstbrev",
        case + "/velkomstbrev/brev",
        case + "/velkomstbrev.pdf",
        case + "/forslag",
        case + "/manuel",
    ]


def test_each_case_page_and_sub_page_records_the_household_and_the_coordinator(app, client, world):
    login_as(client, world.coordinator)
    for path in _case_paths(world):
        assert _reads_of(app, client, path) == {(world.waiting_id, world.coordinator_id)}, path


def test_match_pages_and_the_contact_card_record_the_matched_household(app, client, world):
    login_as(client, world.coordinator)
    shown = {(world.matched_id, world.coordinator_id)}
    assert _reads_of(app, client, f"/matching/{world.match_id}") == shown
    assert _reads_of(app, client, f"/matching/{world.match_id}/kontaktkort.pdf") == shown
    assert _reads_of(app, client, "/matching/?status=all") == shown  # the list names the household


def test_the_volunteers_own_match_page_records_the_household_for_the_volunteer(app, client, world):
    login_as(client, world.volunteer)
    shown = _reads_of(app, client, f"/min-side/match/{world.match_id}")
    assert shown == {(world.matched_id, world.volunteer_user_id)}


def test_lists_record_every_household_they_show(app, client, world):
    login_as(client, world.coordinator)
    both = {(world.waiting_id, world.coordinator_id), (world.matched_id, world.coordinator_id)}
    assert _reads_of(app, client, "/familier/") == both
    assert _reads_of(app, client, "/matching/plan") == {(world.waiting_id, world.coordinator_id)}
    assert _reads_of(app, client, "/familier/bofaellesskaber") == {(world.waiting_id, world.coordinator_id)}


def test_the_api_records_the_households_it_lists_and_the_one_it_reads(app, client, world):
    auth = {"headers": {"Authorization": f"Bearer {world.api_secret}"}}
    both = {(world.waiting_id, world.coordinator_id), (world.matched_id, world.coordinator_id)}
    assert _reads_of(app, client, "/api/v1/households", **auth) == both
    one = _reads_of(app, client, f"/api/v1/households/{world.waiting_id}", **auth)
    assert one == {(world.waiting_id, world.coordinator_id)}
    suggestions = _reads_of(app, client, f"/api/v1/households/{world.waiting_id}/suggestions", **auth)
    assert suggestions == {(world.waiting_id, world.coordinator_id)}


def test_fetching_a_household_records_nothing(app, world):
    with app.test_request_context(f"/familier/{world.waiting_id}"), app.app_context():
        from volunteer_hub.auth.models import User

        user = db.session.get(User, world.coordinator_id)
        assert get_household_or_404(world.waiting_id, for_user=user).id == world.waiting_id
        db.session.commit()
    assert _viewed(app) == []


def test_the_overview_records_every_household_it_shows(app, client, world):
    login_as(client, world.coordinator)
    before = len(_viewed(app))
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    events = _viewed(app)[before:]
    assert {endpoint for _, _, endpoint in events} == {"home.index"}
    recorded = {(household_id, user_id) for household_id, user_id, _ in events}
    assert (world.waiting_id, world.coordinator_id) in recorded  # in the list of households waiting
    with app.app_context():
        refs = {hid: db.session.get(Household, hid).ref for hid in (world.waiting_id, world.matched_id)}
    for household_id, ref in refs.items():
        assert ((household_id, world.coordinator_id) in recorded) == (ref in page), ref

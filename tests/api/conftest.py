"""Helpers for API tests: staff with tokens."""

from __future__ import annotations

import pytest

from tests.factories import make_municipality, make_organisation, make_user
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db


@pytest.fixture
def staff(app, glostrup):
    """Glostrup (its admin, coordinator and two organisations) with a Røde Kors partner coordinator
    and a volunteer's account, Albertslund with one organisation and an admin; tokens for staff."""

    class Staff:
        pass

    with app.app_context():
        municipality = glostrup.municipality
        albertslund = make_municipality("0165", "Albertslund Kommune")
        make_organisation(albertslund, "Røde Kors Albertslund")
        people = Staff()
        people.admin = glostrup.admin
        people.coordinator = glostrup.coordinator
        people.partner = make_user(
            municipality, Role.PARTNER_COORDINATOR, organisation=glostrup.red_cross, email="p@rk.dk"
        )
        people.other_admin = make_user(albertslund, Role.ADMIN, email="admin@albertslund.dk")
        people.volunteer = make_user(municipality, Role.VOLUNTEER, email="vol@example.dk")
        people.secrets = {
            name: tokens.create_token(
                getattr(people, name), name=f"{name} key", scopes=["read", "write"]
            ).secret
            for name in ("admin", "coordinator", "partner", "other_admin")
        }
        people.ids = {
            name: getattr(people, name).id
            for name in ("admin", "coordinator", "partner", "other_admin", "volunteer")
        }
        people.glostrup_id, people.albertslund_id = glostrup.municipality_id, albertslund.id
        people.red_cross_id = glostrup.red_cross_id
        db.session.commit()
    return people


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}

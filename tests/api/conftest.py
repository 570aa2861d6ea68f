"""Helpers for API tests: staff with tokens."""

from __future__ import annotations

import pytest

from tests.support import make_municipality, make_organisation, make_user
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db


@pytest.fixture
def staff(app):
    """Glostrup with two organisations, Albertslund with one; an admin, coordinators and tokens."""

    class Staff:
        pass

    with app.app_context():
        glostrup = make_municipality()
        albertslund = make_municipality("0165", "Albertslund Kommune")
        red_cross = make_organisation(glostrup, "Røde Kors Glostrup")
        make_organisation(glostrup, "Venligboerne Glostrup")
        make_organisation(albertslund, "Røde Kors Albertslund")
        people = Staff()
        people.admin = make_user(glostrup, Role.ADMIN, email="admin@glostrup.dk")
        people.coordinator = make_user(glostrup, Role.MUNICIPAL_COORDINATOR, email="mc@glostrup.dk")
        people.partner = make_user(
            glostrup, Role.PARTNER_COORDINATOR, organisation=red_cross, email="p@rk.dk"
        )
        people.other_admin = make_user(albertslund, Role.ADMIN, email="admin@albertslund.dk")
        people.volunteer = make_user(glostrup, Role.VOLUNTEER, email="vol@example.dk")
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
        people.glostrup_id, people.albertslund_id = glostrup.id, albertslund.id
        people.red_cross_id = red_cross.id
        db.session.commit()
    return people


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}

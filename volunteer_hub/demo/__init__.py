"""Demo data (``flask seed-demo``) and synthetic scale data (``flask seed-scale``), at the edge.

This package imports the domains' models and services; no domain imports it. ``seed_demo``
builds a realistic Glostrup to try the platform with, and is idempotent.
"""

from __future__ import annotations

from sqlalchemy import select

from volunteer_hub.auth.models import User
from volunteer_hub.auth.services import create_user
from volunteer_hub.core.roles import Role
from volunteer_hub.demo.families import seed_families
from volunteer_hub.demo.matching import seed_matches
from volunteer_hub.demo.volunteers import seed_demo_volunteers
from volunteer_hub.extensions import db
from volunteer_hub.letters import services as letters
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import ensure_municipality, ensure_organisation

GLOSTRUP_CODE = "0161"

PARTNERS = [
    ("Røde Kors Glostrup", "Den lokale afdeling af Dansk Røde Kors: besøgsvenner og flygtningeguider."),
    (
        "Dansk Flygtningehjælp Frivillignetværk Glostrup",
        "Frivilligt netværk: lektiehjælp, rådgivning, netværk.",
    ),
    ("Venligboerne Glostrup", "Borgere der byder nye naboer velkommen."),
    ("Glostrup Idrætsforening", "Sportsklub: fodbold, håndbold og svømning for alle aldre."),
]

# Demo accounts only: seed-demo refuses to run in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, refused in production
DEMO_USERS = [
    ("admin@glostrup.demo", "Anne Admin", Role.ADMIN, None),
    ("koordinator@glostrup.demo", "Mette Koordinator", Role.MUNICIPAL_COORDINATOR, None),
    ("rodekors@glostrup.demo", "Peter Røde Kors", Role.PARTNER_COORDINATOR, "Røde Kors Glostrup"),
]


def seed_demo() -> list[tuple[str, str]]:
    """Create Glostrup, its partners and one demo login per staff role; return the logins."""
    glostrup = ensure_municipality(GLOSTRUP_CODE, "Glostrup Kommune")
    organisations = {name: ensure_organisation(glostrup, name, description) for name, description in PARTNERS}
    logins = []
    for email, name, role, organisation in DEMO_USERS:
        exists = db.session.execute(
            select(User.id).where(User.email == email).execution_options(all_tenants=True)
        ).scalar_one_or_none()
        if exists is None:
            create_user(
                municipality_id=glostrup.id,
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                organisation_id=organisations[organisation].id if organisation else None,
            )
        logins.append((role.value, email))
    # Volunteers and households first: the matches are made between them.
    logins.extend(seed_demo_volunteers(glostrup, organisations, DEMO_PASSWORD))
    seed_families(glostrup)
    seed_matches(glostrup)
    _sign_letters(glostrup)
    return logins


def _sign_letters(municipality: Municipality) -> None:
    """Glostrup's demo signature (an invented name), unless a mayor's name is set already."""
    if not letters.get_letter_settings(municipality.id).mayor_name:
        letters.update_letter_settings(
            municipality.id, mayor_name="Hanne Demo Borgmester", signature_line="", actor=None
        )

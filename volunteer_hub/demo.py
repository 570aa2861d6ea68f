"""``flask seed-demo``: a realistic Glostrup to try the platform with. Idempotent."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from volunteer_hub.auth.models import Role, User
from volunteer_hub.auth.services import create_user
from volunteer_hub.extensions import db
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
    for seeder in current_app.extensions.get("vh_demo_seeders", []):
        logins.extend(seeder(glostrup, organisations) or [])
    return list(dict.fromkeys(logins))  # several seeders may name the same login


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the Glostrup demo data (safe to run again)."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not current_app.config.get("ALLOW_DEMO"):
        raise click.ClickException("seed-demo is for development; it refuses to run in production")
    logins = seed_demo()
    db.session.commit()
    click.echo("Demo data loaded. Sign in at http://127.0.0.1:5000/login with:")
    for role, email in logins:
        click.echo(f"  {role:<24} {email:<34} password: {DEMO_PASSWORD}")

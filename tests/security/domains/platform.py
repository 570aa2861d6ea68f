"""The platform: municipalities, organisations, accounts, sign-in, user administration.

Seeds the world every other domain builds on: municipality A (Glostrup, 0161) with
organisations A1 and A2, municipality B (0165) with B1 and B2; one viewer per role in A and
in B (partner coordinators in A1 and B1), staff viewers with a read+write API token; and
one partner-coordinator account per organisation as the target of user administration.
"""

from __future__ import annotations

import hashlib
import secrets

from tests.factories import PASSWORD
from tests.security.harness import (
    ADMIN,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    Owner,
    RecordParam,
    Route,
    Viewer,
    World,
    account_owner,
    administrators,
    any_of,
    nobody,
    same_municipality,
)
from volunteer_hub.auth import services, totp
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.auth.models import RecoveryCode, User
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import ensure_municipality, ensure_organisation

ORDER = 0

MUNICIPALITIES = {"A": "0161", "B": "0165"}
ORGANISATIONS = {"A1": "A", "A2": "A", "B1": "B", "B2": "B"}

# Names and e-mails of accounts: the person themself and their municipality's administrators.
PERSON = any_of(account_owner, administrators)

PARAMS = {
    "user_id": RecordParam("user", administrators),
}


def _account(world: World, municipality: str, organisation: str | None, role: Role) -> tuple[int, Owner]:
    email = world.email_marker()
    name = world.marker("user.name")
    user = services.create_user(
        municipality_id=world.municipality_ids[municipality],
        email=email,
        name=name,
        password=PASSWORD,
        role=role,
        organisation_id=world.organisation_ids[organisation] if organisation else None,
    )
    owner = Owner(municipality, organisation, user.id)
    world.add_canary(name, "user.name", owner, PERSON)
    world.add_canary(email, "user.email", owner, PERSON)
    world.add_canary(user.password_hash, "user.password_hash", owner, nobody)
    return user.id, owner


def _token(world: World, user_id: int, owner: Owner) -> str:
    user = db.session.get(User, user_id)
    assert user is not None
    issued = tokens.create_token(user, name=world.marker("api_token.name"), scopes=["read", "write"])
    world.add_canary(issued.token.name, "api_token.name", owner, account_owner)
    world.add_canary(issued.secret, "api_token.secret", owner, nobody)
    world.add_canary(issued.token.token_hash, "api_token.hash", owner, nobody)
    world.add_record("api_token", issued.token.id, owner)
    return issued.secret


def seed(world: World) -> None:
    for key, code in MUNICIPALITIES.items():
        name = world.marker("municipality.name")
        municipality = ensure_municipality(code, name)
        world.municipality_ids[key] = municipality.id
        world.add_canary(name, "municipality.name", Owner(key), same_municipality)
    for key, municipality_key in ORGANISATIONS.items():
        name, description = world.marker("organisation.name"), world.marker("organisation.description")
        municipality = db.session.get(Municipality, world.municipality_ids[municipality_key])
        organisation = ensure_organisation(municipality, name, description)
        world.organisation_ids[key] = organisation.id
        owner = Owner(municipality_key, key)
        world.add_canary(name, "organisation.name", owner, same_municipality)
        world.add_canary(description, "organisation.description", owner, same_municipality)

    for municipality_key, viewers in (("A", world.viewers), ("B", world.other_viewers)):
        viewers["anonymous"] = Viewer("anonymous", None)
        for role in ROLES:
            organisation = f"{municipality_key}1" if role == Role.PARTNER_COORDINATOR else None
            user_id, owner = _account(world, municipality_key, organisation, role)
            secret = _token(world, user_id, owner) if role != Role.VOLUNTEER else None
            viewers[role.value] = Viewer(role.value, role, municipality_key, organisation, user_id, secret)

    # The accounts user administration acts on: one partner coordinator per organisation,
    # enrolled in two-step sign-in, with a recovery code and a pending password-reset link.
    for organisation in ORGANISATIONS:
        user_id, owner = _account(world, ORGANISATIONS[organisation], organisation, Role.PARTNER_COORDINATOR)
        world.add_record("user", user_id, owner)
        user = db.session.get(User, user_id)
        assert user is not None
        user.totp_secret = totp.new_secret()
        user.totp_enabled_at = utcnow()
        world.add_canary(user.totp_secret, "user.totp_secret", owner, nobody)
        code_hash = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
        db.session.add(RecoveryCode(user_id=user_id, code_hash=code_hash))
        world.add_canary(code_hash, "recovery_code.hash", owner, nobody)
        if organisation == "A1":
            issued: list[str] = []
            services.issue_password_link(user, issued.append, "password_reset")
            world.values["reset_token"] = issued[0]


ROUTES = [
    # Public pages
    Route("static", PUBLIC, params={"filename": "css/app.css"}),
    Route("home.index", PUBLIC, ok={"GET": (200, 302)}, note="anonymous visitors are sent to /login"),
    Route("home.set_language", PUBLIC, params={"code": "en"}, ok={"GET": (302,)}),
    Route("home.accessibility", PUBLIC),
    Route("home.healthz", PUBLIC),
    Route("home.readyz", PUBLIC),
    Route(
        "auth.login",
        PUBLIC,
        ok={"GET": (200, 302), "POST": (302, 400)},
        note="a signed-in user is sent on to the overview",
    ),
    Route(
        "auth.second_factor",
        PUBLIC,
        ok={"GET": (404,), "POST": (404,)},
        note="exists only between the password step and the code: 404 otherwise",
    ),
    Route(
        "auth.setup_two_factor",
        PUBLIC,
        ok={"GET": (404,), "POST": (404,)},
        note="exists only between the password step and the code: 404 otherwise",
    ),
    Route("auth.reset_request", PUBLIC),
    Route("auth.reset_password", PUBLIC, params={"token": lambda world: world.values["reset_token"]}),
    # Signed-in pages
    Route("auth.reauthenticate", SIGNED_IN),
    Route("auth.logout", SIGNED_IN),
    # User administration
    Route("users.index", ADMIN),
    Route("users.edit", ADMIN, reauth=True),
    Route("users.toggle_active", ADMIN, reauth=True),
]

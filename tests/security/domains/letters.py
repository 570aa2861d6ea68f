"""Letters: administrators' letter pages, the families' private links (/k/<token>), /familielinks.

Seeds, in each municipality, the mayor's name (a marker its municipal staff may see: the
welcome letter they print carries it) and an edited contact-card text (a marker only its
administrators may see), and private links with tokens the suite
holds: an active link in A (its e-mail in the outbox) and in B, an expired and a revoked
link in A. What an active link shows is, by design, shown to whoever holds the token, so its
card carries no markers; the expired link still holds its card until the nightly clean-up,
and nothing may show that card any more (the coordinators' list names the household only).
"""

from __future__ import annotations

import datetime as dt

from tests.security.harness import (
    ADMIN,
    MUNICIPAL_STAFF,
    PUBLIC,
    Owner,
    RecordParam,
    Route,
    World,
    administrators,
    everyone,
    municipal_staff,
    nobody,
)
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links, services
from volunteer_hub.letters.data import ContactCardData
from volunteer_hub.letters.models import FamilyLink, LetterKind

ORDER = 30

PARAMS = {
    "link_id": RecordParam("family_link", municipal_staff),
    # The raw token is the key: anyone holding it may open the link (it answers 410 once it
    # has expired or been closed). Its "id" in the world is the token itself.
    "token": RecordParam("family_link_token", everyone),
}

KINDS = [kind.value for kind in LetterKind]
# Danish, a right-to-left and an Ethiopic-script language: the three kinds of layout.
LANGUAGES = ["da", "ar", "ti"]


def _card(world: World, municipality: str, household_name: str, *, marked: bool) -> ContactCardData:
    def value(field: str, plain: str) -> str:
        return world.marker(field) if marked else plain

    return ContactCardData(
        municipality_id=world.municipality_ids[municipality],
        municipality_name="Kommune",
        household_name=household_name,
        language="ar",
        volunteer_first_name=value("card.volunteer_first_name", "Mette"),
        volunteer_phone=value("card.volunteer_phone", "+45 20 30 40 50"),
        volunteer_email=world.email_marker() if marked else "mette@example.dk",
        volunteer_languages=["da", "ar"],
        volunteer_intro=value("card.volunteer_intro", "Jeg cykler gerne."),
        scheme="family_buddy",
        date=dt.date.today(),
    )


def _link(world: World, municipality: str, card: ContactCardData, *, email: str | None = None) -> str:
    shared = links.share_contact_card(card, object_type="match", object_id=1, actor=None, email=email)
    owner = Owner(municipality)
    world.add_record("family_link_token", shared.token, owner)  # type: ignore[arg-type] - the token is the id
    world.add_canary(shared.link.token_hash, "family_link.token_hash", owner, nobody)
    world.values.setdefault("links", []).append(shared.link.id)
    return shared.token


def seed(world: World) -> None:
    # Links first: a link freezes the letter text current when it is made.
    for municipality in ("A", "B"):
        email = world.add_canary(world.email_marker(), "outbox.recipient", Owner(municipality), nobody)
        _link(world, municipality, _card(world, municipality, "Familien Haile", marked=False), email=email)
        world.add_record("family_link", world.values["links"][-1], Owner(municipality))

    expired_card = _card(world, "A", world.marker("card.household_name"), marked=True)
    _link(world, "A", expired_card)
    link = db.session.get(FamilyLink, world.values["links"][-1])
    assert link is not None
    link.expires_at = utcnow() - dt.timedelta(days=1)
    owner = Owner("A")
    world.add_canary(expired_card.household_name, "card.household_name", owner, municipal_staff)
    for field in ("volunteer_first_name", "volunteer_phone", "volunteer_email", "volunteer_intro"):
        world.add_canary(getattr(expired_card, field), f"card.{field}", owner, nobody)

    _link(world, "A", _card(world, "A", "Familien Haile", marked=False))
    revoked = db.session.get(FamilyLink, world.values["links"][-1])
    assert revoked is not None
    links.revoke_family_link(revoked, actor=None)

    for municipality in ("A", "B"):
        municipality_id, owner = world.municipality_ids[municipality], Owner(municipality)
        mayor = world.add_canary(
            world.marker("letters.mayor_name"), "letters.mayor_name", owner, municipal_staff
        )
        services.update_letter_settings(municipality_id, mayor_name=mayor, signature_line="", actor=None)
        for language in ("da", "ar"):
            services.save_letter_template(
                municipality_id,
                LetterKind.CONTACT_CARD,
                language,
                title=world.add_canary(
                    world.marker("letter_template.title"), "letter_template.title", owner, administrators
                ),
                body=world.add_canary(
                    world.marker("letter_template.body"), "letter_template.body", owner, administrators
                ),
                actor=None,
            )
    del world.values["links"]
    db.session.flush()


ROUTES = [
    # Administrators' letter pages (their own municipality's settings and texts)
    Route("letters.index", ADMIN),
    Route(
        "letters.settings",
        ADMIN,
        ok={"GET": (200,), "POST": (302,)},
        note="an empty form keeps the saved signature",
    ),
    Route(
        "letters.edit_template",
        ADMIN,
        params={"kind": KINDS, "language": LANGUAGES},
        ok={"GET": (200,), "POST": (302,)},
        note="an empty form saves the current text again as a new version",
    ),
    Route("letters.set_review", ADMIN, params={"language": LANGUAGES}, ok={"POST": (400,)}),
    Route("letters.preview", ADMIN, params={"kind": KINDS, "language": LANGUAGES}),
    Route("letters.preview_page", ADMIN, params={"kind": KINDS, "language": LANGUAGES}),
    Route("letters.preview_pdf", ADMIN, params={"kind": KINDS, "language": LANGUAGES}),
    Route("letters.preview_link", ADMIN, params={"language": LANGUAGES}, ok={"POST": (200,)}),
    # Private links: no account, the token is the key
    Route(
        "family_links.show",
        PUBLIC,
        ok={"GET": (200, 410)},
        note="410 for an expired or closed link (the canaries prove it shows nothing)",
    ),
    Route("family_links.pdf", PUBLIC, ok={"GET": (200, 410)}),
    # The coordinators' list of links, and closing one
    Route("family_links.index", MUNICIPAL_STAFF),
    Route("family_links.revoke", MUNICIPAL_STAFF, ok={"POST": (302,)}),
]

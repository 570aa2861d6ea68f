"""The registration wizard's answers between steps, kept on the server.

The browser's session holds only a random token; the answers live in ``RegistrationDraft``
(looked up by the token's SHA-256), so nobody can change a finished step by editing hidden
fields, and a long "about me" never overflows the session cookie. Drafts live for a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import RegistrationDraft
from volunteer_hub.volunteers.services import Consents, Profile
from volunteer_hub.volunteers.validation import needs_child_certificate_consent

DRAFT_LIFETIME = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any


STEPS: tuple[Step, ...] = (
    Step("kontakt", _l("Contact details")),
    Step("organisation", _l("Organisation")),
    Step("sprog", _l("Languages")),
    Step("kompetencer", _l("Skills and interests")),
    Step("indsats", _l("How you will help")),
    Step("om-dig", _l("About you")),
    Step("samtykke", _l("Consents")),
)
CHECK = Step("tjek", _l("Check your answers"))
ALL_STEPS: tuple[Step, ...] = (*STEPS, CHECK)
STEP_SLUGS = tuple(step.slug for step in STEPS)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_draft(token: str | None) -> RegistrationDraft | None:
    """The unexpired draft for ``token``, or None."""
    if not token:
        return None
    draft = db.session.execute(
        select(RegistrationDraft)
        .where(RegistrationDraft.token_hash == _hash(token))
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if draft is None or draft.created_at < utcnow() - DRAFT_LIFETIME:
        return None
    return draft


def start_draft(municipality_id: int) -> tuple[RegistrationDraft, str]:
    """A new empty draft and its token; expired drafts are removed on the way."""
    db.session.execute(
        delete(RegistrationDraft).where(RegistrationDraft.created_at < utcnow() - DRAFT_LIFETIME)
    )
    token = secrets.token_urlsafe(32)
    draft = RegistrationDraft(municipality_id=municipality_id, token_hash=_hash(token), data={})
    db.session.add(draft)
    db.session.flush()
    return draft, token


def save_step(draft: RegistrationDraft, slug: str, answers: dict[str, Any]) -> None:
    """Store one step's cleaned answers (a new dict, so the JSON column sees the change)."""
    draft.data = {**draft.data, slug: answers}
    db.session.flush()


def discard_draft(draft: RegistrationDraft) -> None:
    db.session.delete(draft)
    db.session.flush()


def needs_child_consent(data: dict[str, Any]) -> bool:
    """Whether the chosen schemes can involve children, so need consent to a child certificate."""
    return needs_child_certificate_consent(data.get("indsats", {}).get("schemes", []))


def is_step_complete(data: dict[str, Any], slug: str) -> bool:
    if slug not in data:
        return False
    if slug == "samtykke" and needs_child_consent(data):
        return bool(data["samtykke"].get("child_certificate"))
    return True


def first_incomplete(data: dict[str, Any]) -> str | None:
    """The first step still to fill in, or None when the answers can be checked."""
    for slug in STEP_SLUGS:
        if not is_step_complete(data, slug):
            return slug
    return None


def to_registration(data: dict[str, Any]) -> tuple[str, Profile, Consents]:
    """The e-mail, profile and consents from a complete draft."""
    contact, help_ = data["kontakt"], data["indsats"]
    organisation = data["organisation"]["organisation"]
    profile = Profile(
        first_name=contact["first_name"].strip(),
        last_name=contact["last_name"].strip(),
        phone=contact["phone"],
        postcode=contact["postcode"],
        birth_year=contact["birth_year"],
        gender=contact.get("gender") or None,
        organisation_id=None if organisation == "none" else int(organisation),
        languages=data["sprog"]["languages"],
        skills=data["kompetencer"].get("skills") or [],
        interests=data["kompetencer"].get("interests") or [],
        schemes=help_["schemes"],
        availability=help_["availability"],
        capacity=int(help_["capacity"]),
        about=(data["om-dig"].get("about") or "").strip(),
        language=data["om-dig"]["language"],
    )
    consents = Consents(
        data_processing=bool(data["samtykke"].get("data_processing")),
        conduct=bool(data["samtykke"].get("conduct")),
        child_certificate=bool(data["samtykke"].get("child_certificate")),
    )
    return contact["email"], profile, consents

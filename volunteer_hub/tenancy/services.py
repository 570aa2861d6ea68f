"""Creating and finding municipalities and partner organisations; the municipality's settings.

Services change objects, audit and flush; the request (or the CLI command) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from volunteer_hub.audit.services import record
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.official import CODE_PATTERN, official_name


class TenancyError(ValueError):
    """Refused input, with a message for the operator or administrator."""


def get_municipality_by_code(code: str) -> Municipality | None:
    """The municipality with kommunekode ``code``, or None."""
    return db.session.execute(select(Municipality).where(Municipality.code == code)).scalar_one_or_none()


def ensure_municipality(code: str, name: str) -> Municipality:
    """Return the municipality with ``code``, creating it if absent (idempotent)."""
    municipality = get_municipality_by_code(code)
    if municipality is None:
        municipality = Municipality(code=code, name=name)
        db.session.add(municipality)
        db.session.flush()
    return municipality


@dataclass(frozen=True)
class Created:
    municipality: Municipality
    created: bool


def create_municipality(code: str, name: str) -> Created:
    """Create the municipality with official kommunekode ``code`` unless it exists (audited).

    Refuses (TenancyError, nothing written) a malformed or unknown code, an empty name, and an
    existing code under another name.
    """
    code, name = code.strip(), " ".join(name.split())
    if not CODE_PATTERN.fullmatch(code):
        raise TenancyError(f"{code!r} is not a kommunekode: write four digits, e.g. 0161")
    official = official_name(code)
    if official is None:
        raise TenancyError(f"{code} is not one of the 98 official kommunekoder (see volunteer_hub/data/)")
    if not name:
        raise TenancyError(f"give the municipality's name, e.g. --name {official}")
    if len(name) > 100:
        raise TenancyError("the name is longer than 100 characters")
    existing = get_municipality_by_code(code)
    if existing is not None:
        if existing.name != name:
            raise TenancyError(f"municipality {code} already exists as {existing.name!r}")
        return Created(existing, created=False)
    municipality = Municipality(code=code, name=name)
    db.session.add(municipality)
    db.session.flush()
    record("municipality.created", actor=None, municipality_id=municipality.id, obj=municipality, code=code)
    return Created(municipality, created=True)


def list_municipalities() -> list[Municipality]:
    return list(db.session.execute(select(Municipality).order_by(Municipality.code)).scalars())


# The contact details families need, in the order the settings page and the letters show them.
CONTACT_FIELDS = (
    "department_name",
    "postal_address",
    "phone",
    "contact_email",
    "opening_hours",
    "directions",
)
SETTINGS_FIELDS = (*CONTACT_FIELDS, "email_sender_name")


def missing_settings(municipality: Municipality) -> list[str]:
    """The settings not filled in yet (field names, in SETTINGS_FIELDS order)."""
    return [name for name in SETTINGS_FIELDS if not getattr(municipality, name)]


def update_settings(municipality: Municipality, values: dict[str, str], *, actor: Any) -> list[str]:
    """Store the municipality's settings; returns the fields that changed (audited by name only)."""
    changed = []
    for name in SETTINGS_FIELDS:
        value = (values.get(name) or "").strip()
        if getattr(municipality, name) != value:
            setattr(municipality, name, value)
            changed.append(name)
    if changed:
        db.session.flush()
        record(
            "municipality.settings_changed",
            actor=actor,
            municipality_id=municipality.id,
            obj=municipality,
            fields=changed,
        )
    return changed


def _organisation_named(
    municipality_id: int, name: str, *, other_than: int | None = None
) -> Organisation | None:
    query = select(Organisation).where(
        Organisation.municipality_id == municipality_id, func.lower(Organisation.name) == name.lower()
    )
    if other_than is not None:
        query = query.where(Organisation.id != other_than)
    return db.session.execute(query.execution_options(all_tenants=True)).scalars().first()


def ensure_organisation(municipality: Municipality, name: str, description: str = "") -> Organisation:
    """Return the municipality's organisation called ``name``, creating it if absent."""
    organisation = db.session.execute(
        select(Organisation)
        .where(Organisation.municipality_id == municipality.id, Organisation.name == name)
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if organisation is None:
        organisation = Organisation(municipality_id=municipality.id, name=name, description=description)
        db.session.add(organisation)
        db.session.flush()
    return organisation


def create_organisation(municipality_id: int, name: str, description: str, *, actor: Any) -> Organisation:
    """A new partner organisation (audited); refuses a name the municipality already uses."""
    name = " ".join(name.split())
    if _organisation_named(municipality_id, name) is not None:
        raise TenancyError("name_taken")
    organisation = Organisation(municipality_id=municipality_id, name=name, description=description.strip())
    db.session.add(organisation)
    db.session.flush()
    record("organisation.created", actor=actor, municipality_id=municipality_id, obj=organisation)
    return organisation


def rename_organisation(organisation: Organisation, name: str, description: str, *, actor: Any) -> None:
    """A new name and description (audited); the organisation keeps its volunteers and history."""
    name = " ".join(name.split())
    if _organisation_named(organisation.municipality_id, name, other_than=organisation.id) is not None:
        raise TenancyError("name_taken")
    organisation.name = name
    organisation.description = description.strip()
    db.session.flush()
    municipality_id = organisation.municipality_id
    record("organisation.renamed", actor=actor, municipality_id=municipality_id, obj=organisation)


def set_organisation_active(organisation: Organisation, active: bool, *, actor: Any) -> None:
    """Deactivate (it keeps its history, takes no new volunteers) or reactivate (audited)."""
    if organisation.is_active == active:
        return
    organisation.is_active = active
    organisation.deactivated_at = None if active else utcnow()
    db.session.flush()
    record(
        "organisation.reactivated" if active else "organisation.deactivated",
        actor=actor,
        municipality_id=organisation.municipality_id,
        obj=organisation,
    )


def list_organisations(municipality_id: int, *, active_only: bool = False) -> list[Organisation]:
    """The municipality's partner organisations, by name (only those taking volunteers if asked)."""
    query = select(Organisation).where(Organisation.municipality_id == municipality_id)
    if active_only:
        query = query.where(Organisation.is_active.is_(True))
    return list(db.session.execute(query.order_by(Organisation.name)).scalars())

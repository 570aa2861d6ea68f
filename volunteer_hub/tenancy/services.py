"""Creating and finding municipalities and partner organisations."""

from __future__ import annotations

from sqlalchemy import select

from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation


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


def list_organisations(municipality_id: int) -> list[Organisation]:
    """The municipality's partner organisations, by name."""
    return list(
        db.session.execute(
            select(Organisation)
            .where(Organisation.municipality_id == municipality_id)
            .order_by(Organisation.name)
        ).scalars()
    )

"""The municipality's contact block on everything a family receives (letters, contact cards,
their PDFs and the private-link pages): ``templates/family/_municipality_contact.html`` calls
``municipality_contact(municipality_id)``, registered here as a template global."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality


@dataclass(frozen=True)
class MunicipalityContact:
    """What the block shows; empty fields are left out (the admin's overview lists them as a task)."""

    name: str
    department_name: str
    postal_address_lines: tuple[str, ...]
    phone: str
    phone_uri: str
    email: str
    opening_hours_lines: tuple[str, ...]
    directions: str
    directions_is_link: bool

    @property
    def is_empty(self) -> bool:
        return not (
            self.department_name
            or self.postal_address_lines
            or self.phone
            or self.email
            or self.opening_hours_lines
            or self.directions
        )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def municipality_contact(municipality_id: int | None) -> MunicipalityContact | None:
    """The municipality's contact details for a family, or None when it has none yet."""
    municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
    if municipality is None:
        return None
    directions = municipality.directions.strip()
    contact = MunicipalityContact(
        name=municipality.name,
        department_name=municipality.department_name.strip(),
        postal_address_lines=_lines(municipality.postal_address),
        phone=municipality.phone.strip(),
        phone_uri="tel:" + "".join(c for c in municipality.phone if c.isdigit() or c == "+"),
        email=municipality.contact_email.strip(),
        opening_hours_lines=_lines(municipality.opening_hours),
        directions=directions,
        directions_is_link=directions.startswith(("https://", "http://")),
    )
    return None if contact.is_empty else contact


def register_contact_block(app: Flask) -> None:
    app.add_template_global(municipality_contact, "municipality_contact")


def sender_for(municipality_id: int | None, configured: str) -> str:
    """The From header for a municipality's e-mail: its sender name (when set) with the
    configured address (MAIL_SENDER), so the name changes and the SMTP relay's address does not."""
    from email.utils import formataddr, parseaddr

    municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
    name = municipality.email_sender_name.strip() if municipality is not None else ""
    if not name:
        return configured
    return formataddr((name, parseaddr(configured)[1]))

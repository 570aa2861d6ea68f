"""Municipality (the tenant) and partner Organisation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import TenantMixin, TimestampMixin
from volunteer_hub.extensions import db


class Municipality(TimestampMixin, db.Model):
    """A Danish municipality, identified by its four-digit kommunekode (Glostrup: 0161)."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(4), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))

    # The contact details families are given (letters, contact cards, private-link pages) and
    # the name e-mails are sent in. Empty: not set yet, listed as a task on the admin's overview.
    department_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    postal_address: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    opening_hours: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    directions: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    email_sender_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")

    organisations: Mapped[list[Organisation]] = relationship(back_populates="municipality")

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


class Organisation(TenantMixin, TimestampMixin, db.Model):
    """A partner organisation working with one municipality, e.g. Røde Kors Glostrup."""

    __tablename__ = "organisation"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.String(300), default="")
    # A deactivated organisation keeps its volunteers and history but takes no new volunteers.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    deactivated_at: Mapped[dt.datetime | None]

    municipality: Mapped[Municipality] = relationship(back_populates="organisations")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"

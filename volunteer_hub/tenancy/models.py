"""Municipality (the tenant) and partner Organisation."""

from __future__ import annotations

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

    municipality: Mapped[Municipality] = relationship(back_populates="organisations")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"

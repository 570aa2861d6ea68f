"""Work (P8): introduction internship offers per adult, and the register of workplaces."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum
from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models.household import Member


class WorkSector(enum.StrEnum):
    CARE = "care"
    CLEANING = "cleaning"
    CONSTRUCTION = "construction"
    TRANSPORT_LOGISTICS = "transport_logistics"
    HOSPITALITY = "hospitality"
    RETAIL = "retail"
    MANUFACTURING = "manufacturing"
    GARDENING_AGRICULTURE = "gardening_agriculture"
    CHILDCARE_EDUCATION = "childcare_education"
    OFFICE_IT = "office_it"
    OTHER = "other"


class InternshipStatus(enum.StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    STARTED = "started"
    DECLINED = "declined"
    ENDED = "ended"


class Workplace(TenantMixin, TimestampMixin, db.Model):
    """A workplace the municipality can place interns with (P8: the municipality supplies them)."""

    __tablename__ = "workplace"
    __table_args__ = (sa.CheckConstraint("open_places >= 0", name="open_places_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[WorkSector] = mapped_column(str_enum(WorkSector))
    open_places: Mapped[int] = mapped_column(default=0)
    labour_shortage: Mapped[bool] = mapped_column(default=False)
    contact: Mapped[str] = mapped_column(sa.String(200), default="")

    def __repr__(self) -> str:
        return f"<Workplace {self.id} {self.sector} open={self.open_places}>"


class InternshipOffer(db.Model):
    """The introduction internship offered to one adult; offering it meets the 14-day deadline."""

    __tablename__ = "internship_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("household_member.id", ondelete="CASCADE"), unique=True
    )
    workplace_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workplace.id", ondelete="SET NULL"), index=True
    )
    workplace_name: Mapped[str] = mapped_column(sa.String(120))
    sector: Mapped[WorkSector] = mapped_column(str_enum(WorkSector))
    offered_on: Mapped[dt.date]
    starts_on: Mapped[dt.date | None]
    status: Mapped[InternshipStatus] = mapped_column(
        str_enum(InternshipStatus), default=InternshipStatus.OFFERED
    )

    member: Mapped[Member] = relationship(back_populates="internship")
    workplace: Mapped[Workplace | None] = relationship()

    def __repr__(self) -> str:
        return f"<InternshipOffer {self.member_id} {self.status}>"

"""Housing (P6, P7): where the household lives, and units shared by several households."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum
from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models.household import Household


class HousingSector(enum.StrEnum):
    """Every sector the policy allows (P6)."""

    PUBLIC_ACUTE_LIST = "public_acute_list"
    PRIVATE_FLAT_OR_HOUSE = "private_flat_or_house"
    PRIVATE_ROOM = "private_room"
    HOTEL = "hotel"
    HOSTEL = "hostel"
    CONVERTED_MUNICIPAL_BUILDING = "converted_municipal_building"
    SHARED_HOUSING = "shared_housing"


class HousingStatus(enum.StrEnum):
    SEARCHING = "searching"
    OFFERED = "offered"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class SharedUnit(TenantMixin, TimestampMixin, db.Model):
    """A dwelling shared by several households (usually singles); its occupants are their cases.

    A coordinator flags the unit when its mix of occupants needs attention (P7); the reason
    is deliberately not stored here, as it would be sensitive free text.
    """

    __tablename__ = "shared_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    mix_flagged: Mapped[bool] = mapped_column(default=False)
    flagged_on: Mapped[dt.date | None]

    occupancies: Mapped[list[Housing]] = relationship(back_populates="shared_unit")

    def __repr__(self) -> str:
        return f"<SharedUnit {self.id} flagged={self.mix_flagged}>"


class Housing(db.Model):
    """The household's housing: sector, address, status and the date a home was found."""

    __tablename__ = "housing"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), unique=True)
    sector: Mapped[HousingSector | None] = mapped_column(str_enum(HousingSector))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[HousingStatus] = mapped_column(str_enum(HousingStatus), default=HousingStatus.SEARCHING)
    found_on: Mapped[dt.date | None]
    shared_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("shared_unit.id", ondelete="SET NULL"), index=True
    )

    household: Mapped[Household] = relationship(back_populates="housing")
    shared_unit: Mapped[SharedUnit | None] = relationship(back_populates="occupancies")

    def __repr__(self) -> str:
        return f"<Housing {self.household_id} {self.sector} {self.status}>"

"""The register of the municipality's leisure offers (P9)."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum
from volunteer_hub.extensions import db


class LeisureKind(enum.StrEnum):
    SPORTS_CLUB = "sports_club"
    SPORTS_CENTRE = "sports_centre"
    SWIMMING_POOL = "swimming_pool"
    MUSIC_SCHOOL = "music_school"
    CINEMA = "cinema"
    LIBRARY = "library"
    CULTURE_HOUSE = "culture_house"
    OTHER = "other"


class LeisureOffer(TenantMixin, TimestampMixin, db.Model):
    """A club, venue or activity; ``leisure_pass``: a leisure pass or subsidy can pay for it."""

    __tablename__ = "leisure_offer"
    __table_args__ = (
        sa.CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[LeisureKind] = mapped_column(str_enum(LeisureKind))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    leisure_pass: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<LeisureOffer {self.id} {self.kind}>"

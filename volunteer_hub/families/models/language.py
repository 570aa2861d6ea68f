"""Danish classes per adult (P14): school, programme, module, start date and schedule."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models.household import Member


class DanishClass(db.Model):
    """An adult's Danish education: programme (DU1–DU3) and module (1–6)."""

    __tablename__ = "danish_class"
    __table_args__ = (
        sa.CheckConstraint("programme BETWEEN 1 AND 3", name="programme_1_to_3"),
        sa.CheckConstraint("module BETWEEN 1 AND 6", name="module_1_to_6"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("household_member.id", ondelete="CASCADE"), unique=True
    )
    language_school: Mapped[str] = mapped_column(sa.String(120))
    programme: Mapped[int]
    module: Mapped[int]
    start_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None]
    schedule: Mapped[str] = mapped_column(sa.String(120), default="")

    member: Mapped[Member] = relationship(back_populates="danish_class")

    def __repr__(self) -> str:
        return f"<DanishClass {self.member_id} DU{self.programme} module {self.module}>"

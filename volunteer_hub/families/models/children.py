"""Children as one unit with their family (P12, P13): school, daycare, PPR and family section."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models.household import Member


class ChildDetails(db.Model):
    """A child's school and class (or reception class), daycare, and the contacts around them."""

    __tablename__ = "child_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("household_member.id", ondelete="CASCADE"), unique=True
    )
    school: Mapped[str] = mapped_column(sa.String(120), default="")
    school_class: Mapped[str] = mapped_column(sa.String(40), default="")
    reception_class: Mapped[bool] = mapped_column(default=False)
    daycare: Mapped[str] = mapped_column(sa.String(120), default="")
    ppr_contact: Mapped[str] = mapped_column(sa.String(200), default="")
    family_section_contact: Mapped[str] = mapped_column(sa.String(200), default="")

    member: Mapped[Member] = relationship(back_populates="child_details")

    def __repr__(self) -> str:
        return f"<ChildDetails {self.member_id}>"

"""The reception checklist (P2–P5): welcome letter, networks, guided tour, health check status."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import str_enum
from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models.household import Household


class ReceptionStepKind(enum.StrEnum):
    """Checklist items that are done once. Only the welcome letter has a policy deadline."""

    WELCOME_LETTER = "welcome_letter"  # P2: within 14 days of the household's first arrival
    NETWORK_INTRO = "network_intro"  # P3: done when the first volunteer match starts
    GUIDED_TOUR = "guided_tour"  # P4: sports facilities, town hall, emergency room, the station


class ReceptionStep(db.Model):
    """One completed checklist item: when and by whom. No row means not done yet."""

    __tablename__ = "reception_step"
    __table_args__ = (sa.UniqueConstraint("household_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReceptionStepKind] = mapped_column(str_enum(ReceptionStepKind))
    done_on: Mapped[dt.date]
    # Who did it: a staff member or a volunteer, as the coordinator writes it.
    done_by: Mapped[str] = mapped_column(sa.String(120), default="")
    recorded_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    household: Mapped[Household] = relationship(back_populates="reception_steps")

    def __repr__(self) -> str:
        return f"<ReceptionStep {self.household_id} {self.kind} {self.done_on}>"


class HealthCheckStatus(enum.StrEnum):
    """P5: only the status of the offered health check is stored, never any health detail."""

    NOT_OFFERED = "not_offered"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DONE = "done"
    DECLINED = "declined"


class HealthCheck(db.Model):
    """The household's health-check status with the date of each step."""

    __tablename__ = "health_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), unique=True)
    status: Mapped[HealthCheckStatus] = mapped_column(
        str_enum(HealthCheckStatus), default=HealthCheckStatus.NOT_OFFERED
    )
    offered_on: Mapped[dt.date | None]
    accepted_on: Mapped[dt.date | None]
    done_on: Mapped[dt.date | None]
    declined_on: Mapped[dt.date | None]

    household: Mapped[Household] = relationship(back_populates="health_check")

    def __repr__(self) -> str:
        return f"<HealthCheck {self.household_id} {self.status}>"

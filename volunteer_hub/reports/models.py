"""FinalisedReport: a quarter's report as it was when a coordinator finalised it. Never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.auth.models import User
from volunteer_hub.db import TenantMixin, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Member
from volunteer_hub.matching.models import Match
from volunteer_hub.tenancy.models import Organisation


class FinalisedReport(TenantMixin, db.Model):
    """The figures of one quarter's report, frozen when finalised.

    ``organisation_id`` None is the municipality's own report. One finalised report per
    (municipality, organisation, year, quarter): two partial unique indexes enforce it, because
    a plain UNIQUE constraint treats every NULL organisation as different.
    """

    __tablename__ = "finalised_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    finalised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    finalised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    finalised_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        sa.Index(
            "uq_finalised_report_municipality_quarter",
            "municipality_id", "year", "quarter",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        ),
        sa.Index(
            "uq_finalised_report_organisation_quarter",
            "municipality_id", "organisation_id", "year", "quarter",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NOT NULL"),
            postgresql_where=sa.text("organisation_id IS NOT NULL"),
        ),
    )  # fmt: skip

    def __repr__(self) -> str:
        return f"<FinalisedReport {self.id} {self.year}Q{self.quarter} organisation={self.organisation_id}>"


# Indexes the report's SQL needs on other domains' tables (reports/sql/): a household's first
# match ever (no earlier match of the household), and the households that arrived in a quarter.
sa.Index("ix_match_household_id_started_on", Match.household_id, Match.started_on)
sa.Index("ix_household_member_arrival_on", Member.arrival_on)


class FinalisedReportImmutableError(RuntimeError):
    """Raised when code tries to change or delete a finalised report."""


@event.listens_for(FinalisedReport, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: FinalisedReport) -> None:
    raise FinalisedReportImmutableError(f"finalised report {target.id} cannot be changed")


@event.listens_for(FinalisedReport, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: FinalisedReport) -> None:
    raise FinalisedReportImmutableError(f"finalised report {target.id} cannot be deleted")

"""The household (a family case; a single person is a household of one) and its members."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum
from volunteer_hub.extensions import db
from volunteer_hub.maintained import maintain
from volunteer_hub.vocab import LEVEL_RANK

if TYPE_CHECKING:
    from volunteer_hub.families.models.children import ChildDetails
    from volunteer_hub.families.models.housing import Housing
    from volunteer_hub.families.models.language import DanishClass
    from volunteer_hub.families.models.reception import HealthCheck, ReceptionStep
    from volunteer_hub.families.models.work import InternshipOffer


class ArrivalRoute(enum.StrEnum):
    """How a member came (P1): granted asylum, later through family reunification, or with temporary
    residence under the special act for people displaced from Ukraine (særloven), which is not asylum."""

    ASYLUM = "asylum"
    FAMILY_REUNIFICATION = "family_reunification"
    TEMPORARY_PROTECTION = "temporary_protection"


class MemberKind(enum.StrEnum):
    ADULT = "adult"
    CHILD = "child"


class ConsentScope(enum.StrEnum):
    """What the household agreed to share with a matched volunteer."""

    CONTACT_CARD = "contact_card"  # contact person's first name, phone, area, languages, interests
    CONTACT_CARD_AND_ADDRESS = "contact_card_and_address"  # the same, plus the street address


class Household(TenantMixin, TimestampMixin, db.Model):
    """A family case. ``version_id`` guards against two coordinators overwriting each other."""

    __tablename__ = "household"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "ref"),
        sa.CheckConstraint("volunteer_gender IN ('f', 'm', 'x')", name="volunteer_gender_code"),
        # The waiting list (longest first) and the case list sorted by the day a household asked.
        sa.Index("ix_household_municipality_id_registered_on", "municipality_id", "registered_on"),
        # The overview's open welcome letters and the case list's order by first arrival (P2).
        sa.Index(
            "ix_household_municipality_id_earliest_arrival_on", "municipality_id", "earliest_arrival_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(120))
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    postcode: Mapped[str] = mapped_column(sa.String(4))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    letter_language: Mapped[str] = mapped_column(sa.String(3))
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    # Lists of vocabulary codes (FORMATS.md); always replaced, never mutated in place.
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    availability: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    volunteer_gender: Mapped[str | None] = mapped_column(sa.String(1))
    consent_on: Mapped[dt.date | None]
    consent_scope: Mapped[ConsentScope | None] = mapped_column(str_enum(ConsentScope))
    # The day the household asked for a volunteer: days waiting count from here.
    registered_on: Mapped[dt.date]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # ``first_arrival_on`` as saved (None without members), kept by ``volunteer_hub.maintained``
    # for SQL to filter and sort on; Python reads the property, which sees unsaved members too.
    earliest_arrival_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    # The earliest arrival of an adult still owed an internship offer (P8), None when nobody is:
    # kept the same way (``families.queries.conditions``), for the case list's deadline order.
    first_owed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    version_id: Mapped[int] = mapped_column()

    __mapper_args__ = {"version_id_col": version_id}

    members: Mapped[list[Member]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="Member.id"
    )
    languages: Mapped[list[HouseholdLanguage]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="HouseholdLanguage.position"
    )
    schemes: Mapped[list[HouseholdScheme]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="HouseholdScheme.id"
    )
    reception_steps: Mapped[list[ReceptionStep]] = relationship(
        back_populates="household", cascade="all, delete-orphan"
    )
    health_check: Mapped[HealthCheck | None] = relationship(
        back_populates="household", cascade="all, delete-orphan", uselist=False
    )
    housing: Mapped[Housing | None] = relationship(
        back_populates="household", cascade="all, delete-orphan", uselist=False
    )

    def __repr__(self) -> str:
        return f"<Household {self.id} {self.ref}>"

    @property
    def adults(self) -> list[Member]:
        return [m for m in self.members if m.kind == MemberKind.ADULT]

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.kind == MemberKind.CHILD]

    @property
    def first_arrival_on(self) -> dt.date | None:
        """The first member's arrival: the welcome letter's deadline counts from it (P2)."""
        dates = [m.arrival_on for m in self.members]
        return min(dates) if dates else None

    def children_ages(self, as_of: dt.date) -> list[int]:
        """The children's ages on ``as_of`` (from birth years, so within a year)."""
        return sorted(m.age_on(as_of) for m in self.children if m.birth_year is not None)

    @property
    def scheme_codes(self) -> list[str]:
        return [s.scheme for s in self.schemes]

    @property
    def language_levels(self) -> dict[str, str]:
        """Language code -> level code, in the order recorded."""
        return {lang.language: lang.level for lang in self.languages}

    @property
    def best_language(self) -> str | None:
        """The language spoken best (ties: the one listed first)."""
        return best_language(self.language_levels)

    @property
    def contact_first_name(self) -> str:
        return self.contact_name.split()[0] if self.contact_name.strip() else ""


def best_language(levels: dict[str, str]) -> str | None:
    """The code with the highest level in ``levels``; the first listed wins a tie."""
    best: str | None = None
    for code, level in levels.items():
        if best is None or LEVEL_RANK.get(level, 0) > LEVEL_RANK.get(levels[best], 0):
            best = code
    return best


class HouseholdLanguage(db.Model):
    """One language the household speaks, with its level (one row per language)."""

    __tablename__ = "household_language"
    __table_args__ = (
        sa.UniqueConstraint("household_id", "language"),
        sa.CheckConstraint("level IN ('native', 'fluent', 'conversational', 'basic')", name="level_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(3))
    level: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)

    household: Mapped[Household] = relationship(back_populates="languages")

    def __repr__(self) -> str:
        return f"<HouseholdLanguage {self.household_id} {self.language}:{self.level}>"


class HouseholdScheme(db.Model):
    """A scheme the household asks for: each is one request the matcher can fill."""

    __tablename__ = "household_scheme"
    __table_args__ = (sa.UniqueConstraint("household_id", "scheme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(30))
    # The first day of this request's match that has no end date (approved or active), None
    # while there is none: kept by ``matching.waiting`` from the matches, so the overview finds
    # who waits without reading every match.
    served_from: Mapped[dt.date | None] = mapped_column(sa.Date)

    household: Mapped[Household] = relationship(back_populates="schemes")

    def __repr__(self) -> str:
        return f"<HouseholdScheme {self.household_id} {self.scheme}>"


class Member(db.Model):
    """A person in the household, with their own arrival date and route (P1)."""

    __tablename__ = "household_member"
    __table_args__ = (
        # A household's first arrival (P2) read from the index alone.
        sa.Index("ix_household_member_household_id_arrival_on", "household_id", "arrival_on"),
        # The overview's adults owed an internship offer (P8), counted from the index alone.
        sa.Index(
            "ix_household_member_owed_internship",
            "municipality_id",
            "arrival_on",
            postgresql_where=sa.text("kind = 'adult' AND NOT employed"),
            postgresql_include=["birth_year"],
            sqlite_where=sa.text("kind = 'adult' AND NOT employed"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id", ondelete="CASCADE"), index=True)
    # The household's municipality, kept by ``volunteer_hub.maintained`` (set in the flush that
    # adds the member), so the overview counts a municipality's members without their households.
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    kind: Mapped[MemberKind] = mapped_column(str_enum(MemberKind, 10))
    name: Mapped[str] = mapped_column(sa.String(120))
    birth_year: Mapped[int | None]
    arrival_on: Mapped[dt.date]
    arrival_route: Mapped[ArrivalRoute] = mapped_column(str_enum(ArrivalRoute))
    # Adults only: already in a job (then no internship is due, P8), and the job centre contact (P12).
    employed: Mapped[bool] = mapped_column(default=False)
    job_centre_contact: Mapped[str] = mapped_column(sa.String(200), default="")

    household: Mapped[Household] = relationship(back_populates="members")
    internship: Mapped[InternshipOffer | None] = relationship(
        back_populates="member", cascade="all, delete-orphan", uselist=False
    )
    danish_class: Mapped[DanishClass | None] = relationship(
        back_populates="member", cascade="all, delete-orphan", uselist=False
    )
    child_details: Mapped[ChildDetails | None] = relationship(
        back_populates="member", cascade="all, delete-orphan", uselist=False
    )

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.kind} of household {self.household_id}>"

    @property
    def is_adult(self) -> bool:
        return self.kind == MemberKind.ADULT

    def age_on(self, day: dt.date) -> int | None:
        """Age reached in ``day``'s year (only the birth year is recorded)."""
        return None if self.birth_year is None else day.year - self.birth_year


EARLIEST_ARRIVAL = "household.earliest_arrival_on"


def _earliest_arrival() -> sa.ScalarSelect:
    household = Household.__table__
    earliest = sa.select(sa.func.min(Member.arrival_on)).where(Member.household_id == household.c.id)
    return earliest.scalar_subquery()


maintain(EARLIEST_ARRIVAL, Household, "earliest_arrival_on", _earliest_arrival, {Member: "household_id"})

MEMBER_MUNICIPALITY = "household_member.municipality_id"


def _household_municipality() -> sa.ScalarSelect:
    household, member = Household.__table__, Member.__table__
    return (
        sa.select(household.c.municipality_id)
        .where(household.c.id == member.c.household_id)
        .scalar_subquery()
    )


maintain(MEMBER_MUNICIPALITY, Member, "municipality_id", _household_municipality, {Member: "id"})

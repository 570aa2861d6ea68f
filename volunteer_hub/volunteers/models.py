"""Volunteer, their languages and other list fields, and the registration wizard's drafts.

The list fields of FORMATS.md (languages, skills, interests, schemes, availability) are one row
per item, so the coordinator list and the matcher filter them in SQL. Status and child
certificate are explicit state enums; the moves between statuses live in ``services``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.auth.models import User
from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation


class VolunteerStatus(enum.StrEnum):
    """Where an application stands. Only ``approved`` volunteers can be matched."""

    PENDING = "pending"
    NEEDS_INFORMATION = "needs_information"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class ChildCertificateState(enum.StrEnum):
    """The børneattest as the organisation recorded it; the document itself is never stored."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    RECEIVED_OK = "received_ok"
    RECEIVED_WITH_REMARKS = "received_with_remarks"


class LanguageLevel(enum.StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    CONVERSATIONAL = "conversational"
    BASIC = "basic"


class AttributeKind(enum.StrEnum):
    """The coded list fields of a volunteer besides languages (codes in volunteer_hub.vocab)."""

    SKILL = "skill"
    INTEREST = "interest"
    SCHEME = "scheme"
    AVAILABILITY = "availability"


class Gender(enum.StrEnum):
    F = "f"
    M = "m"
    X = "x"


class RegistrationSource(enum.StrEnum):
    """How the volunteer came in: the web form verifies the e-mail; an import vouches for it."""

    WEB = "web"
    IMPORT = "import"
    DEMO = "demo"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Volunteer(TenantMixin, TimestampMixin, db.Model):
    """A person who offers their time, in one municipality, independent or with a partner."""

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The stable external id: FORMATS.md's `ref` (e.g. V0042), W000123 for web registrations.
    ref: Mapped[str] = mapped_column(sa.String(20))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    source: Mapped[RegistrationSource] = mapped_column(str_enum(RegistrationSource, 10))
    status: Mapped[VolunteerStatus] = mapped_column(
        str_enum(VolunteerStatus, 20), default=VolunteerStatus.PENDING, index=True
    )
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The reason the volunteer sees for a rejection, a request for information or a suspension.
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    registered_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)

    # Personal data: every field here is emptied when the volunteer deletes their account.
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(254))  # NULL only once erased
    phone: Mapped[str | None] = mapped_column(sa.String(30))  # E.164, e.g. +4512345678
    postcode: Mapped[str | None] = mapped_column(sa.String(4))  # NULL only once erased (web)
    birth_year: Mapped[int | None]
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, 1))
    about: Mapped[str] = mapped_column(sa.Text, default="")

    email_verified_at: Mapped[dt.datetime | None]
    language: Mapped[str] = mapped_column(sa.String(8), default="da")  # e-mails and pages
    capacity: Mapped[int] = mapped_column(default=1)

    # Consents, each with the moment it was given.
    data_consent_version: Mapped[str | None] = mapped_column(sa.String(20))
    data_consent_at: Mapped[dt.datetime | None]
    conduct_declared_at: Mapped[dt.datetime | None]
    child_certificate_consent_at: Mapped[dt.datetime | None]

    child_certificate_state: Mapped[ChildCertificateState] = mapped_column(
        str_enum(ChildCertificateState, 30), default=ChildCertificateState.NOT_REQUESTED, index=True
    )
    child_certificate_received_on: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    child_certificate_assessed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    child_certificate_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))

    erased_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    child_certificate_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[child_certificate_organisation_id]
    )
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    child_certificate_assessed_by: Mapped[User | None] = relationship(
        foreign_keys=[child_certificate_assessed_by_id]
    )
    languages: Mapped[list[VolunteerLanguage]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", order_by="VolunteerLanguage.id"
    )
    attributes: Mapped[list[VolunteerAttribute]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", order_by="VolunteerAttribute.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "ref", name="uq_volunteer_municipality_ref"),
        sa.UniqueConstraint("municipality_id", "email", name="uq_volunteer_municipality_email"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint(
            "child_certificate_state NOT IN ('received_ok', 'received_with_remarks') "
            "OR child_certificate_received_on IS NOT NULL",
            name="received_certificate_has_date",
        ),
        # The overview's certificates expiring within 30 days: one municipality's received dates.
        sa.Index(
            "ix_volunteer_municipality_id_child_certificate_received_on",
            "municipality_id",
            "child_certificate_received_on",
        ),
        # The applications awaiting a decision, and the list's status filter, within a municipality.
        sa.Index("ix_volunteer_municipality_id_status", "municipality_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<Volunteer {self.id} {self.ref} {self.status}>"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    def codes(self, kind: AttributeKind) -> list[str]:
        """The volunteer's codes of one kind, in the order they were given."""
        return [a.code for a in self.attributes if a.kind == kind]

    @property
    def skills(self) -> list[str]:
        return self.codes(AttributeKind.SKILL)

    @property
    def interests(self) -> list[str]:
        return self.codes(AttributeKind.INTEREST)

    @property
    def schemes(self) -> list[str]:
        return self.codes(AttributeKind.SCHEME)

    @property
    def availability(self) -> list[str]:
        return self.codes(AttributeKind.AVAILABILITY)

    @property
    def language_levels(self) -> dict[str, str]:
        """``{code: level}``, e.g. ``{"da": "native", "ar": "basic"}``."""
        return {row.code: row.level.value for row in self.languages}

    def child_certificate_expires_on(self, valid_months: int) -> dt.date | None:
        """The last day a certificate without remarks counts; None without one."""
        if self.child_certificate_state != ChildCertificateState.RECEIVED_OK:
            return None
        if self.child_certificate_received_on is None:
            return None
        return add_months(self.child_certificate_received_on, valid_months)

    def has_valid_child_certificate(self, as_of: dt.date, valid_months: int | None = None) -> bool:
        """True when a certificate without remarks was received at most ``valid_months`` before ``as_of``.

        A certificate received with remarks never counts. ``valid_months`` defaults to the
        app's CHILD_CERTIFICATE_VALID_MONTHS.
        """
        if valid_months is None:
            from flask import current_app

            valid_months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
        expires = self.child_certificate_expires_on(valid_months)
        received = self.child_certificate_received_on
        return expires is not None and received is not None and received <= as_of <= expires


# The coordinators' list order (queries.LIST_ORDER): a page of an unfiltered or lightly filtered
# list, and its total, come from the index in order instead of sorting every volunteer. PostgreSQL
# only (SQLite cannot reflect an expression index; the PostgreSQL drift check compares it).
sa.Index(
    "ix_volunteer_municipality_id_list_order",
    Volunteer.municipality_id,
    sa.func.lower(Volunteer.last_name),
    sa.func.lower(Volunteer.first_name),
    Volunteer.id,
    postgresql_where=Volunteer.erased_at.is_(None),
).ddl_if(dialect="postgresql")


class VolunteerLanguage(db.Model):
    """One language a volunteer speaks, with a level (FORMATS.md: ``code:level``)."""

    __tablename__ = "volunteer_language"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(3))
    level: Mapped[LanguageLevel] = mapped_column(str_enum(LanguageLevel, 20))

    volunteer: Mapped[Volunteer] = relationship(back_populates="languages")

    __table_args__ = (
        sa.UniqueConstraint("volunteer_id", "code", name="uq_volunteer_language_volunteer_code"),
        # The list's language filter (EXISTS ... code = ?) reads the volunteer ids from the index alone.
        sa.Index("ix_volunteer_language_code_volunteer_id", "code", "volunteer_id"),
    )

    def __repr__(self) -> str:
        return f"<VolunteerLanguage {self.volunteer_id} {self.code}:{self.level}>"


class VolunteerAttribute(db.Model):
    """One skill, interest, scheme or availability code of a volunteer."""

    __tablename__ = "volunteer_attribute"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id", ondelete="CASCADE"))
    kind: Mapped[AttributeKind] = mapped_column(str_enum(AttributeKind, 20))
    code: Mapped[str] = mapped_column(sa.String(40))

    volunteer: Mapped[Volunteer] = relationship(back_populates="attributes")

    __table_args__ = (
        sa.UniqueConstraint(
            "volunteer_id", "kind", "code", name="uq_volunteer_attribute_volunteer_kind_code"
        ),
        # The list's skill, scheme and availability filters read the volunteer ids from the index alone.
        sa.Index("ix_volunteer_attribute_kind_code_volunteer_id", "kind", "code", "volunteer_id"),
    )

    def __repr__(self) -> str:
        return f"<VolunteerAttribute {self.volunteer_id} {self.kind}:{self.code}>"


class RegistrationDraft(TenantMixin, db.Model):
    """The answers of an unfinished registration, kept on the server between the steps.

    The browser holds only a random token in its session; only the token's SHA-256 is
    stored. A draft is deleted when the registration is submitted and expires after a day.
    """

    __tablename__ = "registration_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<RegistrationDraft {self.id}>"

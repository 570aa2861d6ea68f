"""Letter templates and their versions, letter settings, language reviews, sent letters, private links."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum, utcnow
from volunteer_hub.extensions import db


class LetterKind(enum.StrEnum):
    """The letters a family receives."""

    WELCOME_LETTER = "welcome_letter"
    CONTACT_CARD = "contact_card"


class LetterTemplate(TenantMixin, db.Model):
    """One version of a municipality's text for a letter kind in one language.

    Rows are never changed: saving an edit adds the next version, so a letter sent with
    version 3 can be reproduced after version 4 exists. Without any row, the default
    text comes from the family catalogue.
    """

    __tablename__ = "letter_template"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "kind", "language", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(str_enum(LetterKind, 30))
    language: Mapped[str] = mapped_column(sa.String(8))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<LetterTemplate {self.id} {self.kind} {self.language} v{self.version}>"


class LetterSettings(TenantMixin, TimestampMixin, db.Model):
    """The municipality's letter settings: who signs the welcome letter, and how."""

    __tablename__ = "letter_settings"
    __table_args__ = (sa.UniqueConstraint("municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mayor_name: Mapped[str] = mapped_column(sa.String(120), default="")
    # Empty: "Mayor of <municipality>" in the letter's language.
    signature_line: Mapped[str] = mapped_column(sa.String(200), default="")

    def __repr__(self) -> str:
        return f"<LetterSettings {self.id} municipality={self.municipality_id}>"


class FamilyLanguageReview(TenantMixin, db.Model):
    """Whether a native speaker has reviewed the municipality's family texts in one language.

    No row means the default: reviewed for Danish and English, not reviewed for the rest.
    """

    __tablename__ = "family_language_review"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(8))
    reviewed: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<FamilyLanguageReview {self.language} reviewed={self.reviewed}>"


class LetterRecord(TenantMixin, db.Model):
    """A letter that was sent or handed over: what it said, to which record, in which language.

    ``snapshot`` holds the letter's data and the exact template text used, so the letter
    can be rendered again as it was, whatever happens to templates later.
    """

    __tablename__ = "letter_record"
    __table_args__ = (sa.Index("ix_letter_record_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(str_enum(LetterKind, 30))
    language: Mapped[str] = mapped_column(sa.String(8))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letter_template.id"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<LetterRecord {self.id} {self.kind} {self.object_type}:{self.object_id}>"


class FamilyLinkPurpose(enum.StrEnum):
    CONTACT_CARD = "contact_card"


class FamilyLinkStatus(enum.StrEnum):
    """Derived, never stored: a link is active until it expires or is revoked."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class FamilyLink(TenantMixin, db.Model):
    """A private link a family opens without an account. Only the token's SHA-256 is stored.

    ``snapshot`` freezes what the page shows (the card's data and text) when the link is
    made; it is emptied when the link is revoked, since nothing may show it any more.
    """

    __tablename__ = "family_link"
    __table_args__ = (sa.Index("ix_family_link_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[FamilyLinkPurpose] = mapped_column(str_enum(FamilyLinkPurpose, 30))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    language: Mapped[str] = mapped_column(sa.String(8))
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    open_count: Mapped[int] = mapped_column(default=0)
    last_opened_at: Mapped[dt.datetime | None]
    # The e-mail that carried the link to the household; None: nothing was sent, hand the card over.
    email_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))

    def status(self, now: dt.datetime | None = None) -> FamilyLinkStatus:
        if self.revoked_at is not None:
            return FamilyLinkStatus.REVOKED
        if (now or utcnow()) >= self.expires_at:
            return FamilyLinkStatus.EXPIRED
        return FamilyLinkStatus.ACTIVE

    def __repr__(self) -> str:
        return f"<FamilyLink {self.id} {self.purpose} {self.object_type}:{self.object_id}>"

"""A family's answers on its private link, and the reminders sent when nobody confirmed contact."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.db import TenantMixin, str_enum, utcnow
from volunteer_hub.extensions import db


class AnswerKind(enum.StrEnum):
    """The choices on the private link page (issue 22)."""

    MET = "met"
    NO_CONTACT = "no_contact"
    ANOTHER_VOLUNTEER = "another_volunteer"
    HELP = "help"
    INTERPRETER = "interpreter"


class HelpTopic(enum.StrEnum):
    """What a family may ask help with: the policy's topics. Health is a topic, never a detail."""

    HOUSING = "housing"
    WORK = "work"
    DANISH_CLASSES = "danish_classes"
    SCHOOL_DAYCARE = "school_daycare"
    LEISURE = "leisure"
    HEALTH_APPOINTMENT = "health_appointment"
    OTHER = "other"


# What the coordinator's list shows: a family that needs someone to act.
NEEDS_ACTION = (AnswerKind.NO_CONTACT, AnswerKind.ANOTHER_VOLUNTEER, AnswerKind.HELP, AnswerKind.INTERPRETER)


class FamilyAnswer(TenantMixin, db.Model):
    """One answer a family gave on its private link, recorded against the match.

    ``message`` is the family's own words, kept as written (any language, ``message_language``
    as the family said, empty when it did not say); only municipal staff read it, and each
    read is audited as a read of the household's data.
    """

    __tablename__ = "family_answer"
    __table_args__ = (
        sa.CheckConstraint("kind != 'help' OR topic IS NOT NULL", name="help_has_topic"),
        sa.CheckConstraint(
            "kind != 'interpreter' OR interpreter_language IS NOT NULL", name="interpreter_has_language"
        ),
        # The coordinator's list: open answers of a municipality, oldest first.
        sa.Index("ix_family_answer_open", "municipality_id", "handled_at", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(sa.ForeignKey("match.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("family_link.id", ondelete="SET NULL"))
    kind: Mapped[AnswerKind] = mapped_column(str_enum(AnswerKind, 20))
    topic: Mapped[HelpTopic | None] = mapped_column(str_enum(HelpTopic, 20))
    interpreter_language: Mapped[str | None] = mapped_column(sa.String(8))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    message_language: Mapped[str] = mapped_column(sa.String(8), default="")
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[dt.datetime | None]
    handled_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<FamilyAnswer {self.id} match={self.match_id} {self.kind} {self.topic or ''}>"


class AnswerReminderChannel(enum.StrEnum):
    EMAIL = "email"
    PAPER = "paper"  # no e-mail: the printed card's code is the reminder


class FamilyAnswerReminder(TenantMixin, db.Model):
    """The one reminder a match's family gets 14 days after approval when nobody confirmed contact."""

    __tablename__ = "family_answer_reminder"

    __table_args__ = (
        # The overview's paper reminders nobody confirmed, oldest first: walked in order, ten shown.
        sa.Index(
            "ix_family_answer_reminder_paper",
            "municipality_id",
            "sent_at",
            "match_id",
            postgresql_where=sa.text("channel = 'paper'"),
            sqlite_where=sa.text("channel = 'paper'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(sa.ForeignKey("match.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[AnswerReminderChannel] = mapped_column(str_enum(AnswerReminderChannel, 10))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<FamilyAnswerReminder match={self.match_id} {self.channel}>"

"""Matches and their life: proposals, approvals, check-ins, meetings and rejected pairs.

The state machine (proposed -> approved -> active -> ended) lives in ``workflow.py``: one
service per transition. A partial unique index keeps a (household, volunteer, scheme) from
having two open matches; capacity is counted from approved and active matches by date.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum, utcnow
from volunteer_hub.extensions import db

if TYPE_CHECKING:
    from volunteer_hub.families.models import Household, LeisureOffer
    from volunteer_hub.volunteers.models import Volunteer


class MatchStatus(enum.StrEnum):
    """proposed -> approved -> active -> ended; a proposal may also end without approval."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    ENDED = "ended"


class EndReason(enum.StrEnum):
    MOVED_AWAY = "moved_away"
    COMPLETED = "completed"
    DID_NOT_WORK_OUT = "did_not_work_out"
    VOLUNTEER_STOPPED = "volunteer_stopped"
    OTHER = "other"
    REJECTED = "rejected"  # a proposal whose pair a coordinator rejected (workflow.reject_pair)


class MatchSource(enum.StrEnum):
    """Where a match came from: a household's suggestions, the plan, by hand, or an import."""

    SUGGESTION = "suggestion"
    PLAN = "plan"
    MANUAL = "manual"
    IMPORT = "import"


class MeetingKind(enum.StrEnum):
    IN_PERSON = "in_person"
    ACTIVITY = "activity"
    PHONE = "phone"
    VIDEO = "video"


class CheckInKind(enum.StrEnum):
    """The follow-ups scheduled at approval: after 2 weeks, 1 month and 3 months."""

    TWO_WEEKS = "two_weeks"
    ONE_MONTH = "one_month"
    THREE_MONTHS = "three_months"


OPEN_STATUSES = (MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.ACTIVE)
RUNNING_STATUSES = (MatchStatus.APPROVED, MatchStatus.ACTIVE)


class Match(TenantMixin, TimestampMixin, db.Model):
    """A volunteer paired with a household in one scheme."""

    __tablename__ = "match"
    __table_args__ = (
        sa.Index(
            "uq_match_open_pair",
            "household_id",
            "volunteer_id",
            "scheme",
            unique=True,
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="ends_after_start"
        ),
        sa.CheckConstraint("status != 'ended' OR end_reason IS NOT NULL", name="ended_has_reason"),
        # A household's suggestions count each candidate's matches active on a day (free capacity).
        sa.Index("ix_match_volunteer_id_started_on", "volunteer_id", "started_on"),
        # The overview's running matches without contact, longest without first, counted from
        # the index alone on PostgreSQL.
        sa.Index(
            "ix_match_municipality_id_last_contact_on",
            "municipality_id",
            "last_contact_on",
            "id",
            postgresql_where=sa.text("status IN ('approved', 'active')"),
            sqlite_where=sa.text("status IN ('approved', 'active')"),
        ),
        # Who waits (``matching.waiting``): the few matches with an end date still ahead.
        sa.Index(
            "ix_match_ends_ahead",
            "ended_on",
            "household_id",
            postgresql_where=sa.text("ended_on IS NOT NULL AND status != 'proposed'"),
            sqlite_where=sa.text("ended_on IS NOT NULL AND status != 'proposed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    # The volunteer's organisation when the match was made (None: independent), for reports.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[MatchStatus] = mapped_column(
        str_enum(MatchStatus, 12), default=MatchStatus.PROPOSED, index=True
    )
    source: Mapped[MatchSource] = mapped_column(str_enum(MatchSource, 12))
    started_on: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    # The latest contact (a logged meeting, or what other domains count as one: see
    # ``matching.queries.add_contact_source``), or the start while there is none: the day from
    # which days without contact count. Kept by ``volunteer_hub.maintained``, so that the list of
    # matches without contact reads an index instead of every meeting.
    last_contact_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_reason: Mapped[EndReason | None] = mapped_column(str_enum(EndReason, 20))
    end_note: Mapped[str] = mapped_column(sa.Text, default="")
    # A coordinator's written reason for overriding the language rule (the only rule that may be).
    override_reason: Mapped[str | None] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    # Leisure introduction (P9): where the introduction led.
    leisure_offer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("leisure_offer.id", ondelete="SET NULL")
    )
    first_visit_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    membership_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    still_taking_part_at_3_months: Mapped[bool | None]

    household: Mapped[Household] = relationship()
    volunteer: Mapped[Volunteer] = relationship()
    leisure_offer: Mapped[LeisureOffer | None] = relationship()
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="CheckIn.due_on"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="Meeting.on.desc()"
    )

    def __repr__(self) -> str:
        return f"<Match {self.id} {self.scheme} {self.status}>"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_active_on(self, day: dt.date) -> bool:
        """FORMATS.md: started on or before ``day`` and not ended on or before it."""
        return (
            self.status != MatchStatus.PROPOSED
            and self.started_on is not None
            and self.started_on <= day
            and (self.ended_on is None or self.ended_on > day)
        )


class RejectedPair(TenantMixin, db.Model):
    """A (household, volunteer, scheme) a coordinator rejected: never proposed again."""

    __tablename__ = "rejected_pair"
    __table_args__ = (sa.UniqueConstraint("household_id", "volunteer_id", "scheme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(sa.ForeignKey("household.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(30))
    reason: Mapped[str] = mapped_column(sa.Text)
    rejected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    rejected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RejectedPair {self.household_id} {self.volunteer_id} {self.scheme}>"


class CheckIn(db.Model):
    """A scheduled follow-up of a match, done when a coordinator records it."""

    __tablename__ = "match_check_in"
    __table_args__ = (sa.UniqueConstraint("match_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(sa.ForeignKey("match.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CheckInKind] = mapped_column(str_enum(CheckInKind, 20))
    due_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    match: Mapped[Match] = relationship(back_populates="check_ins")

    def __repr__(self) -> str:
        return f"<CheckIn {self.match_id} {self.kind} due {self.due_on}>"


class Meeting(db.Model):
    """A meeting the volunteer logged: when, how long, what kind, and a short note."""

    __tablename__ = "match_meeting"
    __table_args__ = (
        sa.CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_a_day"),
        # The dashboard reads a running match's last meeting from the index alone.
        sa.Index("ix_match_meeting_match_id_on", "match_id", "on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(sa.ForeignKey("match.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    minutes: Mapped[int] = mapped_column(default=0)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind, 12))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    logged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(back_populates="meetings")

    def __repr__(self) -> str:
        return f"<Meeting {self.match_id} {self.on} {self.minutes} min>"


class PoolVersion(db.Model):
    """What interest rarity is counted over, per municipality, as a token that changes with it.

    A new token is written in the transaction of every change to the pool's approved volunteers,
    their interests, or the interests and schemes of households (``matching.rarity``), so the
    rarity counts kept for a token are never stale. A token, not a counter: a database restored
    to an earlier state brings back that state's token, never one that meant something else.
    """

    __tablename__ = "matching_pool_version"

    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))

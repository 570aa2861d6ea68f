"""Recording a family's answer from its private link, and what staff and volunteers read of it.

Answers need no account: the private link is the family's key, so each one is recorded against
the link's match, audited (codes only, never the message), refused once the link has expired or
been revoked, and limited per link. The family's free message is personal data: only municipal
staff of the household's municipality read it, and each read is audited as a read of the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import func, select

from volunteer_hub.answers.models import NEEDS_ACTION, AnswerKind, FamilyAnswer, HelpTopic
from volunteer_hub.audit.services import record
from volunteer_hub.core.languages import FAMILY_LANGUAGES
from volunteer_hub.core.sql_days import danish_date
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink, FamilyLinkStatus
from volunteer_hub.matching.models import RUNNING_STATUSES, Match

ANSWERS_PER_LINK_PER_DAY = 10
MESSAGE_MAX = 1000
SAME_ANSWER_WINDOW = dt.timedelta(hours=24)
INTERPRETER_LANGUAGES = tuple(code for code in FAMILY_LANGUAGES if code != "da")


class AnswerRefusedError(ValueError):
    """The link cannot take an answer (closed, or no running match behind it)."""


class UnknownLanguageError(ValueError):
    """The interpreter's language is not one the page offers."""


class TooManyAnswersError(ValueError):
    """A link gave ``ANSWERS_PER_LINK_PER_DAY`` answers in the last 24 hours."""


@dataclass(frozen=True)
class Choice:
    """One choice on the page: an answer kind and, for help, its topic."""

    kind: AnswerKind
    topic: HelpTopic | None = None

    @property
    def slug(self) -> str:
        return f"help-{self.topic.value}" if self.topic else self.kind.value


CHOICES: tuple[Choice, ...] = (
    Choice(AnswerKind.MET),
    Choice(AnswerKind.NO_CONTACT),
    Choice(AnswerKind.ANOTHER_VOLUNTEER),
    *(Choice(AnswerKind.HELP, topic) for topic in HelpTopic),
    Choice(AnswerKind.INTERPRETER),
)
_BY_SLUG = {choice.slug: choice for choice in CHOICES}


def choice_from_slug(slug: str) -> Choice | None:
    return _BY_SLUG.get(slug)


def match_of_link(link: FamilyLink) -> Match | None:
    """The running match a contact-card link was made for, else None."""
    if link.object_type != "match":
        return None
    match = db.session.execute(
        select(Match)
        .where(Match.id == link.object_id, Match.municipality_id == link.municipality_id)
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if match is None or match.status not in RUNNING_STATUSES:
        return None
    return match


def record_answer(
    link: FamilyLink,
    choice: Choice,
    *,
    message: str = "",
    message_language: str = "",
    interpreter_language: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[FamilyAnswer, bool]:
    """Record a family's answer against the link's match; return it and whether it is new.

    The same choice sent again from the same link within 24 hours (a second tap, a reload) is
    not recorded twice: the first answer is returned.
    """
    now = now or utcnow()
    if link.status(now) != FamilyLinkStatus.ACTIVE:
        raise AnswerRefusedError("the link is closed")
    match = match_of_link(link)
    if match is None:
        raise AnswerRefusedError("no running match behind the link")
    language = interpreter_language if choice.kind == AnswerKind.INTERPRETER else None
    if choice.kind == AnswerKind.INTERPRETER and language not in INTERPRETER_LANGUAGES:
        raise UnknownLanguageError("unknown interpreter language")
    message = (message or "").strip()[:MESSAGE_MAX]
    message_language = message_language if message and message_language in FAMILY_LANGUAGES else ""
    recent = [a for a in _recent_answers(link, now)]
    for answer in recent:
        if (answer.kind, answer.topic, answer.interpreter_language, answer.message) == (
            choice.kind, choice.topic, language, message,
        ):  # fmt: skip
            return answer, False
    if len(recent) >= ANSWERS_PER_LINK_PER_DAY:
        raise TooManyAnswersError("too many answers from one link today")
    answer = FamilyAnswer(
        municipality_id=match.municipality_id,
        match_id=match.id,
        household_id=match.household_id,
        link_id=link.id,
        kind=choice.kind,
        topic=choice.topic,
        interpreter_language=language,
        message=message,
        message_language=message_language,
        answered_at=now,
    )
    db.session.add(answer)
    db.session.flush()
    record(
        "family_answer.recorded",
        actor=None,
        municipality_id=answer.municipality_id,
        obj=answer,
        match_id=match.id,
        link_id=link.id,
        kind=choice.kind.value,
        topic=choice.topic.value if choice.topic else None,
        interpreter_language=language,
        with_message=bool(message),
    )
    return answer, True


def record_refusal(link: FamilyLink) -> None:
    """Audit an answer refused because the link is closed or its match is no longer running."""
    record(
        "family_answer.refused",
        actor=None,
        municipality_id=link.municipality_id,
        obj=link,
        status=link.status().value,
    )


def _recent_answers(link: FamilyLink, now: dt.datetime) -> list[FamilyAnswer]:
    return list(
        db.session.execute(
            select(FamilyAnswer)
            .where(FamilyAnswer.link_id == link.id, FamilyAnswer.answered_at > now - SAME_ANSWER_WINDOW)
            .execution_options(all_tenants=True)
        ).scalars()
    )


# --- what the volunteer and the follow-up read ----------------------------------------------------


def met_answers() -> Any:
    """``(match_id, on)`` of every "we have met": contact, for the list of matches without it,
    on the day the family answered in Denmark (as meetings are dated)."""
    answered_on = danish_date(FamilyAnswer.answered_at)
    return select(FamilyAnswer.match_id.label("match_id"), answered_on.label("on")).where(
        FamilyAnswer.kind == AnswerKind.MET
    )


def family_confirmed_met_on(match_id: int) -> dt.datetime | None:
    """When the family first said "we have met" for this match, or None."""
    return db.session.execute(
        select(func.min(FamilyAnswer.answered_at)).where(
            FamilyAnswer.match_id == match_id, FamilyAnswer.kind == AnswerKind.MET
        )
    ).scalar_one()


def family_contact_answer(match_id: int) -> tuple[bool, bool]:
    """(the family ever said "we have met", its latest word on contact is "nobody contacted us")."""
    rows = db.session.execute(
        select(FamilyAnswer.kind)
        .where(
            FamilyAnswer.match_id == match_id,
            FamilyAnswer.kind.in_((AnswerKind.MET, AnswerKind.NO_CONTACT)),
        )
        .order_by(FamilyAnswer.answered_at.desc(), FamilyAnswer.id.desc())
    ).scalars()
    kinds = list(rows)
    return AnswerKind.MET in kinds, bool(kinds) and kinds[0] == AnswerKind.NO_CONTACT


# --- the coordinator's side -----------------------------------------------------------------------


def open_answers_query(municipality_id: int) -> Any:
    """Answers that ask the municipality to act and nobody has handled yet, oldest first."""
    return (
        select(FamilyAnswer)
        .where(
            FamilyAnswer.municipality_id == municipality_id,
            FamilyAnswer.kind.in_(NEEDS_ACTION),
            FamilyAnswer.handled_at.is_(None),
        )
        .order_by(FamilyAnswer.answered_at, FamilyAnswer.id)
    )


def get_answer_or_404(answer_id: int, *, for_user: Any) -> FamilyAnswer:
    """An answer of the user's own municipality (municipal staff only: see the route), else 404."""
    answer = db.session.get(FamilyAnswer, answer_id)
    if answer is None or answer.municipality_id != for_user.municipality_id:
        abort(404)
    return answer


def list_match_answers(match_id: int) -> list[FamilyAnswer]:
    """Every answer given for one match, newest first."""
    return list(
        db.session.execute(
            select(FamilyAnswer)
            .where(FamilyAnswer.match_id == match_id)
            .order_by(FamilyAnswer.answered_at.desc(), FamilyAnswer.id.desc())
        ).scalars()
    )


class AlreadyHandledError(ValueError):
    """An answer is marked as handled once, so the trail shows who did it."""


def mark_answer_handled(answer: FamilyAnswer, *, actor: Any) -> None:
    """A coordinator has acted on the answer: it leaves the overview's list."""
    if answer.handled_at is not None:
        raise AlreadyHandledError("already handled")
    answer.handled_at = utcnow()
    answer.handled_by_user_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        "family_answer.handled",
        actor=actor,
        municipality_id=answer.municipality_id,
        obj=answer,
        match_id=answer.match_id,
    )

"""The family's answers in the quarterly report (issue 22), read from the database.

Only the few rows of the reported quarter are read: the matches whose first 30 days end in it
(with the moment their family first said "we have met") and the answers given in it; the
figures are shaped by ``counts.family_answer_figures``, on days in Denmark.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import select

from volunteer_hub.answers.models import AnswerKind, FamilyAnswer
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match
from volunteer_hub.reports.counts import FAMILY_CONFIRMATION_DAYS, family_answer_figures
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.sql.scope import Scope, as_text, counted_matches

DENMARK = ZoneInfo("Europe/Copenhagen")


def _day_in_denmark(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(DENMARK).date()


def count_family_answers(
    municipality_id: int, organisation_id: int | None, quarter: Quarter
) -> dict[str, Any]:
    """The report's ``family_answers`` section for one municipality (or one organisation's matches)."""
    scope = Scope(municipality_id, organisation_id, quarter.start, quarter.end)
    window = dt.timedelta(days=FAMILY_CONFIRMATION_DAYS)
    first_met = (
        select(sa.func.min(FamilyAnswer.answered_at))
        .where(FamilyAnswer.match_id == Match.id, as_text(FamilyAnswer.kind) == AnswerKind.MET.value)
        .correlate(Match)
        .scalar_subquery()
    )
    matches = plain_rows(
        db.session,
        select(Match.started_on, first_met).where(
            *counted_matches(scope),
            Match.started_on >= quarter.start - window,
            Match.started_on <= quarter.end - window,
        ),
    )
    # A day's margin each side: an answer's day is its day in Denmark, decided below.
    answers = plain_rows(
        db.session,
        select(
            FamilyAnswer.match_id,
            FamilyAnswer.answered_at,
            as_text(FamilyAnswer.kind),
            as_text(FamilyAnswer.topic),
        )
        .join(Match, Match.id == FamilyAnswer.match_id)
        .where(
            *counted_matches(scope),
            FamilyAnswer.answered_at
            >= dt.datetime.combine(quarter.start, dt.time(), dt.UTC) - dt.timedelta(days=1),
            FamilyAnswer.answered_at
            < dt.datetime.combine(quarter.end, dt.time(), dt.UTC) + dt.timedelta(days=2),
        ),
    )
    return family_answer_figures(
        [(started_on, _day_in_denmark(met_at)) for started_on, met_at in matches],
        [(match_id, _day_in_denmark(at), kind, topic) for match_id, at, kind, topic in answers],
        quarter,
    )

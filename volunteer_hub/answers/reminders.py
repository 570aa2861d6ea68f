"""The 14-day reminder: a family whose match nobody confirmed is asked how it went.

``flask answers remind`` (run daily, like ``flask outbox send``) finds running matches approved
at least ``REMINDER_AFTER_DAYS`` days ago where neither the volunteer logged a meeting nor the
family said "we have met", and sends each family one reminder: by e-mail with a new private
link where the household has an e-mail address; a household with only paper has the printed
contact card's code ("scan this code to tell us how it went"), so its reminder is recorded as
``paper`` and shown on the coordinator's overview. Each match is reminded once.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from volunteer_hub.answers.models import AnswerKind, AnswerReminderChannel, FamilyAnswer, FamilyAnswerReminder
from volunteer_hub.audit.services import record
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.letters import links
from volunteer_hub.matching.cards import contact_card_data
from volunteer_hub.matching.models import RUNNING_STATUSES, Match, Meeting
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.notifications.services import queue_email

REMINDER_AFTER_DAYS = 14
REMINDER_EMAIL = "family_answer_reminder"


def matches_due_for_reminder(now: dt.datetime | None = None) -> list[Match]:
    """Running matches (all municipalities) approved 14 days ago or more, not reminded, with no
    meeting logged and no "we have met" from the family."""
    now = now or utcnow()
    met = select(FamilyAnswer.match_id).where(FamilyAnswer.kind == AnswerKind.MET)
    return list(
        db.session.execute(
            select(Match)
            .where(
                Match.status.in_(RUNNING_STATUSES),
                Match.approved_at <= now - dt.timedelta(days=REMINDER_AFTER_DAYS),
                Match.id.not_in(select(Meeting.match_id)),
                Match.id.not_in(met),
                Match.id.not_in(select(FamilyAnswerReminder.match_id)),
            )
            .order_by(Match.approved_at, Match.id)
            .execution_options(all_tenants=True)
        ).scalars()
    )


def remind_family(match: Match, *, today: dt.date) -> FamilyAnswerReminder:
    """Send (or, without e-mail, record) the one reminder of a match, with its audit event."""
    household = db.session.get(Household, match.household_id)
    assert household is not None
    if household.email:
        data = contact_card_data(match, household, match.volunteer, today)
        link, token = links.create_family_link(data, object_type="match", object_id=match.id, actor=None)
        queue_email(
            municipality_id=match.municipality_id,
            to=household.email,
            template=REMINDER_EMAIL,
            language=link.language,
            context={
                "url": links.link_url(token),
                "expires": links.link_expiry_text(link),
                "municipality_name": data.municipality_name,
            },
        )
        channel = AnswerReminderChannel.EMAIL
    else:
        channel = AnswerReminderChannel.PAPER
    reminder = FamilyAnswerReminder(municipality_id=match.municipality_id, match_id=match.id, channel=channel)
    db.session.add(reminder)
    db.session.flush()
    record(
        "family_answer.reminder_sent",
        actor=None,
        municipality_id=match.municipality_id,
        obj=reminder,
        match_id=match.id,
        channel=channel.value,
    )
    return reminder


def send_reminders(*, today: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind every due family once; return how many by e-mail and on paper."""
    sent = {"email": 0, "paper": 0}
    for match in matches_due_for_reminder(now):
        sent[remind_family(match, today=today).channel.value] += 1
    return sent


_LINK_IN_TEXT = re.compile(re.escape(links.LINK_PREFIX) + r"/[A-Za-z0-9_-]{20,100}")


def redact_sent_reminder(message: OutboxMessage) -> None:
    """Outbox hook: once a reminder is delivered, drop its raw token, as for the card's e-mail."""
    if message.template == REMINDER_EMAIL:
        message.body = _LINK_IN_TEXT.sub(f"{links.LINK_PREFIX}/{links.REDACTED}", message.body)

"""Announced arrivals (issue 21): a pair for a household that has not arrived yet starts on its
arrival, and its contact cards go out a few days before it, not on the day of approval.

The start day is the household's first arrival when that is after today, else today. The
cards' e-mails are queued with the approval (so they exist exactly when it was committed), but
the outbox sends a message only once its ``next_attempt_at`` has come: it is set to 07:00 in
Denmark, ``CONTACT_CARD_DAYS_BEFORE_ARRIVAL`` days (default 3) before the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching import cards
from volunteer_hub.matching.models import Match
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import Volunteer

DEFAULT_DAYS_BEFORE_ARRIVAL = 3
SEND_AT = dt.time(7, 0)
_DENMARK = ZoneInfo("Europe/Copenhagen")


def start_day(household: Household, today: dt.date | None = None) -> dt.date:
    """The day a pair for ``household`` starts: its first arrival if still to come, else today."""
    today = today or local_today()
    arrival = household.first_arrival_on
    return arrival if arrival is not None and arrival > today else today


def waiting_days(household: Household, today: dt.date) -> int:
    """Days a household has waited for a volunteer: since it registered or arrived, whichever is
    later (the plan's waiting price counts the same days); 0 before arrival."""
    since = household.registered_on
    arrival = household.first_arrival_on
    if arrival is not None and (since is None or arrival > since):
        since = arrival
    return max((today - since).days, 0) if since is not None else 0


def days_before_arrival() -> int:
    """The setting: how many days before arrival the contact cards go out."""
    return int(current_app.config.get("CONTACT_CARD_DAYS_BEFORE_ARRIVAL", DEFAULT_DAYS_BEFORE_ARRIVAL))


def card_send_day(starts_on: dt.date, today: dt.date | None = None) -> dt.date:
    """The day the contact cards of a pair starting on ``starts_on`` go out (never before today)."""
    today = today or local_today()
    return max(today, starts_on - dt.timedelta(days=days_before_arrival()))


def hold_until_before_start(
    messages: Iterable[OutboxMessage | None], starts_on: dt.date, today: dt.date | None = None
) -> None:
    """Let the outbox send ``messages`` only from the card day of a pair starting ``starts_on``."""
    today = today or local_today()
    send_on = card_send_day(starts_on, today)
    if send_on <= today:
        return
    at = dt.datetime.combine(send_on, SEND_AT, tzinfo=_DENMARK).astimezone(dt.UTC)
    for message in messages:
        if message is not None:
            message.next_attempt_at = at
    db.session.flush()


def send_cards_and_introduce(
    match: Match, household: Household, volunteer: Volunteer, *, actor: Any, on: dt.date
) -> None:
    """What an approval sends and completes: the contact cards (held until shortly before ``on``
    when the pair starts later) and, once the household is here, its "introduction to networks".

    A household that has not arrived cannot have a reception item done (the case refuses a
    date in the future or before arrival), so for an announced household the coordinator ticks
    it when the pair has met.
    """
    messages = cards.send_contact_cards(match, household, volunteer, actor=actor, on=on)
    hold_until_before_start(messages, on)
    if on <= local_today():
        cards.complete_network_intro(household, volunteer, actor=actor, on=on)

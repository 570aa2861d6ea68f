"""The 14-day reminder: once per match, by e-mail with a new link, or on paper (the printed card's code)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.answers.helpers import approved_match, days_ago, events
from tests.matching.factories import TODAY
from tests.support import login_as
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer, FamilyAnswerReminder
from volunteer_hub.answers.reminders import REMINDER_EMAIL
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.matching.followup import log_meeting
from volunteer_hub.matching.models import Match, MeetingKind
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.notifications.services import send_due_messages


def _approved_days_ago(match_id: int, days: int) -> None:
    db.session.get_one(Match, match_id).approved_at = days_ago(days)
    db.session.commit()


def _remind(app) -> dict[str, int]:
    result = app.test_cli_runner().invoke(args=["answers", "remind"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _reminders() -> list[OutboxMessage]:
    return list(
        db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.template == REMINDER_EMAIL)).scalars()
    )


def test_a_family_with_email_is_reminded_once_in_its_language_with_a_link_that_works(
    app, client, glostrup, smtp_sink
):
    with app.app_context():
        made = approved_match(glostrup, language="ti", email="haile@example.dk")
        _approved_days_ago(made.match_id, 13)
    assert _remind(app) == {"email": 0, "paper": 0}  # 13 days: not yet
    with app.app_context():
        _approved_days_ago(made.match_id, 14)
    assert _remind(app) == {"email": 1, "paper": 0}
    assert _remind(app) == {"email": 0, "paper": 0}  # once per match
    with app.app_context():
        (message,) = _reminders()
        assert message.language == "ti" and message.recipient == "haile@example.dk"
        url = next(line for line in message.body.splitlines() if "/k/" in line).strip()
        assert send_due_messages()["sent"] >= 1
        stored = db.session.get_one(OutboxMessage, message.id)
        assert links.REDACTED in stored.body and url not in stored.body  # the token is gone once delivered
        (event,) = events("family_answer.reminder_sent")
        assert event.details == {"match_id": made.match_id, "channel": "email"}
    (mail,) = [m for m in smtp_sink.to("haile@example.dk") if m["Subject"] == "ምስ ወለንተኛኹም ከመይ ይኸይድ ኣሎ?"]
    assert url in mail.get_content()
    page = client.get(url.removeprefix(app.config["PUBLIC_BASE_URL"].rstrip("/")))
    assert page.status_code == 200 and "ተራኺብና ኢና" in page.get_data(as_text=True)


def test_no_reminder_when_the_volunteer_logged_a_meeting_or_the_family_said_they_met(app, glostrup):
    with app.app_context():
        logged = approved_match(glostrup, language="ar", email="a@example.dk")
        confirmed = approved_match(glostrup, language="so", email="b@example.dk")
        log_meeting(
            db.session.get_one(Match, logged.match_id),
            actor=None,
            on=TODAY,
            minutes=60,
            kind=MeetingKind.IN_PERSON,
        )
        match = db.session.get_one(Match, confirmed.match_id)
        db.session.add(
            FamilyAnswer(
                municipality_id=match.municipality_id,
                match_id=match.id,
                household_id=match.household_id,
                kind=AnswerKind.MET,
            )
        )
        db.session.commit()
        _approved_days_ago(logged.match_id, 20)
        _approved_days_ago(confirmed.match_id, 20)
    assert _remind(app) == {"email": 0, "paper": 0}


def test_a_family_with_only_paper_is_listed_for_the_coordinator_to_print_the_card(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="uk", email="")
        _approved_days_ago(made.match_id, 15)
    assert _remind(app) == {"email": 0, "paper": 1}
    with app.app_context():
        assert _reminders() == []
        (reminder,) = db.session.execute(sa.select(FamilyAnswerReminder)).scalars()
        assert reminder.channel.value == "paper"
    login_as(client, glostrup.coordinator_login)
    overview = client.get("/").get_data(as_text=True)
    assert "Ingen kontakt bekræftet efter 14 dage, og familien har ingen e-mail" in overview
    assert f'href="/matching/{made.match_id}"' in overview

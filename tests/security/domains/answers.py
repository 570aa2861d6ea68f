"""The family's answers (issue 22): confirming a choice under a private link, and staff's answer pages.

Seeds, in each municipality, an answer with a message (a marker only the municipality's own
coordinators and administrators may see: only the answer's page shows it), and on the signed-in
volunteer's own match a "we have met" and a help answer whose message the volunteer must never
see; and a private link in A for a running match, so that the answer pages answer 200 there
(the letters' links, made for no running match, answer 410).
"""

from __future__ import annotations

import datetime as dt

from tests.security.harness import MUNICIPAL_STAFF, PUBLIC, Owner, RecordParam, Route, World, municipal_staff
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer, HelpTopic
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.letters.data import ContactCardData
from volunteer_hub.matching.models import Match

ORDER = 35  # after matching (25), whose matches it answers on, and letters (30)

PARAMS = {"answer_id": RecordParam("family_answer", municipal_staff)}
CHOICES = ["met", "help-health_appointment", "interpreter"]


def _answer(
    match: Match, kind: AnswerKind, message: str = "", topic: HelpTopic | None = None
) -> FamilyAnswer:
    answer = FamilyAnswer(
        municipality_id=match.municipality_id,
        match_id=match.id,
        household_id=match.household_id,
        kind=kind,
        topic=topic,
        message=message,
        message_language="da" if message else "",
        answered_at=utcnow() - dt.timedelta(days=1),
    )
    db.session.add(answer)
    db.session.flush()
    return answer


def seed(world: World) -> None:
    first_match: dict[str, int] = {}
    for record in world.records.get("match", []):
        first_match.setdefault(record.owner.municipality, record.id)
    for municipality, match_id in first_match.items():
        owner = Owner(municipality)
        message = world.add_canary(
            world.marker("family_answer.message"), "family_answer.message", owner, municipal_staff
        )
        answer = _answer(
            db.session.get_one(Match, match_id), AnswerKind.HELP, message, HelpTopic.HEALTH_APPOINTMENT
        )
        world.add_record("family_answer", answer.id, owner)
    for record in world.records.get("own_match", []):
        match = db.session.get_one(Match, record.id)
        _answer(match, AnswerKind.MET)
        owner = Owner(record.owner.municipality)
        message = world.add_canary(
            world.marker("family_answer.message"), "family_answer.message", owner, municipal_staff
        )
        world.add_record("family_answer", _answer(match, AnswerKind.NO_CONTACT, message).id, owner)
    if "A" in first_match:
        card = ContactCardData(
            municipality_id=world.municipality_ids["A"],
            municipality_name="Kommune",
            household_name="Familien Haile",
            language="ti",
            volunteer_first_name="Mette",
            volunteer_phone="+45 20 30 40 50",
            volunteer_email="mette@example.dk",
            volunteer_languages=["da", "ti"],
            volunteer_intro="",
            scheme="friend_buddy",
            date=dt.date.today(),
        )
        _link, token = links.create_family_link(
            card, object_type="match", object_id=first_match["A"], actor=None
        )
        world.add_record("family_link_token", token, Owner("A"))  # type: ignore[arg-type] - the token is the id


ROUTES = [
    Route(
        "answers.answer",
        PUBLIC,
        params={"choice": CHOICES},
        ok={"GET": (200, 410), "POST": (302, 400, 410)},
        note="the token is the key; 410 where the link is closed or has no running match",
    ),
    Route("answers.thanks", PUBLIC, ok={"GET": (200, 410)}),
    Route("answers.detail", MUNICIPAL_STAFF),
    Route("answers.handled", MUNICIPAL_STAFF, ok={"POST": (302, 400)}),
]

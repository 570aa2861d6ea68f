"""Erasing a matched volunteer ends their matches and scrubs their details from letters and links."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from tests.matching.factories import household, volunteer
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink, LetterRecord
from volunteer_hub.matching.erasure import forget_volunteer
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MatchStatus
from volunteer_hub.matching.workflow import approve_match, propose_match


def test_forgetting_a_volunteer_ends_the_match_and_empties_cards_and_links(ctx):
    municipality = make_municipality()
    coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    person = volunteer(municipality, first_name="Ingrid", phone="+4522334455", email="ingrid@example.dk")
    home = household(municipality, email="haile@example.dk")
    match = propose_match(home, person, "friend_buddy", actor=coordinator, source=MatchSource.MANUAL)
    approve_match(match, actor=coordinator)
    db.session.commit()
    card = db.session.execute(sa.select(LetterRecord).where(LetterRecord.object_type == "match")).scalar_one()
    assert card.snapshot["data"]["volunteer_phone"]  # the card carried the phone before

    forget_volunteer(person.id, actor=coordinator)
    db.session.commit()

    match = db.session.get(Match, match.id)
    assert (match.status, match.end_reason) == (MatchStatus.ENDED, EndReason.VOLUNTEER_STOPPED)
    card = db.session.get(LetterRecord, card.id)
    data = card.snapshot["data"]
    assert (data["volunteer_first_name"], data["volunteer_phone"], data["volunteer_email"]) == ("", "", "")
    links = db.session.execute(sa.select(FamilyLink)).scalars().all()
    assert links and all(link.revoked_at is not None for link in links)
    dumped = " ".join(str(link.snapshot) for link in links) + str(card.snapshot)
    assert "22334455" not in dumped and "ingrid@example.dk" not in dumped

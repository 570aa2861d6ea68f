"""The volunteer's export (GDPR art. 15 and 20) holds everything the platform keeps about them.

The same life as the erasure test: matches (the active one Min side shows included), meetings
with their notes, follow-up notes, a rejected pair, an ended match, the contact cards and private
links that gave families their phone and introduction, and their own actions from the audit trail;
each code beside its label in the volunteer's language, and a portable part with codes only.
"""

from __future__ import annotations

import json

from tests.support import login_as
from tests.volunteers.test_privacy_dump import (
    CHECK_IN_NOTE,
    EMAIL,
    END_NOTE,
    FIRST,
    MEETING_NOTE,
    REJECT_REASON,
    build_history,
)
from volunteer_hub.auth.models import User
from volunteer_hub.auth.services import authenticate
from volunteer_hub.extensions import db


def _export(app, client, ids):
    with app.app_context():
        authenticate(EMAIL, "wrong password")  # a failed sign-in: an event about their account
        db.session.commit()
        login_as(client, db.session.get(User, ids["user"]))
    response = client.get("/min-side/data.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_export_holds_matches_meetings_notes_cards_links_and_own_actions(app, client):
    ids = build_history(app)
    data = _export(app, client, ids)

    matches = {m["id"]: m for m in data["matches"]}
    active = matches[ids["match"]]
    assert active["status"]["code"] == "active" and active["status"]["label"] not in ("", "active")
    assert active["scheme"] == {"code": "friend_buddy", "label": "Følg en ven"}
    assert [(m["minutes"], m["note"]) for m in active["meetings"]] == [(90, MEETING_NOTE)]
    assert active["meetings"][0]["kind"]["code"] == "activity" and active["meetings"][0]["kind"]["label"]
    assert CHECK_IN_NOTE in [f["note"] for f in active["follow_ups"]]
    ended = [m for m in data["matches"] if m["end_note"] == END_NOTE]
    assert ended and ended[0]["end_reason"]["code"] == "other"
    rejected = [m for m in data["matches"] if m["end_reason"] and m["end_reason"]["code"] == "rejected"]
    assert len(rejected) == 1
    assert [r["reason"] for r in data["rejected_pairs"]] == [REJECT_REASON]

    cards = data["contact_cards"]
    assert cards["letters"] and cards["private_links"]
    given = cards["private_links"][0]["about_you"]
    assert given["volunteer_first_name"] == FIRST and given["volunteer_phone"]
    assert given["volunteer_intro"]

    own = {e["action"]["code"] for e in data["own_actions"]}
    assert {"match.meeting_logged", "auth.login_failed"} <= own
    assert data["volunteer"]["schemes"][0]["label"] != data["volunteer"]["schemes"][0]["code"]
    assert data["portable"]["email"] == EMAIL and data["portable"]["schemes"] == [
        "friend_buddy",
        "family_buddy",
    ]

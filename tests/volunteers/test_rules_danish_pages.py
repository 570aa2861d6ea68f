"""Issue 20 (items 1, 2, 3, 5, 8): the pages these items changed show no English on a Danish page.

An English phrase counts when it is the literal part (three words or more) of a catalogue entry
whose Danish translation differs: seen on a Danish page, it was not translated.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from tests.browser_sweep.checks import english_phrases
from tests.factories import make_household, make_match, make_volunteer
from tests.matching.factories import household, volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import CheckIn, CheckInKind
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import VolunteerStatus


def english_in(page: str) -> list[str]:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return [phrase for phrase in english_phrases() if phrase in text]


def test_the_changed_pages_are_all_danish(app, client, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        person = make_volunteer(municipality, status=VolunteerStatus.APPROVED, with_account=True)
        suspended = make_volunteer(municipality, status=VolunteerStatus.APPROVED)
        services.suspend(suspended, glostrup.coordinator, "En klage.")
        family = make_household(municipality)
        match = make_match(family, person, started_on=dt.date(2026, 11, 2))
        match.check_ins = [CheckIn(kind=CheckInKind.ONE_MONTH, due_on=dt.date(2026, 12, 2))]
        volunteer(municipality)
        no_consent = household(municipality, consent_on=None)
        db.session.commit()
        ids = person.id, suspended.id, no_consent.id, family.id, person.user_id
    staff = app.test_client()
    login_as(staff, glostrup.coordinator_login)
    pages = {
        path: staff.get(path).get_data(as_text=True)
        for path in (
            f"/frivillige/{ids[0]}",
            f"/frivillige/{ids[0]}/status/suspend/bekraeft",
            f"/frivillige/{ids[1]}",
            f"/frivillige/{ids[1]}/status/reinstate/bekraeft",
            f"/familier/{ids[2]}/forslag",
        )
    }
    url = f"/familier/{ids[3]}/modtagelse"
    pages["reception refused"] = staff.post(
        url, data={"csrf_token": csrf_token(staff, url), "version": "1", "guided_tour_on": "2026-10-01"}
    ).get_data(as_text=True)
    with app.app_context():
        login_as(client, db.session.get(User, ids[4]))
    pages["/"] = client.get("/").get_data(as_text=True)
    pages["/min-side/profil"] = client.get("/min-side/profil").get_data(as_text=True)
    for path, page in pages.items():
        assert english_in(page) == [], path

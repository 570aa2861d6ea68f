"""Erasure (GDPR art. 17) leaves no personal value of the volunteer anywhere in the database dump.

A volunteer with matches, meetings and their notes, follow-up notes, a rejected pair, an ended
match with a note, contact-card letters, private links and the e-mails that carried them is
erased; then the whole database is dumped (SQLite: ``iterdump``; PostgreSQL: ``pg_dump``, every
table and column) and searched for every personal value they ever had.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests.factories import make_municipality, make_organisation, make_user
from tests.matching.factories import household
from volunteer_hub.auth.models import User
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.matching import followup, workflow
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MeetingKind
from volunteer_hub.volunteers import services, signup
from volunteer_hub.volunteers.models import Volunteer
from volunteer_hub.volunteers.privacy import erase_volunteer

FIRST, LAST = "Zainabette", "Oyelaran-Kristiansen"
EMAIL = "zainabette.unique@example.dk"
PHONE = "+4528765432"
PHONE_FORMS = ["+4528765432", "28765432", "28 76 54 32"]
ABOUT = "Mit hemmelige yndlingsord er pelikanfjer"
MEETING_NOTE = "Vi spiste is, ring til mig på 28765432 hvis I vil igen"
CHECK_IN_NOTE = f"{FIRST} {LAST} og familien trives"
REJECT_REASON = f"{FIRST} har ikke bil, og familien bor langt ude"
END_NOTE = f"{FIRST} flyttede til Aarhus med sin kajak"
SECRETS = [FIRST, LAST, EMAIL, ABOUT, MEETING_NOTE, CHECK_IN_NOTE, REJECT_REASON, END_NOTE, *PHONE_FORMS]


def _profile(organisation_id: int) -> services.Profile:
    return services.Profile(
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        postcode="2605",
        birth_year=1977,
        gender="f",
        organisation_id=organisation_id,
        languages={"da": "native", "ti": "fluent"},
        skills=["paperwork"],
        interests=["chess"],
        schemes=["friend_buddy", "family_buddy"],
        availability=["weekend"],
        capacity=3,
        about=ABOUT,
        language="da",
    )


def build_history(app) -> dict[str, int]:
    """The volunteer's whole life on the platform, committed."""
    with app.app_context():
        municipality = make_municipality()
        organisation = make_organisation(municipality, "Røde Kors Glostrup")
        coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
        volunteer = signup.submit_registration(
            municipality, EMAIL, _profile(organisation.id), services.Consents(True, True, True)
        )
        user = signup.verify_email(volunteer, "en lang adgangskode")
        services.approve(volunteer, coordinator)
        today = local_today()
        start = today - dt.timedelta(days=30)

        matched = household(municipality, email="haile@example.dk")
        match = workflow.create_manual_match(matched, volunteer, "friend_buddy", actor=coordinator, on=start)
        followup.log_meeting(
            match, actor=user, on=today - dt.timedelta(days=2), minutes=90, kind=MeetingKind.ACTIVITY,
            note=MEETING_NOTE,
        )  # fmt: skip
        followup.complete_check_in(match.check_ins[0], actor=coordinator, on=today, note=CHECK_IN_NOTE)

        rejected = household(municipality, email="kidane@example.dk")
        workflow.propose_match(
            rejected, volunteer, "friend_buddy", actor=coordinator, source=MatchSource.MANUAL
        )
        workflow.reject_pair(rejected, volunteer, "friend_buddy", REJECT_REASON, actor=coordinator)

        ended_home = household(municipality, email="tesfay@example.dk")
        ended = workflow.create_manual_match(
            ended_home, volunteer, "friend_buddy", actor=coordinator, on=start
        )
        workflow.end_match(ended, EndReason.OTHER, actor=coordinator, note=END_NOTE, on=today)
        db.session.commit()
        return {"volunteer": volunteer.id, "user": user.id, "match": match.id}


def erase(app, ids: dict[str, int]) -> None:
    with app.app_context():
        erase_volunteer(db.session.get(Volunteer, ids["volunteer"]), db.session.get(User, ids["user"]))
        db.session.commit()


def database_dump(app) -> str:
    """The whole database as text: every table, every column."""
    with app.app_context():
        url = db.engine.url
        if url.get_backend_name() == "sqlite":
            raw = db.engine.raw_connection()
            try:
                return "\n".join(raw.driver_connection.iterdump())
            finally:
                raw.close()
        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed to dump the PostgreSQL database"
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return subprocess.run(
            [pg_dump, "--data-only", "--no-owner", plain], check=True, capture_output=True, text=True
        ).stdout


def leftovers(dump: str) -> list[str]:
    lowered = dump.lower()
    # JSON columns escape non-ASCII; the secrets above are ASCII apart from "å", checked both ways.
    return [s for s in SECRETS if s.lower() in lowered or s.lower().replace("å", "\\u00e5") in lowered]


def _erasure_leaves_nothing(app) -> None:
    ids = build_history(app)
    assert set(leftovers(database_dump(app))) == set(SECRETS)  # the dump does hold them before
    erase(app, ids)
    assert leftovers(database_dump(app)) == []
    with app.app_context():
        match = db.session.get(Match, ids["match"])
        assert match.started_on is not None and len(match.meetings) == 1  # the counts' facts stay
        assert match.meetings[0].minutes == 90 and match.meetings[0].note == ""


def test_erasure_leaves_no_personal_value_in_the_database_dump(app):
    _erasure_leaves_nothing(app)  # SQLite, or PostgreSQL with VH_TEST_DB=postgres


@pytest.mark.pg_only
def test_erasure_leaves_no_personal_value_in_the_postgresql_dump(pg_app):
    _erasure_leaves_nothing(pg_app)

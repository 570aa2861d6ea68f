"""What the quarterly report counts after an erasure (docs/privacy.md).

A finalised quarter's report is stored and is returned unchanged, also through the API. A
draft of a past quarter counts the erased volunteer exactly as before (registered, approved,
active, their matches, the households and persons reached, meetings, certificates), except in
the language supply: their languages are erased.
"""

from __future__ import annotations

import datetime as dt

from tests.api.conftest import bearer
from tests.factories import adult, child, household_data, make_match, make_municipality, make_user
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.services.households import create_household
from volunteer_hub.matching.models import EndReason, MatchSource, MatchStatus, Meeting, MeetingKind
from volunteer_hub.reports import services
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.volunteers.models import RegistrationSource, Volunteer, VolunteerLanguage, VolunteerStatus
from volunteer_hub.volunteers.privacy import erase_volunteer

D = dt.date
Q3 = Quarter(2026, 3)


def _volunteer(municipality, ref, languages, *, user=None):
    volunteer = Volunteer(
        municipality_id=municipality.id, ref=ref, source=RegistrationSource.IMPORT,
        status=VolunteerStatus.APPROVED, registered_on=D(2026, 7, 10), first_name=ref, last_name="Test",
        email=f"{ref.lower()}@example.dk", postcode="2600", capacity=2, user_id=user.id if user else None,
    )  # fmt: skip
    volunteer.languages = [VolunteerLanguage(code=c, level=lv) for c, lv in languages.items()]
    db.session.add(volunteer)
    db.session.flush()
    for action, status, day in (
        ("volunteer.registered", "pending", 10),
        ("volunteer.approve", "approved", 15),
    ):
        db.session.add(
            AuditEvent(
                action=action, municipality_id=municipality.id, object_type="volunteer",
                object_id=volunteer.id,
                occurred_at=dt.datetime(2026, 7, day, 10, tzinfo=dt.UTC), details={"to_status": status},
            )
        )  # fmt: skip
    return volunteer


def _world():
    municipality = make_municipality()
    coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    account = make_user(municipality, Role.VOLUNTEER, email="leaving@example.dk")
    leaving = _volunteer(municipality, "V1", {"da": "native", "ti": "fluent"}, user=account)
    staying = _volunteer(municipality, "V2", {"da": "native"})
    for n, volunteer in enumerate((leaving, staying), start=1):
        home = create_household(
            municipality.id,
            household_data(ref=f"H{n}", registered_on=D(2026, 6, 20), languages=[("ti", "native")],
                           schemes=["family_buddy"], consent_on=D(2026, 6, 20)),
            [adult(f"Adult {n}", D(2026, 6, 15)), child(f"Child {n}", D(2026, 6, 15), 2015)],
            actor=None,
        )  # fmt: skip
        match = make_match(
            home, volunteer, status=MatchStatus.ENDED, source=MatchSource.IMPORT, started_on=D(2026, 7, 20),
            ended_on=D(2026, 12, 1), end_reason=EndReason.COMPLETED,
        )  # fmt: skip
        db.session.add(
            Meeting(match_id=match.id, on=D(2026, 8, 1), minutes=60, kind=MeetingKind.IN_PERSON, note="Fint")
        )
    db.session.commit()
    return municipality, coordinator, leaving, account


def _without(report, *keys):
    return {key: value for key, value in report.items() if key not in keys}


def test_a_draft_of_a_past_quarter_counts_the_erased_volunteer_as_before_but_for_their_languages(ctx):
    municipality, _coordinator, leaving, account = _world()
    before = services.build_report(municipality.id, Q3, None)
    assert before["volunteers"]["approved_at_end"] == 2 and before["reached"]["households"] == 2

    erase_volunteer(leaving, account)
    db.session.commit()
    after = services.build_report(municipality.id, Q3, None)

    ignored = ("language_gap", "change_from_previous_quarter", "data_as_of")
    assert _without(after, *ignored) == _without(before, *ignored)
    gap = {row["language"]: row["volunteers_available"] for row in after["language_gap"]}
    assert gap.get("ti", 0) == 0  # only the erased volunteer spoke Tigrinya
    assert after["language_gap"] != before["language_gap"]


def test_a_finalised_quarter_is_returned_as_stored_after_an_erasure(app, client):
    with app.app_context():
        municipality, coordinator, leaving, account = _world()
        services.finalise_report(
            municipality_id=municipality.id,
            quarter=Q3,
            organisation=None,
            actor=coordinator,
            today=D(2026, 10, 5),
        )
        secret = tokens.create_token(coordinator, name="report", scopes=["read"]).secret
        db.session.commit()
        ids = (leaving.id, account.id)
    url = "/api/v1/reports/quarterly?year=2026&quarter=3"
    before = client.get(url, headers=bearer(secret)).get_json()
    assert before["finalised_at"] is not None and before["volunteers"]["approved_at_end"] == 2
    with app.app_context():
        erase_volunteer(db.session.get(Volunteer, ids[0]), db.session.get(User, ids[1]))
        db.session.commit()
    assert client.get(url, headers=bearer(secret)).get_json() == before
    draft = client.get(url + "&version=draft", headers=bearer(secret)).get_json()
    assert draft["finalised_at"] is None and draft["volunteers"] == before["volunteers"]

"""Issue 20, item 9: one format for volunteers' reference numbers, whoever created the volunteer."""

from __future__ import annotations

import re

from tests.factories import make_volunteer
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import services, signup


def _profile(first_name: str) -> services.Profile:
    return services.Profile(
        first_name=first_name,
        last_name="Jensen",
        phone="+4520123456",
        postcode="2600",
        birth_year=1980,
        gender="f",
        organisation_id=None,
        languages={"da": "native"},
        skills=["paperwork"],
        interests=["chess"],
        schemes=["friend_buddy"],
        availability=["weekend"],
        capacity=1,
        about="",
        language="da",
    )


def test_web_sign_ups_number_on_from_the_imported_references(app, glostrup):
    with app.app_context():
        make_volunteer(glostrup.municipality, ref="V0023")
        make_volunteer(glostrup.municipality, ref="partner-17")  # a partner's own id is left alone
        consents = services.Consents(True, True, False)
        first = signup.submit_registration(glostrup.municipality, "a@example.dk", _profile("Anne"), consents)
        second = signup.submit_registration(glostrup.municipality, "b@example.dk", _profile("Bo"), consents)
        db.session.commit()
        assert (first.ref, second.ref) == ("V0024", "V0025")
        assert all(re.fullmatch(r"V\d{4,}", v.ref) for v in (first, second))


def test_a_reference_taken_at_the_same_moment_is_retried_with_the_next(app, glostrup, monkeypatch):
    from volunteer_hub.volunteers import refs

    with app.app_context():
        make_volunteer(glostrup.municipality, ref="V0023")
        answers = iter(["V0023", "V0024"])  # as if another sign-up had just taken V0023
        monkeypatch.setattr(refs, "next_volunteer_ref", lambda municipality_id: next(answers))
        consents = services.Consents(True, True, False)
        volunteer = signup.submit_registration(
            glostrup.municipality, "c@example.dk", _profile("Cai"), consents
        )
        db.session.commit()
        assert volunteer.ref == "V0024"

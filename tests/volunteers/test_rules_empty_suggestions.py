"""Issue 20, item 5: when a household's suggestion list is empty, the page names the hard rule
that emptied it (the household's consent first, then the volunteers' rules in FORMATS.md's order)
instead of always advising to recruit volunteers who speak the household's languages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from tests.matching.factories import TODAY, household, volunteer
from tests.support import login_as
from volunteer_hub.extensions import db
from volunteer_hub.matching.blockers import emptying_rule
from volunteer_hub.matching.models import RejectedPair
from volunteer_hub.volunteers.models import VolunteerStatus

LANGUAGE_ADVICE = "rekruttér frivillige, der taler husstandens sprog"


def _page(app, glostrup, household_id, scheme=None):
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    query = f"?ordning={scheme}" if scheme else ""
    return client.get(f"/familier/{household_id}/forslag{query}").get_data(as_text=True)


def test_a_household_without_consent_is_told_so_not_to_recruit_speakers(app, glostrup):
    with app.app_context():
        volunteer(glostrup.municipality)  # speaks Tigrinya, offers friend buddy: only consent is missing
        h = household(glostrup.municipality, consent_on=None)
        db.session.commit()
        household_id = h.id
    page = _page(app, glostrup, household_id)
    assert "Ingen egnet frivillig" in page
    assert "Husstanden har ikke givet samtykke" in page and "regel 6" in page
    assert LANGUAGE_ADVICE not in page


@pytest.mark.parametrize(
    ("setup", "rule", "words"),
    [
        ("nobody", "approved_free_capacity", "regel 1"),
        ("no_scheme", "scheme", "regel 2"),
        ("no_language", "shared_language", LANGUAGE_ADVICE),
        ("no_certificate", "child_certificate", "regel 4"),
        ("wrong_gender", "volunteer_gender", "regel 5"),
        ("rejected", "not_matched_or_rejected", "regel 7"),
    ],
)
def test_the_empty_list_names_the_rule_that_emptied_it(app, glostrup, setup, rule, words):
    with app.app_context():
        municipality = glostrup.municipality
        overrides = {}
        if setup == "no_certificate":
            overrides = {"schemes": ["family_buddy"], "children_birth_years": (TODAY.year - 8,)}
        if setup == "wrong_gender":
            overrides = {"volunteer_gender": "m"}
        h = household(municipality, **overrides)
        if setup == "nobody":
            volunteer(municipality, status=VolunteerStatus.PENDING)
        elif setup == "no_scheme":
            volunteer(municipality, schemes=["contact_person"])
        elif setup == "no_language":
            volunteer(municipality, languages={"da": "native"})
        else:
            v = volunteer(municipality, gender="f")
            if setup == "rejected":
                db.session.add(
                    RejectedPair(
                        municipality_id=municipality.id,
                        household_id=h.id,
                        volunteer_id=v.id,
                        scheme="friend_buddy",
                        reason="Passede ikke",
                    )
                )
        db.session.flush()
        assert emptying_rule(h, h.scheme_codes[0], TODAY) == rule
        db.session.commit()
        household_id = h.id
    page = _page(app, glostrup, household_id)
    assert "Ingen egnet frivillig" in page and words in page
    if rule != "shared_language":
        assert LANGUAGE_ADVICE not in page


def test_the_rule_is_found_with_one_query(ctx, glostrup):
    volunteer(glostrup.municipality, languages={"da": "native"})
    h = household(glostrup.municipality)
    db.session.flush()
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert emptying_rule(h, "friend_buddy", TODAY) == "shared_language"
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1


def test_no_rule_is_named_when_someone_is_eligible(ctx, glostrup):
    volunteer(glostrup.municipality)
    h = household(glostrup.municipality, consent_on=TODAY - dt.timedelta(days=1))
    db.session.flush()
    assert emptying_rule(h, "friend_buddy", TODAY) is None

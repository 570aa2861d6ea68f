"""The hard rules through the services, on the database (SQLite and PostgreSQL runs)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.extensions import db
from volunteer_hub.matching import services, workflow
from volunteer_hub.matching.models import MatchSource
from volunteer_hub.volunteers.models import ChildCertificateState, VolunteerStatus

# Every test here calls the services directly, inside one app context.
pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def municipality(ctx, glostrup):
    """Glostrup Kommune, loaded in the test's app context."""
    return glostrup.municipality


@pytest.fixture
def coordinator(ctx, glostrup):
    """Glostrup's coordinator, loaded in the test's app context."""
    return glostrup.coordinator


def _refs(rows):
    return [row.volunteer.ref for row in rows]


def test_suggestions_rank_eligible_volunteers_with_reasons_for_every_factor(municipality):
    h = household(municipality, interests=["football", "chess"])
    good = volunteer(municipality, ref="V0001", first_name="Senait")
    volunteer(municipality, ref="V0002", languages={"da": "native", "en": "fluent"})  # no shared language
    rows = services.suggestions_for(h, "friend_buddy", TODAY, "en")
    assert _refs(rows) == [good.ref]
    reasons = rows[0].suggestion.reasons
    assert [r.factor for r in reasons] == [
        "language",
        "interests",
        "availability",
        "distance",
        "skills",
        "waiting",
    ]
    assert "Tigrinya" in reasons[0].text
    assert abs(sum(r.contribution for r in reasons) - rows[0].suggestion.score) < 1e-9


def test_each_hard_rule_filters_on_the_database(municipality):
    h = household(
        municipality, schemes=["child_culture"], children_birth_years=(TODAY.year - 7,), volunteer_gender="f"
    )
    ok = volunteer(municipality, ref="V0010", certificate_on=TODAY - dt.timedelta(days=30))
    volunteer(municipality, ref="V0011")  # no child certificate
    volunteer(municipality, ref="V0012", certificate_on=TODAY - dt.timedelta(days=800))  # expired
    volunteer(
        municipality,
        ref="V0013",
        certificate_on=TODAY - dt.timedelta(days=30),
        certificate_state=ChildCertificateState.RECEIVED_WITH_REMARKS,
    )
    volunteer(
        municipality, ref="V0014", certificate_on=TODAY - dt.timedelta(days=30), status=VolunteerStatus.PAUSED
    )
    volunteer(
        municipality, ref="V0015", certificate_on=TODAY - dt.timedelta(days=30), schemes=["friend_buddy"]
    )
    male = volunteer(municipality, ref="V0016", certificate_on=TODAY - dt.timedelta(days=30))
    male.gender = "m"
    db.session.flush()
    assert _refs(services.suggestions_for(h, "child_culture", TODAY, "en")) == [ok.ref]


def test_why_not_names_every_failed_rule_in_the_interface_language(municipality):
    h = household(municipality, schemes=["child_culture"], children_birth_years=(TODAY.year - 7,))
    anna = volunteer(
        municipality, first_name="Anna", languages={"da": "native"}, status=VolunteerStatus.PAUSED
    )
    failures = services.why_not(h, "child_culture", anna, TODAY, "en")
    assert [f.rule for f in failures] == ["approved_free_capacity", "shared_language", "child_certificate"]
    assert [f.waivable for f in failures] == [False, True, False]
    danish = services.why_not(h, "child_culture", anna, TODAY, "da")
    assert all(f.text for f in danish) and danish[0].text != failures[0].text


def test_a_household_without_consent_gets_no_suggestions(municipality):
    h = household(municipality, consent_on=None)
    volunteer(municipality)
    assert services.suggestions_for(h, "friend_buddy", TODAY, "en") == []


def test_capacity_is_used_by_approval_and_freed_by_ending(municipality, coordinator):
    first, second = household(municipality), household(municipality)
    v = volunteer(municipality, capacity=1)
    match = workflow.propose_match(first, v, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    assert _refs(services.suggestions_for(second, "friend_buddy", TODAY, "en")) == [
        v.ref
    ]  # a proposal uses nothing
    workflow.approve_match(match, actor=coordinator, on=TODAY)
    assert services.suggestions_for(second, "friend_buddy", TODAY, "en") == []
    assert [f.rule for f in services.why_not(second, "friend_buddy", v, TODAY)] == ["approved_free_capacity"]
    workflow.end_match(match, workflow.EndReason.COMPLETED, actor=coordinator, on=TODAY)
    assert _refs(services.suggestions_for(second, "friend_buddy", TODAY, "en")) == [v.ref]


def test_a_volunteer_with_two_places_takes_two_households(municipality, coordinator):
    v = volunteer(municipality, capacity=2)
    for h in (household(municipality), household(municipality)):
        workflow.create_manual_match(h, v, "friend_buddy", actor=coordinator, on=TODAY)
    third = household(municipality)
    assert services.suggestions_for(third, "friend_buddy", TODAY, "en") == []


def test_matched_and_rejected_pairs_are_never_suggested_again(municipality, coordinator):
    h = household(municipality, schemes=["friend_buddy", "leisure_intro"])
    v = volunteer(municipality, capacity=3)
    workflow.propose_match(h, v, "friend_buddy", actor=coordinator, source=MatchSource.SUGGESTION)
    assert services.suggestions_for(h, "friend_buddy", TODAY, "en") == []
    assert _refs(services.suggestions_for(h, "leisure_intro", TODAY, "en")) == [v.ref]  # other scheme
    workflow.reject_pair(h, v, "leisure_intro", "They met before and it did not go well.", actor=coordinator)
    assert services.suggestions_for(h, "leisure_intro", TODAY, "en") == []
    plan = services.proposed_plan(municipality.id, TODAY, 0.0).plan
    assert plan.assignments == ()
    with pytest.raises(workflow.MatchRuleError) as error:
        workflow.propose_match(h, v, "leisure_intro", actor=coordinator, source=MatchSource.MANUAL)
    assert [f.rule for f in error.value.failures] == ["not_matched_or_rejected"]

"""A household's suggestions from the SQL pre-filter equal those scored against the whole pool.

The page and ``flask match suggest`` load only the volunteers the database lets through, with
interest rarity counted by the database; the plan loads everybody. On a varied municipality
(languages in merged groups, levels, certificates of every kind, capacities, statuses, gender
wishes, matches, rejected pairs, interests outside the vocabulary), both give the same ranked
volunteers, scores and reasons for every household and scheme (SQLite and PostgreSQL runs).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.factories import make_household, make_match, make_volunteer
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching import services
from volunteer_hub.matching.engine.rules import eligibility
from volunteer_hub.matching.models import MatchStatus, RejectedPair
from volunteer_hub.vocab import INTERESTS, SCHEMES
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Gender,
    Volunteer,
    VolunteerAttribute,
    VolunteerStatus,
)

AS_OF = dt.date(2026, 12, 7)
LANGUAGES = ["da", "en", "ar", "ti", "fa", "prs", "bs", "sr", "hr", "uk", "so"]
LEVELS = ["basic", "conversational", "fluent", "native"]
POSTCODES = ["2600", "2605", "2620", "1000", "8000", "9999"]
AVAILABILITY = ["weekday_daytime", "weekday_evening", "weekend"]
SKILLS = ["danish_practice", "homework_help", "job_search", "paperwork", "childcare", "arts_crafts"]


def _volunteers(municipality, rng: random.Random) -> list[Volunteer]:
    volunteers = []
    for n in range(70):
        languages = {"da": rng.choice(LEVELS)}
        for code in rng.sample(LANGUAGES[1:], rng.randint(0, 3)):
            languages[code] = rng.choice(LEVELS)
        v = make_volunteer(
            municipality,
            ref=f"V{n:03d}",
            first_name=f"Vol{n}",
            status=rng.choice(
                [VolunteerStatus.APPROVED] * 5 + [VolunteerStatus.PENDING, VolunteerStatus.PAUSED]
            ),
            languages=languages,
            schemes=rng.sample(list(SCHEMES), rng.randint(1, 4)),
            interests=rng.sample(list(INTERESTS), rng.randint(0, 5)),
            skills=rng.sample(SKILLS, rng.randint(1, 3)),
            availability=rng.sample(AVAILABILITY, rng.randint(1, 3)),
            capacity=rng.randint(1, 3),
        )
        v.postcode = rng.choice(POSTCODES)
        v.gender = rng.choice([Gender.F, Gender.M, Gender.X, None])
        certificate = rng.random()
        if certificate < 0.4:
            v.child_certificate_state = ChildCertificateState.RECEIVED_OK
            v.child_certificate_received_on = AS_OF - dt.timedelta(
                days=rng.choice([0, 30, 400, 729, 800, -5])
            )
        elif certificate < 0.5:
            v.child_certificate_state = ChildCertificateState.RECEIVED_WITH_REMARKS
            v.child_certificate_received_on = AS_OF - dt.timedelta(days=30)
        volunteers.append(v)
    # Interests outside the vocabulary take pool columns in the order the pool lists them first.
    for v, code in ((volunteers[3], "kayaking"), (volunteers[1], "origami"), (volunteers[5], "kayaking")):
        v.attributes.append(VolunteerAttribute(kind=AttributeKind.INTEREST, code=code))
    db.session.flush()
    return volunteers


def _households(municipality, rng: random.Random) -> list[Household]:
    households = []
    for n in range(14):
        languages = [(code, rng.choice(LEVELS)) for code in rng.sample(LANGUAGES, rng.randint(1, 2))]
        h = make_household(
            municipality,
            ref=f"F{n:03d}",
            languages=languages,
            schemes=rng.sample(list(SCHEMES), rng.randint(1, 3)),
            interests=rng.sample(list(INTERESTS), rng.randint(0, 4)),
            availability=rng.sample(AVAILABILITY, rng.randint(0, 2)),
            postcode=rng.choice(POSTCODES),
            registered_on=AS_OF - dt.timedelta(days=rng.randint(0, 200)),
            consent_on=rng.choice([AS_OF - dt.timedelta(days=10)] * 6 + [AS_OF + dt.timedelta(days=3), None]),
            volunteer_gender=rng.choice(["", "", "f", "m"]),
            children_birth_years=tuple(AS_OF.year - rng.randint(0, 17) for _ in range(rng.randint(0, 3))),
        )
        households.append(h)
    households[2].interests = [*households[2].interests, "origami", "chess", "chess"]
    households[4].interests = ["kayaking", "sailing"]
    db.session.flush()
    return households


@pytest.fixture
def municipality(ctx, glostrup):
    """Glostrup, seeded and varied: matches of every status and rejected pairs."""
    place = glostrup.municipality
    rng = random.Random(17)
    volunteers = _volunteers(place, rng)
    households = _households(place, rng)
    for _ in range(45):
        h, v = rng.choice(households), rng.choice(volunteers)
        scheme = rng.choice(list(SCHEMES))
        status = rng.choice(
            [MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.ACTIVE, MatchStatus.ENDED]
        )
        started = None if status == MatchStatus.PROPOSED else AS_OF - dt.timedelta(days=rng.randint(-20, 300))
        ended = AS_OF - dt.timedelta(days=rng.randint(-10, 5)) if status == MatchStatus.ENDED else None
        if ended is not None and started is not None and ended < started:
            started = ended
        if (
            status != MatchStatus.ENDED
            and db.session.query(
                db.session.query(services.Match)
                .filter_by(household_id=h.id, volunteer_id=v.id, scheme=scheme)
                .filter(services.Match.status != MatchStatus.ENDED)
                .exists()
            ).scalar()
        ):
            continue
        make_match(h, v, scheme=scheme, status=status, started_on=started, ended_on=ended)
    for _ in range(12):
        h, v = rng.choice(households), rng.choice(volunteers)
        scheme = rng.choice(list(SCHEMES))
        if (
            not db.session.query(RejectedPair)
            .filter_by(household_id=h.id, volunteer_id=v.id, scheme=scheme)
            .count()
        ):
            db.session.add(
                RejectedPair(
                    municipality_id=place.id, household_id=h.id, volunteer_id=v.id, scheme=scheme, reason="no"
                )
            )
    db.session.commit()
    return place


def _ranked(rows):
    return [(row.volunteer.ref, row.suggestion.score, row.suggestion.reasons) for row in rows]


def test_prefiltered_suggestions_equal_the_whole_pool_for_every_household_and_scheme(municipality):
    whole = services.load_matcher_data(municipality.id, AS_OF)
    households = db.session.query(Household).order_by(Household.ref).all()
    compared = 0
    for household in households:
        for scheme in SCHEMES:
            for lang, top in (("en", 0), ("da", 3)):
                fast = services.suggestions_for(household, scheme, AS_OF, lang, top=top)
                full = services.suggestions_for(household, scheme, AS_OF, lang, top=top, data=whole)
                assert _ranked(fast) == _ranked(full), (household.ref, scheme, lang)
                compared += len(full)
    assert compared > 40  # the municipality gives real rankings, not only empty lists


def test_pre_filter_keeps_every_volunteer_the_rules_accept_and_drops_others(municipality):
    whole = services.load_matcher_data(municipality.id, AS_OF)
    config = services.matching_config()
    narrowed = 0
    for household in db.session.query(Household).order_by(Household.ref):
        matcher_household = services.to_matcher_household(household, AS_OF)
        excluded = services.exclusions(municipality.id, household_id=household.id)
        for scheme in matcher_household.schemes:
            masks = eligibility(
                whole.pool, matcher_household, scheme, as_of=AS_OF, exclusions=excluded, config=config
            )
            volunteer_masks = [mask for rule, mask in masks.items() if rule != "consent"]
            eligible = {
                whole.pool.volunteers[i].ref
                for i in range(len(whole.pool))
                if all(mask[i] for mask in volunteer_masks)
            }
            candidates, _ = services.load_candidates(household, matcher_household, scheme, AS_OF, config)
            assert {v.ref for v in candidates} == eligible, (household.ref, scheme)
            narrowed += len(whole.pool) - len(candidates)
    assert narrowed > 0


def test_interest_rarity_counted_by_the_database_equals_the_whole_pools(municipality):
    whole = services.load_matcher_data(municipality.id, AS_OF)
    counted = services.interest_frequencies(municipality.id)
    from volunteer_hub.matching.engine.features import VolunteerPool

    pool = VolunteerPool.build([], interest_frequencies=counted)
    assert pool.interest_vocabulary == whole.pool.interest_vocabulary
    assert pool.interest_idf.tolist() == whole.pool.interest_idf.tolist()
    assert pool.unseen_interest_idf == whole.pool.unseen_interest_idf

"""Hard rules 1-7 of FORMATS.md: each excludes exactly what it should, boundaries included."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from volunteer_hub import vocab
from volunteer_hub.matching.engine import (
    RULES,
    MatchingConfig,
    VolunteerPool,
    eligibility,
    explain_ineligibility,
    is_eligible,
    suggest,
)
from volunteer_hub.matching.engine.rules import eligible_mask, months_before, rule_masks

AS_OF = date(2026, 11, 27)


def failed_rules(volunteer, household, scheme="family_buddy", **kwargs):
    return [
        f.rule for f in explain_ineligibility(volunteer, household, scheme, as_of=AS_OF, **kwargs)
    ]


def suggested(volunteers, household, scheme="family_buddy", **kwargs):
    pool = VolunteerPool.build(volunteers)
    found = suggest(pool, household, scheme, as_of=AS_OF, top=0, **kwargs)
    return [s.volunteer for s in found]


def test_base_pair_is_eligible(make_volunteer, make_household):
    assert failed_rules(make_volunteer(), make_household()) == []
    assert suggested([make_volunteer()], make_household()) == ["V0001"]


@pytest.mark.parametrize("status", ["pending", "paused", "rejected", "withdrawn"])
def test_rule1_only_approved_volunteers(make_volunteer, make_household, status):
    assert failed_rules(make_volunteer(status=status), make_household()) == [
        "approved_free_capacity"
    ]
    assert suggested([make_volunteer(status=status)], make_household()) == []


def test_rule1_free_capacity_on_as_of(make_volunteer, make_household):
    full = make_volunteer(ref="V1", capacity=2, active_matches=2)
    one_left = make_volunteer(ref="V2", capacity=2, active_matches=1)
    assert failed_rules(full, make_household()) == ["approved_free_capacity"]
    assert suggested([full, one_left], make_household()) == ["V2"]


def test_rule2_volunteer_must_offer_and_household_ask(make_volunteer, make_household):
    no_offer = make_volunteer(ref="V1", schemes=("friend_buddy",))
    offers = make_volunteer(ref="V2", schemes=("family_buddy", "friend_buddy"))
    assert failed_rules(no_offer, make_household()) == ["scheme"]
    assert suggested([no_offer, offers], make_household()) == ["V2"]
    # The household asks only for family_buddy, so nobody is suggested for friend_buddy.
    assert failed_rules(offers, make_household(), "friend_buddy") == ["scheme"]
    assert suggested([offers], make_household(), "friend_buddy") == []


@pytest.mark.parametrize(
    ("volunteer_langs", "household_langs", "ok"),
    [
        ({"ar": "basic"}, {"ar": "native"}, False),  # basic is not enough
        ({"ar": "native"}, {"ar": "basic"}, False),
        ({"ar": "conversational"}, {"ar": "conversational"}, True),
        ({"da": "native"}, {"ar": "native"}, False),
        ({"prs": "native"}, {"fa": "fluent"}, True),  # Dari = Persian
        ({"fa": "conversational"}, {"prs": "native"}, True),
        ({"bs": "native"}, {"sr": "fluent"}, True),  # Bosnian = Croatian = Serbian
        ({"hr": "fluent"}, {"bs": "conversational"}, True),
        ({"sr": "native"}, {"hr": "native"}, True),
        ({"sr": "basic", "hr": "native"}, {"bs": "fluent"}, True),
        ({"ps": "native"}, {"fa": "native"}, False),  # Pashto is not Persian
        ({"ku": "native"}, {"ckb": "native"}, False),  # only the listed groups merge
        ({"ar": "basic", "en": "fluent"}, {"ar": "native", "en": "conversational"}, True),
    ],
)
def test_rule3_shared_language_at_conversational(
    make_volunteer, make_household, volunteer_langs, household_langs, ok
):
    vol = make_volunteer(languages=volunteer_langs)
    hh = make_household(languages=household_langs)
    assert failed_rules(vol, hh) == ([] if ok else ["shared_language"])
    assert suggested([vol], hh) == (["V0001"] if ok else [])


CERT_24_MONTHS = date(2024, 11, 27)


@pytest.mark.parametrize(
    ("received", "ok"),
    [
        (CERT_24_MONTHS, True),  # exactly 24 months old: still valid
        (CERT_24_MONTHS - timedelta(days=1), False),  # one day older: not
        (AS_OF, True),
        (AS_OF + timedelta(days=1), False),  # not received yet on as_of
        (None, False),
    ],
)
def test_rule4_child_certificate_for_child_culture(make_volunteer, make_household, received, ok):
    vol = make_volunteer(child_certificate_on=received)
    hh = make_household(schemes=("child_culture",))
    assert failed_rules(vol, hh, "child_culture") == ([] if ok else ["child_certificate"])
    assert suggested([vol], hh, "child_culture") == (["V0001"] if ok else [])


@pytest.mark.parametrize(
    ("ages", "needed"),
    [((14,), True), ((15,), False), ((), False), ((17, 3), True), ((15, 16), False)],
)
def test_rule4_family_buddy_needs_certificate_only_with_child_under_15(
    make_volunteer, make_household, ages, needed
):
    vol = make_volunteer(child_certificate_on=None)
    hh = make_household(children_ages=ages)
    assert failed_rules(vol, hh) == (["child_certificate"] if needed else [])


def test_rule4_friend_buddy_never_needs_certificate(make_volunteer, make_household):
    vol = make_volunteer(child_certificate_on=None)
    hh = make_household(schemes=("friend_buddy",), children_ages=(3,))
    assert failed_rules(vol, hh, "friend_buddy") == []


def test_rule4_validity_months_is_a_parameter(make_volunteer, make_household):
    from volunteer_hub.matching.engine import MatchingConfig

    vol = make_volunteer(child_certificate_on=date(2025, 11, 26))
    hh = make_household(schemes=("child_culture",))
    assert failed_rules(vol, hh, "child_culture") == []
    twelve = MatchingConfig(child_certificate_valid_months=12)
    assert failed_rules(vol, hh, "child_culture", config=twelve) == ["child_certificate"]
    assert (
        failed_rules(
            make_volunteer(child_certificate_on=date(2025, 11, 27)),
            hh,
            "child_culture",
            config=twelve,
        )
        == []
    )


def test_months_before_clamps_to_month_end():
    assert months_before(date(2026, 11, 27), 24) == date(2024, 11, 27)
    assert months_before(date(2026, 2, 28), 24) == date(2024, 2, 28)
    assert months_before(date(2024, 2, 29), 24) == date(2022, 2, 28)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


@pytest.mark.parametrize(
    ("wanted", "gender", "ok"),
    [
        ("f", "f", True),
        ("f", "m", False),
        ("f", None, False),
        ("m", "m", True),
        (None, "m", True),
        ("", None, True),
        ("x", "x", True),
        ("x", "f", False),
    ],
)
def test_rule5_requested_volunteer_gender(make_volunteer, make_household, wanted, gender, ok):
    vol = make_volunteer(gender=gender)
    hh = make_household(volunteer_gender=wanted)
    assert failed_rules(vol, hh) == ([] if ok else ["volunteer_gender"])
    assert suggested([vol], hh) == (["V0001"] if ok else [])


@pytest.mark.parametrize(
    ("consent_on", "ok"),
    [
        (AS_OF, True),
        (AS_OF - timedelta(days=1), True),
        (AS_OF + timedelta(days=1), False),
        (None, False),
    ],
)
def test_rule6_household_consent_on_or_before_as_of(make_volunteer, make_household, consent_on, ok):
    hh = make_household(consent_on=consent_on)
    assert failed_rules(make_volunteer(), hh) == ([] if ok else ["consent"])
    assert suggested([make_volunteer()], hh) == (["V0001"] if ok else [])


def test_rule7_excluded_pair_only_in_that_scheme(make_volunteer, make_household):
    hh = make_household(schemes=("family_buddy", "friend_buddy"))
    other = make_household(ref="F0002")
    anna, bo = make_volunteer(ref="V1"), make_volunteer(ref="V2")
    exclusions = {("F0001", "V1", "family_buddy")}
    assert failed_rules(anna, hh, exclusions=exclusions) == ["not_matched_or_rejected"]
    assert suggested([anna, bo], hh, exclusions=exclusions) == ["V2"]
    assert suggested([anna, bo], hh, "friend_buddy", exclusions=exclusions) == ["V1", "V2"]
    assert suggested([anna, bo], other, exclusions=exclusions) == ["V1", "V2"]


def test_several_failures_are_all_listed_in_rule_order(make_volunteer, make_household):
    vol = make_volunteer(status="paused", languages={"da": "native"}, gender="m")
    hh = make_household(volunteer_gender="f", consent_on=None)
    assert failed_rules(vol, hh) == [
        "approved_free_capacity",
        "shared_language",
        "volunteer_gender",
        "consent",
    ]
    numbers = [f.number for f in explain_ineligibility(vol, hh, "family_buddy", as_of=AS_OF)]
    assert numbers == [1, 3, 5, 6]


def test_only_language_rule_can_be_waived(make_volunteer, make_household):
    no_language = make_volunteer(ref="V1", languages={"da": "native"})
    assert suggested([no_language], make_household()) == []
    assert suggested([no_language], make_household(), waive={"shared_language"}) == ["V1"]
    assert is_eligible(
        no_language, make_household(), "family_buddy", as_of=AS_OF, waive={"shared_language"}
    )
    assert not is_eligible(no_language, make_household(), "family_buddy", as_of=AS_OF)
    failures = explain_ineligibility(no_language, make_household(), "family_buddy", as_of=AS_OF)
    assert [f.waivable for f in failures] == [True]

    no_cert = make_volunteer(child_certificate_on=None)
    hh = make_household(schemes=("child_culture",))
    for forbidden in ({"child_certificate"}, {"shared_language", "child_certificate"}, {"consent"}):
        with pytest.raises(ValueError, match="may be waived"):
            suggested([no_cert], hh, "child_culture", waive=forbidden)
        with pytest.raises(ValueError, match="may be waived"):
            is_eligible(no_cert, hh, "child_culture", as_of=AS_OF, waive=forbidden)
    # Waiving language does not let a volunteer without certificate through.
    assert suggested([no_cert], hh, "child_culture", waive={"shared_language"}) == []
    assert not is_eligible(no_cert, hh, "child_culture", as_of=AS_OF, waive={"shared_language"})


def test_failure_sentences_in_danish_and_english(make_volunteer, make_household):
    vol = make_volunteer(child_certificate_on=date(2024, 11, 26), first_name="Anna")
    hh = make_household(schemes=("child_culture",))
    [en] = explain_ineligibility(vol, hh, "child_culture", as_of=AS_OF, lang="en")
    [da] = explain_ineligibility(vol, hh, "child_culture", as_of=AS_OF, lang="da")
    assert en.rule == da.rule == "child_certificate"
    assert "2024-11-27" in en.text and "2024-11-26" in en.text and "Anna" in en.text
    assert "børneattest" in da.text and "Annas" in da.text
    texts = {}
    for lang in ("en", "da"):
        vol = make_volunteer(
            status="paused",
            schemes=(),
            languages={"da": "native"},
            gender="m",
            child_certificate_on=None,
        )
        hh = make_household(
            volunteer_gender="f", consent_on=AS_OF + timedelta(days=3), children_ages=(4,)
        )
        failures = explain_ineligibility(
            vol,
            hh,
            "family_buddy",
            as_of=AS_OF,
            lang=lang,
            exclusions={("F0001", "V0001", "family_buddy")},
            config=MatchingConfig(names=vocab.sentence_names()),
        )
        assert [f.rule for f in failures] == list(RULES)
        texts[lang] = [f.text for f in failures]
        assert all(t and t[0].isupper() for t in texts[lang])
    assert "is not approved" in texts["en"][0] and "ikke godkendt" in texts["da"][0]
    assert "Arabic" in texts["en"][2] and "arabisk" in texts["da"][2]
    assert "a volunteer: woman" in texts["en"][4] and "frivillig: kvinde" in texts["da"][4]
    assert "2026-11-30" in texts["en"][5]
    assert all(en != da for en, da in zip(texts["en"], texts["da"], strict=True))


def test_rule_masks_agree_with_fast_mask_on_random_people(people):
    volunteers, households = people(7, 300, 40)
    pool = VolunteerPool.build(volunteers, households)
    exclusions = {
        (h.ref, v.ref, s) for h in households[:10] for v in volunteers[:20] for s in h.schemes
    }
    checked = 0
    for hh in households:
        for scheme in hh.schemes:
            masks = eligibility(pool, hh, scheme, as_of=AS_OF, exclusions=exclusions)
            combined = np.logical_and.reduce([masks[r] for r in RULES])
            features = pool.encode_household(hh)
            excluded = pool.excluded_indices(hh.ref, scheme, exclusions)
            fast = eligible_mask(pool, features, scheme, as_of=AS_OF, excluded=excluded)
            np.testing.assert_array_equal(combined, fast)
            waived = eligible_mask(
                pool, features, scheme, as_of=AS_OF, excluded=excluded, waive={"shared_language"}
            )
            all_but = np.logical_and.reduce([masks[r] for r in RULES if r != "shared_language"])
            np.testing.assert_array_equal(all_but, waived)
            masks2 = rule_masks(pool, features, scheme, as_of=AS_OF, excluded=excluded)
            assert all((masks2[r] == masks[r]).all() for r in RULES)
            checked += int(combined.sum())
    assert checked > 50  # the random data does produce eligible pairs


def test_explain_agrees_with_masks_for_every_pair(people):
    volunteers, households = people(11, 60, 15)
    pool = VolunteerPool.build(volunteers)
    for hh in households:
        scheme = hh.schemes[0]
        masks = eligibility(pool, hh, scheme, as_of=AS_OF)
        for i, vol in enumerate(volunteers):
            expected = [r for r in RULES if not masks[r][i]]
            assert failed_rules(vol, hh, scheme) == expected

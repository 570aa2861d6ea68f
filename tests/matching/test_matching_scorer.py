"""Scores, reasons and ranking of ``suggest``, checked against a plain per-pair reference."""

from __future__ import annotations

import ast
import math
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from volunteer_hub import vocab
from volunteer_hub.matching.engine import (
    DEFAULT_WEIGHTS,
    FACTORS,
    MatchingConfig,
    VolunteerPool,
    suggest,
)
from volunteer_hub.matching.engine.config import (
    LANGUAGE_GROUP,
    LEVEL_RANK,
    LEVEL_VALUE,
    NEEDED_SKILLS,
    SCHEMES,
    language_group,
    skill_needs,
)
from volunteer_hub.matching.engine.geo import haversine_km, load_postcodes

AS_OF = date(2026, 11, 27)
NAMED = MatchingConfig(names=vocab.sentence_names())  # the words the app hands the engine
ENGINE = Path(__file__).resolve().parents[2] / "volunteer_hub" / "matching" / "engine"


def by_factor(suggestion):
    return {r.factor: r for r in suggestion.reasons}


def test_scores_in_unit_interval_and_contributions_sum_to_score(people):
    volunteers, households = people(3, 250, 30)
    pool = VolunteerPool.build(volunteers, households)
    seen = 0
    for hh in households:
        for scheme in hh.schemes:
            for s in suggest(pool, hh, scheme, as_of=AS_OF, top=0, waive={"shared_language"}):
                assert 0.0 <= s.score <= 1.0
                assert [r.factor for r in s.reasons] == list(FACTORS)
                assert math.fsum(r.contribution for r in s.reasons) == pytest.approx(s.score)
                for r in s.reasons:
                    assert 0.0 <= r.value <= 1.0
                    assert r.contribution == pytest.approx(r.weight * r.value)
                    assert r.text
                seen += 1
    assert seen > 500


def reference_factors(pool, vol, hh, scheme):
    """Per-pair factors written the slow, obvious way (the vectorised code must agree)."""
    best = 0
    for vc, vl in vol.languages.items():
        for hc, hl in hh.languages.items():
            if language_group(vc) == language_group(hc):
                best = max(best, min(LEVEL_RANK[vl], LEVEL_RANK[hl]))
    language = LEVEL_VALUE[best]

    idf = pool.interest_idf
    col = pool.interest_column

    def vec(items):
        v = np.zeros(len(col))
        for x in set(items):
            v[col[x]] = idf[col[x]]
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    interests = float(vec(vol.interests) @ vec(hh.interests))

    if hh.availability:
        wanted = set(hh.availability)
        availability = len(wanted & set(vol.availability)) / len(wanted)
    else:
        availability = 1.0 if vol.availability else 0.0

    table = load_postcodes()
    if vol.postcode in table and hh.postcode in table:
        (lat1, lon1), (lat2, lon2) = table[vol.postcode], table[hh.postcode]
        km = float(haversine_km(*map(math.radians, (lat1, lon1, lat2, lon2))))
        distance = max(0.0, 1.0 - km / 30.0)
    else:
        distance = 0.0

    needs = skill_needs(scheme, hh.children_ages, hh.adults_without_work)
    skills = min(1.0, len(needs & set(vol.skills)) / min(len(needs), 3))
    waiting = min(1.0, max((AS_OF - hh.registered_on).days, 0) / 90)
    return dict(zip(FACTORS, (language, interests, availability, distance, skills, waiting), strict=True))


def test_vectorised_factors_equal_per_pair_reference(people):
    volunteers, households = people(5, 120, 25)
    pool = VolunteerPool.build(volunteers, households)
    refs = {v.ref: v for v in volunteers}
    checked = 0
    for hh in households:
        scheme = hh.schemes[-1]
        for s in suggest(pool, hh, scheme, as_of=AS_OF, top=0, waive={"shared_language"}):
            expected = reference_factors(pool, refs[s.volunteer], hh, scheme)
            for r in s.reasons:
                assert r.value == pytest.approx(expected[r.factor], abs=1e-12), r.factor
            checked += 1
    assert checked > 100


def test_engine_codes_agree_with_the_vocabulary():
    # The engine names only the codes its rules use; they must be the vocabulary's.
    assert SCHEMES == tuple(vocab.SCHEMES)
    assert dict(LEVEL_RANK) == vocab.LEVEL_RANK
    assert set(NEEDED_SKILLS) <= set(vocab.SKILLS)
    assert set(LANGUAGE_GROUP) | set(LANGUAGE_GROUP.values()) <= set(vocab.LANGUAGES)


def test_reasons_without_names_show_the_codes(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer(languages={"ti": "native"})])
    [s] = suggest(pool, make_household(languages={"ti": "fluent"}), as_of=AS_OF)
    assert by_factor(s)["language"].text == "Both speak ti (native / fluent)"


def test_idf_is_fitted_on_volunteers_and_households():
    from volunteer_hub.matching.engine import Household, Volunteer

    vols = [Volunteer(f"V{i}", interests=("football",)) for i in range(3)]
    hhs = [Household(f"F{i}", interests=("chess",)) for i in range(9)]
    pool_v = VolunteerPool.build(vols)
    pool_vh = VolunteerPool.build(vols, hhs)
    # Chess, which no volunteer lists, weighs as an interest nobody lists in the volunteers' pool.
    assert pool_v.unseen_interest_idf > pool_v.interest_idf[pool_v.interest_column["football"]]
    col = pool_vh.interest_column
    assert pool_vh.interest_idf[col["chess"]] < pool_vh.interest_idf[col["football"]]


def test_rare_shared_interest_outranks_common_one(make_volunteer, make_household):
    crowd = [
        make_volunteer(ref=f"V3{i:02d}", interests=("football", "running"), status="paused")
        for i in range(30)
    ]
    chess = make_volunteer(ref="V200", interests=("chess", "running"))
    football = make_volunteer(ref="V100", interests=("football", "running"))
    hh = make_household(interests=("football", "chess"))
    pool = VolunteerPool.build([*crowd, chess, football], [hh])
    ranked = suggest(pool, hh, as_of=AS_OF, top=0)
    assert [s.volunteer for s in ranked] == ["V200", "V100"]  # despite V100 < V200 by ref
    rare, common = (by_factor(s)["interests"] for s in ranked)
    assert rare.value > common.value > 0
    assert rare.text == "1 shared interest: chess"


def test_nearer_outranks_farther_all_else_equal(make_volunteer, make_household):
    near = make_volunteer(ref="V9", postcode="2605")  # Brøndby, next to Glostrup
    far = make_volunteer(ref="V1", postcode="4000")  # Roskilde
    very_far = make_volunteer(ref="V5", postcode="9000")  # Aalborg, beyond 30 km
    hh = make_household(postcode="2600")
    pool = VolunteerPool.build([far, near, very_far])
    ranked = suggest(pool, hh, as_of=AS_OF, top=0)
    assert [s.volunteer for s in ranked] == ["V9", "V1", "V5"]
    distances = [by_factor(s)["distance"] for s in ranked]
    assert distances[0].value > distances[1].value > distances[2].value == 0.0
    assert all(re.fullmatch(r"\d+ km apart", d.text) for d in distances)
    assert int(distances[2].text.split()[0]) > 200


def test_unknown_postcode_gives_zero_distance_and_says_so(make_volunteer, make_household):
    pool = VolunteerPool.build(
        [make_volunteer(ref="V1", postcode="0042"), make_volunteer(ref="V2", postcode=None)]
    )
    hh = make_household()
    reasons = {s.volunteer: by_factor(s)["distance"] for s in suggest(pool, hh, as_of=AS_OF)}
    assert reasons["V1"].value == 0.0
    assert reasons["V1"].text == "Distance unknown: postcode 0042 not found"
    assert reasons["V2"].text == "Distance unknown: no postcode"
    [s] = suggest(pool, make_household(postcode="1234x"), as_of=AS_OF, top=1, lang="da")
    assert by_factor(s)["distance"].text == "Afstand ukendt: postnummer 1234x findes ikke"


def test_reason_sentences_in_english_and_danish(make_volunteer, make_household):
    vol = make_volunteer(
        languages={"ti": "native", "da": "fluent"},
        postcode="2605",
        interests=("football", "cooking", "music", "chess"),
        skills=("homework_help", "job_search"),
    )
    hh = make_household(
        languages={"ti": "fluent", "en": "basic"},
        postcode="2600",
        interests=("football", "cooking", "music"),
        adults_without_work=1,
        registered_on=AS_OF - timedelta(days=45),
        children_ages=(9,),
        availability=("weekend", "weekday_evening"),
    )
    pool = VolunteerPool.build([vol], [hh])
    [en] = suggest(pool, hh, as_of=AS_OF, lang="en", config=NAMED)
    [da] = suggest(pool, hh, as_of=AS_OF, lang="da", config=NAMED)
    en, da = by_factor(en), by_factor(da)
    assert en["language"].text == "Both speak Tigrinya (native language / fluent)"
    assert da["language"].text == "Begge taler tigrinya (modersmål / flydende)"
    assert re.fullmatch(r"3 shared interests: (football|cooking|music)(, \w+){2}", en["interests"].text)
    assert da["interests"].text.startswith("3 fælles interesser: ")
    assert set(da["interests"].text.split(": ")[1].split(", ")) == {
        "fodbold",
        "madlavning",
        "musik",
    }
    assert re.fullmatch(r"\d+ km apart", en["distance"].text)
    assert re.fullmatch(r"\d+ km fra hinanden", da["distance"].text)
    assert en["skills"].text == "Can help with: homework help, job search"
    assert da["skills"].text == "Kan hjælpe med: lektiehjælp, jobsøgning"
    assert en["availability"].text == "Both available: weekday evenings, weekends"
    assert da["availability"].text == "Begge kan: hverdage om aftenen, weekender"
    assert en["waiting"].text == "The household has waited 45 days"
    assert da["waiting"].text == "Husstanden har ventet 45 dage"
    assert en["waiting"].value == pytest.approx(0.5)


def test_merged_languages_are_named_from_both_sides(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer(languages={"prs": "native"})])
    [s] = suggest(pool, make_household(languages={"fa": "fluent"}), as_of=AS_OF, config=NAMED)
    assert by_factor(s)["language"].text == "Both speak Dari / Persian (Farsi) (native language / fluent)"


def test_language_factor_graded_by_level_both_share(make_volunteer, make_household):
    hh = make_household(languages={"ar": "native", "en": "conversational"})
    vols = [
        make_volunteer(ref="V1", languages={"en": "native"}),
        make_volunteer(ref="V2", languages={"ar": "fluent"}),
        make_volunteer(ref="V3", languages={"ar": "native"}),
    ]
    ranked = suggest(VolunteerPool.build(vols), hh, as_of=AS_OF, top=0)
    assert [s.volunteer for s in ranked] == ["V3", "V2", "V1"]
    values = [by_factor(s)["language"].value for s in ranked]
    assert values == [LEVEL_VALUE[4], LEVEL_VALUE[3], LEVEL_VALUE[2]]


def test_waiting_factor_saturates(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer()])
    for days, value in ((0, 0.0), (45, 0.5), (90, 1.0), (400, 1.0), (-3, 0.0)):
        hh = make_household(registered_on=AS_OF - timedelta(days=days))
        [s] = suggest(pool, hh, as_of=AS_OF)
        assert by_factor(s)["waiting"].value == pytest.approx(value)


def test_ties_are_broken_by_ref_and_top_limits(make_volunteer, make_household):
    vols = [make_volunteer(ref=ref) for ref in ("V3", "V10", "V1", "V2")]
    pool = VolunteerPool.build(vols)
    ranked = suggest(pool, make_household(), as_of=AS_OF, top=0)
    assert len({s.score for s in ranked}) == 1
    assert [s.volunteer for s in ranked] == ["V1", "V10", "V2", "V3"]
    assert [s.volunteer for s in suggest(pool, make_household(), as_of=AS_OF, top=2)] == [
        "V1",
        "V10",
    ]


def test_top_n_is_a_prefix_of_the_full_ranking(people):
    volunteers, households = people(9, 400, 10)
    pool = VolunteerPool.build(volunteers, households)
    for hh in households:
        full = suggest(pool, hh, as_of=AS_OF, top=0, waive={"shared_language"})
        for top in (1, 5, 17):
            part = suggest(pool, hh, as_of=AS_OF, top=top, waive={"shared_language"})
            assert [s.volunteer for s in part] == [s.volunteer for s in full[:top]]
        scores = [s.score for s in full]
        assert scores == sorted(scores, reverse=True)


def test_default_scheme_is_the_households_first(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer(schemes=("leisure_intro",))])
    hh = make_household(schemes=("leisure_intro", "family_buddy"))
    assert [s.volunteer for s in suggest(pool, hh, as_of=AS_OF)] == ["V0001"]
    assert suggest(pool, hh, "family_buddy", as_of=AS_OF) == []
    with pytest.raises(ValueError, match="unknown scheme"):
        suggest(pool, hh, "knitting", as_of=AS_OF)


def test_as_of_must_be_given(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer()])
    with pytest.raises(TypeError):
        suggest(pool, make_household())  # type: ignore[call-arg]


def test_weights_are_configurable_and_validated(make_volunteer, make_household):
    only_language = MatchingConfig().with_weights({"family_buddy": {"language": 1.0}})
    pool = VolunteerPool.build([make_volunteer(languages={"ar": "fluent"})])
    [s] = suggest(pool, make_household(), as_of=AS_OF, config=only_language)
    assert s.score == pytest.approx(LEVEL_VALUE[3])
    assert by_factor(s)["interests"].contribution == 0.0
    with pytest.raises(ValueError, match="sum to"):
        MatchingConfig().with_weights({"family_buddy": {"language": 0.5}})
    with pytest.raises(ValueError, match="unknown factor"):
        MatchingConfig().with_weights({"family_buddy": {"language": 0.5, "charm": 0.5}})
    with pytest.raises(ValueError, match=">= 0"):
        MatchingConfig().with_weights({"family_buddy": {"language": 1.5, "skills": -0.5}})
    for scheme, weights in DEFAULT_WEIGHTS.items():
        assert math.fsum(weights.values()) == pytest.approx(1.0), scheme
        assert set(weights) == set(FACTORS)


def test_skill_needs_follow_the_documented_table():
    assert skill_needs("child_culture", (4,), 0) >= {"childcare", "homework_help"}
    assert "homework_help" in skill_needs("family_buddy", (8,), 0)
    assert "childcare" not in skill_needs("family_buddy", (8,), 0)
    assert {"job_search", "cv_writing"} <= skill_needs("contact_person", (), 1)
    assert "job_search" not in skill_needs("leisure_intro", (), 2)
    assert "danish_practice" in skill_needs("friend_buddy", (), 0)
    assert {"sports_coaching", "music"} <= skill_needs("leisure_intro", (), 0)


PURE_MODULES = sorted(path.name for path in ENGINE.glob("*.py"))


@pytest.mark.parametrize("module", PURE_MODULES)
def test_matcher_modules_import_neither_flask_nor_the_database(module):
    tree = ast.parse((ENGINE / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
            if node.module.startswith("volunteer_hub."):
                assert node.module.startswith("volunteer_hub.matching.engine."), node.module
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "psycopg"}


def test_no_date_today_inside_the_matcher():
    # The engine only: services, workflow and the views (the database bridge) know today.
    for name in PURE_MODULES:
        path = ENGINE / name
        text = path.read_text(encoding="utf-8")
        assert "today(" not in text and "datetime.now" not in text, path.name


def test_postcode_table_credits_geonames_and_reads_the_bundled_copy():
    table = load_postcodes()
    assert len(table) == 1160
    assert table["2600"] == (55.6813, 12.4039)
    assert table["0800"] == (55.6471, 12.2742)
    geo_doc = (ENGINE / "geo.py").read_text(encoding="utf-8")
    assert "Postcode data © GeoNames, www.geonames.org" in geo_doc
    readme = (ENGINE.parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    assert "Postcode data © GeoNames, www.geonames.org" in readme and "CC BY" in readme


def test_interest_nobody_else_lists_still_dilutes_the_similarity(make_volunteer, make_household):
    pool = VolunteerPool.build([make_volunteer(interests=("chess",))])
    [only_chess] = suggest(pool, make_household(interests=("chess",)), as_of=AS_OF)
    [with_unseen] = suggest(pool, make_household(interests=("chess", "kite_flying")), as_of=AS_OF)
    assert by_factor(only_chess)["interests"].value == pytest.approx(1.0)
    assert 0.0 < by_factor(with_unseen)["interests"].value < 1.0
    assert by_factor(with_unseen)["interests"].text == "1 shared interest: chess"

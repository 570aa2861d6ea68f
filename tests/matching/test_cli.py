"""``flask match suggest`` and ``flask match plan``: exactly FORMATS.md's JSON shapes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.factories import make_household, make_municipality
from tests.matching.factories import TODAY, household, volunteer
from volunteer_hub.extensions import db
from volunteer_hub.matching import workflow
from volunteer_hub.tenancy.services import get_municipality_by_code

AS_OF = TODAY.isoformat()


@pytest.fixture
def data(app, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        albertslund = make_municipality("0165", "Albertslund Kommune")
        household(
            municipality, ref="F0007", schemes=["friend_buddy", "leisure_intro"], interests=["football"]
        )
        household(
            municipality, ref="F0011", schemes=["child_culture"], children_birth_years=(TODAY.year - 5,)
        )
        volunteer(municipality, ref="V0042", interests=["football"])
        volunteer(municipality, ref="V0043", languages={"ti": "conversational"}, interests=["chess"])
        volunteer(municipality, ref="V0044", languages={"da": "native"})
        matched = household(municipality, ref="F0020")
        workflow.create_manual_match(
            matched,
            volunteer(municipality, ref="V0050"),
            "friend_buddy",
            actor=glostrup.coordinator,
            on=TODAY,
        )
        household(albertslund, ref="F0007", schemes=["friend_buddy"])
        db.session.commit()


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def test_suggest_prints_the_documented_shape_ranked_with_reasons(app, data):
    result = _run(app, "match", "suggest", "--family", "F0007", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"family", "scheme", "as_of", "suggestions"}
    assert (out["family"], out["scheme"], out["as_of"]) == ("F0007", "friend_buddy", AS_OF)
    refs = [s["volunteer"] for s in out["suggestions"]]
    assert refs == ["V0042", "V0043"]  # V0044 shares no language; V0050 has no free place
    scores = [s["score"] for s in out["suggestions"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    first = out["suggestions"][0]
    assert set(first) == {"volunteer", "score", "reasons"}
    assert [set(r) for r in first["reasons"]] == [{"factor", "contribution", "text"}] * 6
    assert first["reasons"][0]["factor"] == "language" and "Tigrinya" in first["reasons"][0]["text"]
    assert first["score"] == round(first["score"], 3)
    assert abs(sum(r["contribution"] for r in first["reasons"]) - first["score"]) < 0.01


def test_suggest_takes_scheme_top_and_as_of(app, data):
    result = _run(
        app,
        "match",
        "suggest",
        "--family",
        "F0007",
        "--scheme",
        "leisure_intro",
        "--top",
        "1",
        "--as-of",
        AS_OF,
    )
    out = json.loads(result.output)
    assert out["scheme"] == "leisure_intro" and len(out["suggestions"]) == 1
    everyone = json.loads(
        _run(app, "match", "suggest", "--family", "F0007", "--top", "0", "--as-of", AS_OF).output
    )
    assert len(everyone["suggestions"]) == 2
    before_consent = (TODAY - dt.timedelta(days=400)).isoformat()
    early = json.loads(_run(app, "match", "suggest", "--family", "F0007", "--as-of", before_consent).output)
    assert early["suggestions"] == []  # rule 6: no consent yet on that day


def test_suggest_refuses_unknown_family_scheme_and_date(app, data):
    assert _run(app, "match", "suggest", "--family", "F9999").exit_code != 0
    assert _run(app, "match", "suggest", "--family", "F0007", "--scheme", "yoga").exit_code != 0
    assert _run(app, "match", "suggest", "--family", "F0007", "--as-of", "27/11/2026").exit_code != 0


def test_suggest_reads_the_municipality_given(app, data):
    out = json.loads(
        _run(app, "match", "suggest", "--family", "F0007", "--municipality", "0165", "--as-of", AS_OF).output
    )
    assert out["suggestions"] == []  # Albertslund has no volunteers


def test_plan_prints_the_documented_shape(app, data):
    result = _run(app, "match", "plan", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # FORMATS.md's fields, and the two issue 21 added (fields are only ever added)
    added = {"policy", "horizon", "holds_for_expected"}
    assert set(out) == {"as_of", "assignments", "unassigned", "total_score"} | added
    assert out["as_of"] == AS_OF and (out["policy"], out["horizon"]) == ("ahead", 28)
    assignments = {(a["family"], a["scheme"]): a["volunteer"] for a in out["assignments"]}
    assert set(assignments) == {("F0007", "friend_buddy"), ("F0007", "leisure_intro")}  # F0020 is matched
    assert len(set(assignments.values())) == 2  # one free place each
    assert all(set(a) == {"family", "scheme", "volunteer", "score"} for a in out["assignments"])
    assert out["unassigned"] == [
        {"family": "F0011", "scheme": "child_culture", "reason": "no eligible volunteer"}
    ]
    assert out["total_score"] == round(out["total_score"], 3)
    assert abs(out["total_score"] - sum(a["score"] for a in out["assignments"])) < 0.002


def test_plan_keeps_places_for_expected_families_by_default_and_can_be_told_not_to(app, data):
    helped = _run(app, "match", "plan", "--help").output
    assert (
        "--hold-for-expected / --no-hold-for-expected" in helped and "[default: hold-for-expected]" in helped
    )
    held = json.loads(_run(app, "match", "plan", "--as-of", AS_OF).output)
    plain = _run(app, "match", "plan", "--as-of", AS_OF, "--no-hold-for-expected")
    assert plain.exit_code == 0, plain.output
    assert (held["holds_for_expected"], json.loads(plain.output)["holds_for_expected"]) == (True, False)


def test_plan_filters_by_scheme(app, data):
    out = json.loads(_run(app, "match", "plan", "--scheme", "child_culture", "--as-of", AS_OF).output)
    assert out["assignments"] == [] and [u["family"] for u in out["unassigned"]] == ["F0011"]


def test_plan_takes_announced_households_within_the_horizon(app, data):
    arrival = TODAY + dt.timedelta(days=12)
    with app.app_context():
        make_household(
            get_municipality_by_code("0161"),
            arrival=arrival,
            ref="F0300",
            languages=[("da", "native")],
            schemes=["friend_buddy"],
            registered_on=TODAY,
            consent_on=TODAY,
        )
        db.session.commit()

    def plan(*options):
        out = json.loads(_run(app, "match", "plan", "--as-of", AS_OF, *options).output)
        return out, {a["family"]: a for a in out["assignments"]}

    out, pairs = plan()
    assert (out["policy"], out["horizon"]) == ("ahead", 28)
    assert pairs["F0300"]["starts_on"] == arrival.isoformat()
    assert "starts_on" not in pairs["F0007"]  # arrived: starts on as_of, as before
    _, pairs = plan("--horizon", "5")
    assert "F0300" not in pairs
    out, pairs = plan("--policy", "today")
    assert (out["policy"], out["horizon"]) == ("today", 0) and "F0300" not in pairs
    assert _run(app, "match", "plan", "--policy", "someday").exit_code == 2

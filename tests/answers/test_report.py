"""The quarterly report's new figures (issue 22) against values counted by hand.

Q4 2026 counts the matches whose first 30 days end in it (started 1 September to 1 December):
M1 (5 Sep, "we have met" 20 Sep), M2 (10 Oct, met on day 30, 9 Nov), M3 (20 Oct, met 25 Nov: too
late), M4 (1 Nov, never): 4 matches, 2 confirmed, a share of 0.5. M5 (15 Aug) and M6 (5 Dec)
fall outside. Answers given in Q4, on days in Denmark: met by M2 and M3; help with housing by
M3 (twice: counted once); nobody has contacted us and help with a health appointment by M4;
another volunteer by M2 at 22:30 UTC on 30 September (1 October in Denmark); an interpreter by
M4 at 23:30 UTC on 31 December (1 January in Denmark: not in Q4).
"""

from __future__ import annotations

import datetime as dt

from tests.factories import make_household, make_match, make_volunteer
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer, HelpTopic
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import MatchStatus
from volunteer_hub.reports.counts import family_answer_figures
from volunteer_hub.reports.figures import SUPPRESSED, shown_rows
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.presentation import build_sections
from volunteer_hub.reports.services import build_report
from volunteer_hub.volunteers.models import VolunteerStatus

Q4 = Quarter(2026, 4)
D = dt.date


def _at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def test_the_pure_figures_count_what_the_docstring_says():
    figures = family_answer_figures(
        [(D(2026, 9, 5), D(2026, 9, 20)), (D(2026, 10, 10), D(2026, 11, 9)),
         (D(2026, 10, 20), D(2026, 11, 25)), (D(2026, 11, 1), None),
         (D(2026, 8, 15), D(2026, 9, 1)), (D(2026, 12, 5), None)],
        [(3, D(2026, 10, 25), "help", "housing"), (3, D(2026, 10, 26), "help", "housing"),
         (4, D(2027, 1, 1), "interpreter", None)],
        Q4,
    )  # fmt: skip
    assert figures == {
        "confirmed_within_30_days": {"matches": 4, "confirmed_by_family": 2, "share": 0.5},
        "answers_by_kind": {"help": 1},
        "help_by_topic": {"housing": 1},
    }


def _answer(match, kind: AnswerKind, at: dt.datetime, topic: HelpTopic | None = None, **fields) -> None:
    db.session.add(
        FamilyAnswer(
            municipality_id=match.municipality_id, match_id=match.id, household_id=match.household_id,
            kind=kind, topic=topic, answered_at=at, **fields,
        )
    )  # fmt: skip


def test_the_report_counts_the_families_answers_as_counted_by_hand(ctx, glostrup):
    municipality = glostrup.municipality
    home = make_household(municipality, arrival=D(2026, 8, 1), registered_on=D(2026, 8, 1))
    starts = [D(2026, 9, 5), D(2026, 10, 10), D(2026, 10, 20), D(2026, 11, 1), D(2026, 8, 15), D(2026, 12, 5)]
    matches = []
    for n, start in enumerate(starts):
        person = make_volunteer(
            municipality, status=VolunteerStatus.APPROVED, organisation=glostrup.red_cross if n < 4 else None
        )
        matches.append(make_match(home, person, status=MatchStatus.ACTIVE, started_on=start))
    db.session.flush()
    m1, m2, m3, m4, m5, _m6 = matches
    _answer(m1, AnswerKind.MET, _at(D(2026, 9, 20)))
    _answer(m2, AnswerKind.MET, _at(D(2026, 11, 9), 20))
    _answer(m3, AnswerKind.MET, _at(D(2026, 11, 25)))
    _answer(m5, AnswerKind.MET, _at(D(2026, 9, 1)))
    _answer(m3, AnswerKind.HELP, _at(D(2026, 10, 25)), HelpTopic.HOUSING, message="secret words")
    _answer(m3, AnswerKind.HELP, _at(D(2026, 10, 26)), HelpTopic.HOUSING)
    _answer(m4, AnswerKind.NO_CONTACT, _at(D(2026, 11, 15)))
    _answer(m4, AnswerKind.HELP, _at(D(2026, 11, 16)), HelpTopic.HEALTH_APPOINTMENT)
    _answer(m2, AnswerKind.ANOTHER_VOLUNTEER, _at(D(2026, 9, 30), 22, 30))
    _answer(m4, AnswerKind.INTERPRETER, _at(D(2026, 12, 31), 23, 30), interpreter_language="ti")
    db.session.commit()

    report = build_report(municipality.id, Q4, None)
    assert report["family_answers"] == {
        "confirmed_within_30_days": {"matches": 4, "confirmed_by_family": 2, "share": 0.5},
        "answers_by_kind": {"met": 2, "no_contact": 1, "another_volunteer": 1, "help": 2},
        "help_by_topic": {"housing": 1, "health_appointment": 1},
    }
    assert "secret words" not in str(report)
    (section,) = [s for s in build_sections(report, suppress=False, charts=False) if s.id == "family-answers"]
    rows = dict(section.tables[0].rows)
    # Danish writes a no-break space before the percent sign.
    assert rows["Andel bekræftet af familien inden for 30 dage"] == ["50\xa0%"]
    assert rows["Hjælp ønsket til: tid hos læge eller sygehus"] == ["1"]

    # The partner's report: its four matches, small numbers shown as <5, the share with them.
    partner = build_report(municipality.id, Q4, glostrup.red_cross)
    assert partner["family_answers"]["confirmed_within_30_days"] == {
        "matches": 4, "confirmed_by_family": 2, "share": 0.5,
    }  # fmt: skip
    shown = {row.key: row.value for row in shown_rows(partner, partner_facing=True)}
    assert shown["family_answers.confirmed_within_30_days.matches"] == SUPPRESSED
    assert shown["family_answers.confirmed_within_30_days.share"] == SUPPRESSED
    assert shown["family_answers.help_by_topic.housing"] == SUPPRESSED

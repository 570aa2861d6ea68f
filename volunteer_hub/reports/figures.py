"""The report as a flat list of figures: labels, small-number suppression and differences.

Every export (CSV, XLSX, PDF), the page and ``diff_reports`` share ``flatten``: one row per
figure, keyed by its dotted path in the JSON (``matches.started.family_buddy``,
``language_gap.ti.households_waiting``, ``change_from_previous_quarter.figures.reached.persons.change``),
so "the same figures as the JSON" holds by construction and is checked by reading exports back.

Suppression (partner-facing output): a count from 1 to 4 is shown as ``<5`` so that no family
can be recognised; 0 is shown, since it identifies nobody. A figure derived from such a small
count is hidden the same way: the median days when fewer than 5 households were first matched,
the meeting hours when fewer than 5 meetings were logged, and a change whose previous or
current count is hidden. JSON always carries the exact figures (FORMATS.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from volunteer_hub import vocab
from volunteer_hub.reports.counts import MUNICIPALITY_ONLY

SUPPRESSED = "<5"
SMALL_FIGURE_LIMIT = 5
CHANGE = "change_from_previous_quarter"
CHANGE_FIGURES = CHANGE + ".figures."
NOT_COUNTS = frozenset(
    {"period.year", "period.quarter", "child_certificates.validity_months",
     CHANGE + ".previous_period.year", CHANGE + ".previous_period.quarter"}
)  # fmt: skip
NOT_COMPARED = frozenset({"data_as_of"})
"""Keys ``diff_reports`` ignores: when the data was read is not a figure."""


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure: its dotted key, its section (top-level key) and its exact value."""

    key: str
    section: str
    value: Any


def _walk(prefix: str, section: str, value: Any) -> Iterator[FigureRow]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(f"{prefix}.{key}", section, item)
    elif isinstance(value, list):  # language_gap: one object per language
        for item in value:
            rest = {k: v for k, v in item.items() if k != "language"}
            yield from _walk(f"{prefix}.{item['language']}", section, rest)
    else:
        yield FigureRow(prefix, section, value)


def flatten(report: dict[str, Any]) -> list[FigureRow]:
    """Every figure of ``report`` in JSON order (sections an organisation report lacks left out)."""
    rows: list[FigureRow] = []
    for key, value in report.items():
        if key in MUNICIPALITY_ONLY and value is None:
            continue
        rows.extend(_walk(key, key, value))
    return rows


def _is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALL_FIGURE_LIMIT


def suppressed_keys(report: dict[str, Any]) -> set[str]:
    """Keys whose values a partner-facing export shows as ``<5`` (module docstring)."""
    hidden = {
        row.key
        for row in flatten(report)
        if not row.key.startswith(CHANGE) and row.key not in NOT_COUNTS and _is_small(row.value)
    }
    if _is_small(report["households_first_matched"]):
        hidden.add("median_days_to_first_match")
    if _is_small(report["retention"]["meetings"]):
        hidden.add("retention.meeting_hours")
    answers = report.get("family_answers")  # issue 22: a share of a few matches points at families
    if answers is not None and _is_small(answers["confirmed_within_30_days"]["matches"]):
        hidden.add("family_answers.confirmed_within_30_days.share")
    figures = report[CHANGE]["figures"]
    for path, entry in figures.items():
        basis = figures["households_first_matched"] if path == "median_days_to_first_match" else entry
        if isinstance(basis["current"], float) or isinstance(basis["previous"], float):
            continue  # a share: not a count
        small_before, small_now = _is_small(basis["previous"]), _is_small(basis["current"])
        if small_before:
            hidden.add(f"{CHANGE_FIGURES}{path}.previous")
        if small_now:
            hidden.add(f"{CHANGE_FIGURES}{path}.current")
        if small_before or small_now:
            hidden.add(f"{CHANGE_FIGURES}{path}.change")
    return hidden


def shown_rows(report: dict[str, Any], *, partner_facing: bool) -> list[FigureRow]:
    """``flatten(report)`` with hidden values replaced by ``<5`` when ``partner_facing``."""
    rows = flatten(report)
    if not partner_facing:
        return rows
    hidden = suppressed_keys(report)
    return [FigureRow(r.key, r.section, SUPPRESSED) if r.key in hidden else r for r in rows]


def is_partner_facing(report: dict[str, Any]) -> bool:
    """An organisation's report is the partner's: its exports hide small figures."""
    return report.get("organisation") is not None


# --- Labels --------------------------------------------------------------------------


def current_language() -> str:
    """'da' or 'en': the interface language (Danish outside a request)."""
    if not has_app_context():
        return "da"
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "da"


SECTION_LABELS: dict[str, Any] = {
    "period": _l("Period"),
    "organisation": _l("Organisation"),
    "volunteers": _l("Volunteers"),
    "matches": _l("Matches"),
    "reached": _l("Households reached"),
    "median_days_to_first_match": _l("Time to first match"),
    "language_gap": _l("Language gap"),
    "data_as_of": _l("Data"),
    "households_first_matched": _l("Time to first match"),
    "retention": _l("Retention"),
    "child_certificates": _l("Child certificates"),
    "policy_14_days": _l("The policy's 14-day deadlines"),
    "housing_before_arrival": _l("Housing before arrival"),
    "family_answers": _l("The families' answers"),
    CHANGE: _l("Change from the previous quarter"),
    "note": _l("Note"),
}

FIGURE_LABELS: dict[str, Any] = {
    "period.year": _l("Year"),
    "period.quarter": _l("Quarter"),
    "period.start": _l("First day"),
    "period.end": _l("Last day"),
    "organisation": _l("Organisation"),
    "volunteers.registered": _l("Volunteers registered"),
    "volunteers.approved_at_end": _l("Volunteers approved (incl. paused) at the end"),
    "volunteers.active": _l("Volunteers active (a match in the quarter)"),
    "matches.started": _l("Matches started"),
    "matches.ended": _l("Matches ended"),
    "matches.active_at_end": _l("Matches active at the end"),
    "reached.households": _l("Households reached"),
    "reached.persons": _l("Persons reached"),
    "reached.children": _l("Children reached"),
    "median_days_to_first_match": _l("Median days from registration to first match"),
    "data_as_of": _l("Data as of"),
    "households_first_matched": _l("Households matched for the first time"),
    "retention.reached_3_months": _l("Matches that reached 3 months"),
    "retention.ended_before_3_months": _l("Matches ended before 3 months"),
    "retention.ended_after_3_months": _l("Matches ended after 3 months or more"),
    "retention.meetings": _l("Meetings logged"),
    "retention.matches_with_meetings": _l("Matches with meetings logged"),
    "retention.meeting_hours": _l("Hours of meetings logged"),
    "child_certificates.working_with_children": _l("Volunteers working with children"),
    "child_certificates.valid": _l("Child certificate valid"),
    "child_certificates.expiring": _l("Child certificate expires within 30 days"),
    "child_certificates.missing": _l("Child certificate missing or expired"),
    "child_certificates.validity_months": _l("Child certificate valid for (months)"),
    "policy_14_days.welcome_letters.due": _l("Welcome letters due"),
    "policy_14_days.welcome_letters.on_time": _l("Welcome letters sent within 14 days"),
    "policy_14_days.welcome_letters.late": _l("Welcome letters sent late"),
    "policy_14_days.welcome_letters.open": _l("Welcome letters not sent"),
    "policy_14_days.internship_offers.due": _l("Introduction internships due"),
    "policy_14_days.internship_offers.on_time": _l("Internships offered within 14 days"),
    "policy_14_days.internship_offers.late": _l("Internships offered late"),
    "policy_14_days.internship_offers.open": _l("Internships not offered"),
    "housing_before_arrival.arrived": _l("Households arrived"),
    "housing_before_arrival.housed_before_arrival": _l("Housed before arrival"),
    "housing_before_arrival.not_housed_before_arrival": _l("Not housed before arrival"),
    "housing_before_arrival.unknown": _l("Housing not recorded"),
    "housing_before_arrival.share": _l("Share housed before arrival"),
    CHANGE + ".previous_period.year": _l("Previous quarter: year"),
    CHANGE + ".previous_period.quarter": _l("Previous quarter: quarter"),
    CHANGE + ".previous_period.start": _l("Previous quarter: first day"),
    CHANGE + ".previous_period.end": _l("Previous quarter: last day"),
    "note.suppression": SUPPRESSED,
    # Issue 22: the families' answers on their private links.
    "family_answers.confirmed_within_30_days.matches": _l("Matches whose first 30 days ended in the quarter"),
    "family_answers.confirmed_within_30_days.confirmed_by_family": _l(
        "Of these, confirmed by the family within 30 days"
    ),
    "family_answers.confirmed_within_30_days.share": _l("Share confirmed by the family within 30 days"),
    "family_answers.answers_by_kind.met": _l("Answers: we have met"),
    "family_answers.answers_by_kind.no_contact": _l("Answers: nobody has contacted us yet"),
    "family_answers.answers_by_kind.another_volunteer": _l("Answers: we would like another volunteer"),
    "family_answers.answers_by_kind.help": _l("Answers: we need help"),
    "family_answers.answers_by_kind.interpreter": _l("Answers: call me with an interpreter"),
    "family_answers.help_by_topic.housing": _l("Help asked for: housing"),
    "family_answers.help_by_topic.work": _l("Help asked for: work"),
    "family_answers.help_by_topic.danish_classes": _l("Help asked for: Danish classes"),
    "family_answers.help_by_topic.school_daycare": _l("Help asked for: school and daycare"),
    "family_answers.help_by_topic.leisure": _l("Help asked for: leisure"),
    "family_answers.help_by_topic.health_appointment": _l("Help asked for: health appointment"),
    "family_answers.help_by_topic.other": _l("Help asked for: something else"),
}

PER_SCHEME = {
    "matches.started": _l("Started: %(scheme)s"),
    "matches.ended": _l("Ended: %(scheme)s"),
    "matches.active_at_end": _l("Active at the end: %(scheme)s"),
}
PER_LANGUAGE = {
    "households_waiting": _l("Households waiting: %(language)s"),
    "volunteers_available": _l("Volunteers available: %(language)s"),
}
CHANGE_PARTS = {
    "previous": _l("%(figure)s: previous quarter"),
    "current": _l("%(figure)s: this quarter"),
    "change": _l("%(figure)s: change"),
}
TOTAL_LABELS = {
    "matches.started": _l("Matches started (all schemes)"),
    "matches.ended": _l("Matches ended (all schemes)"),
    "matches.active_at_end": _l("Matches active at the end (all schemes)"),
}


def scheme_label(code: str, lang: str | None = None) -> str:
    return vocab.label(vocab.SCHEMES, code, "en" if (lang or current_language()) == "en" else "da")


def language_label(code: str, lang: str | None = None) -> str:
    return vocab.label(vocab.LANGUAGES, code, "en" if (lang or current_language()) == "en" else "da")


def headline_label(path: str) -> str:
    """The name of a headline figure (``HEADLINE_FIGURES``) in the interface language."""
    return str(TOTAL_LABELS.get(path) or FIGURE_LABELS[path])


def figure_label(key: str) -> str:
    """A figure's name in the interface language, unique within a report."""
    if key in FIGURE_LABELS:
        return str(FIGURE_LABELS[key])
    if key.startswith(CHANGE_FIGURES):
        path, part = key[len(CHANGE_FIGURES) :].rsplit(".", 1)
        return str(CHANGE_PARTS[part]) % {"figure": headline_label(path)}
    head, _, last = key.rpartition(".")
    if head in PER_SCHEME:
        return str(PER_SCHEME[head]) % {"scheme": scheme_label(last)}
    if head.startswith("language_gap."):
        return str(PER_LANGUAGE[last]) % {"language": language_label(head.split(".", 1)[1])}
    return key


def section_label(section: str) -> str:
    return str(SECTION_LABELS.get(section, section))


# --- Differences ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureChange:
    """A figure whose value differs between a finalised report and the draft (None: absent)."""

    key: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return figure_label(self.key)


def diff_reports(finalised: dict[str, Any], draft: dict[str, Any]) -> list[FigureChange]:
    """Each figure that differs between the ``finalised`` figures and a regenerated ``draft``.

    A figure present in only one of them (a scheme or language that appeared or went away)
    shows None on the other side. Listed in the draft's order, then the finalised-only ones.
    """
    old = {row.key: row.value for row in flatten(finalised) if row.key not in NOT_COMPARED}
    new = {row.key: row.value for row in flatten(draft) if row.key not in NOT_COMPARED}
    keys = list(new) + [key for key in old if key not in new]
    return [FigureChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]

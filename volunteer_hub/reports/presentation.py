"""The report as headed tables (and charts) for the page and the PDF, in the interface language.

Every figure is written by ``core.formatting``: counts and measures in the language's number
format, a share (``housing_before_arrival.share``) as a percentage and its change in percentage
points, so that no page or PDF shows ``0,455``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from volunteer_hub.core.formatting import format_number, format_percent, format_percent_points
from volunteer_hub.reports.charts import Series, bar_chart
from volunteer_hub.reports.counts import SCHEMES
from volunteer_hub.reports.figures import (
    CHANGE_FIGURES,
    SUPPRESSED,
    figure_label,
    flatten,
    headline_label,
    language_label,
    scheme_label,
    suppressed_keys,
)


@dataclass(frozen=True)
class ChartData:
    """A chart's figures: one bar per series in each category; a hidden figure is ``<5``."""

    categories: list[str]
    series: list[Series]


@dataclass
class Table:
    """A data table: ``columns`` starts with the row-header column; cells are display texts."""

    id: str
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    chart: Markup | None = None
    chart_data: ChartData | None = None  # what the chart draws, for the XLSX's native charts


@dataclass
class Section:
    id: str
    heading: str
    tables: list[Table] = field(default_factory=list)
    empty_text: str | None = None


def is_share(key: str) -> bool:
    """Whether the figure at ``key`` is a share (0 to 1), or a figure about one (its change)."""
    return key.endswith(".share") or ".share." in key


def format_value(value: Any, *, signed: bool = False, key: str = "") -> str:
    """A figure as text in the interface language: '–' for none, '+' before a rise if ``signed``.

    ``key`` (the figure's dotted path) tells a share, shown as a percentage, and a year, shown
    without a thousands separator, from a count.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return format_number(value)
    if key.endswith(".year"):
        return str(value)
    if is_share(key):
        return format_percent_points(value) if key.endswith(".change") else format_percent(value)
    return format_number(value, signed=signed)


def quarter_name(period: dict[str, Any]) -> str:
    return _("Q%(quarter)s %(year)s", quarter=period["quarter"], year=period["year"])


class _Values:
    """Looks figures up by key, with suppression applied when the viewer is a partner."""

    def __init__(self, report: dict[str, Any], suppress: bool) -> None:
        self.raw = {row.key: row.value for row in flatten(report)}
        self.hidden = suppressed_keys(report) if suppress else set()

    def get(self, key: str, default: Any = 0) -> Any:
        return SUPPRESSED if key in self.hidden else self.raw.get(key, default)

    def text(self, key: str, default: Any = 0, signed: bool = False) -> str:
        return format_value(self.get(key, default), signed=signed, key=key)


def _chart(chart_id: str, caption: str, data: ChartData) -> Markup:
    description = _("A bar chart. The table beside it has the same figures.")
    return bar_chart(chart_id, caption, description, data.categories, data.series)


def _figure_table(values: _Values, table_id: str, caption: str, keys: list[str]) -> Table:
    return Table(
        table_id, caption, [_("Figure"), _("Number")],
        [(figure_label(key), [values.text(key, None)]) for key in keys],
    )  # fmt: skip


def _summary(report: dict[str, Any], values: _Values) -> Section:
    figures = report["change_from_previous_quarter"]["figures"]
    previous = quarter_name(report["change_from_previous_quarter"]["previous_period"])
    rows = []
    for path in figures:
        base = f"{CHANGE_FIGURES}{path}"
        rows.append((headline_label(path), [
            values.text(f"{base}.previous", None), values.text(f"{base}.current", None),
            values.text(f"{base}.change", None, signed=True),
        ]))  # fmt: skip
    columns = [_("Figure"), previous, quarter_name(report["period"]), _("Difference")]
    table = Table("summary-table", _("Headline figures compared with the previous quarter"), columns, rows)
    return Section("summary", _("Summary"), [table])


def _volunteers(report: dict[str, Any], values: _Values, charts: bool) -> Section:
    keys = ["volunteers.registered", "volunteers.approved_at_end", "volunteers.active"]
    previous = quarter_name(report["change_from_previous_quarter"]["previous_period"])
    current = quarter_name(report["period"])
    before = [values.get(f"{CHANGE_FIGURES}{k}.previous") for k in keys]
    now = [values.get(k) for k in keys]
    labels = [figure_label(k) for k in keys]
    caption = _("Volunteers this quarter and the previous quarter")
    table = Table(
        "volunteers-table", caption, [_("Figure"), previous, current],
        [(label, [format_value(b), format_value(n)])
         for label, b, n in zip(labels, before, now, strict=True)],
    )  # fmt: skip
    table.chart_data = ChartData(labels, [Series(previous, before), Series(current, now)])
    if charts:
        table.chart = _chart("volunteers-chart", caption, table.chart_data)
    return Section("volunteers", _("Volunteers"), [table])


def _matches(report: dict[str, Any], values: _Values, charts: bool) -> Section:
    present = {s for part in report["matches"].values() for s in part}
    schemes = list(SCHEMES) + sorted(present - set(SCHEMES))
    parts = ["started", "ended", "active_at_end"]
    columns = [_("Started"), _("Ended"), _("Active at the end")]
    cells = {part: [values.get(f"matches.{part}.{scheme}") for scheme in schemes] for part in parts}
    names = [scheme_label(s) for s in schemes]
    caption = _("Matches per scheme")
    table = Table(
        "matches-table", caption, [_("Scheme"), *columns],
        [(name, [format_value(cells[p][i]) for p in parts]) for i, name in enumerate(names)],
    )  # fmt: skip
    table.chart_data = ChartData(
        names, [Series(label, cells[p]) for label, p in zip(columns, parts, strict=True)]
    )
    if charts:
        table.chart = _chart("matches-chart", caption, table.chart_data)
    return Section("matches", _("Matches"), [table])


def _language_gap(report: dict[str, Any], values: _Values, charts: bool) -> Section:
    codes = [row["language"] for row in report["language_gap"]]
    section = Section("language-gap", _("Language gap"))
    if not codes:
        section.empty_text = _(
            "No household was waiting and no volunteer was available at the end of the quarter."
        )
        return section
    columns = [_("Households waiting"), _("Volunteers available")]
    parts = ["households_waiting", "volunteers_available"]
    cells = {p: [values.get(f"language_gap.{code}.{p}") for code in codes] for p in parts}
    names = [language_label(code) for code in codes]
    caption = _("Households waiting and volunteers available at the end, by language")
    table = Table(
        "language-gap-table", caption, [_("Language"), *columns],
        [(name, [format_value(cells[p][i]) for p in parts]) for i, name in enumerate(names)],
    )  # fmt: skip
    table.chart_data = ChartData(
        names, [Series(label, cells[p]) for label, p in zip(columns, parts, strict=True)]
    )
    if charts:
        table.chart = _chart("language-gap-chart", caption, table.chart_data)
    section.tables.append(table)
    return section


def _deadlines(values: _Values) -> Section:
    parts = ["due", "on_time", "late", "open"]
    columns = [_("Deadline"), _("Due"), _("Within 14 days"), _("Late"), _("Not done")]
    rows = [
        (_("Welcome letters"), [values.text(f"policy_14_days.welcome_letters.{p}") for p in parts]),
        (
            _("Introduction internships"),
            [values.text(f"policy_14_days.internship_offers.{p}") for p in parts],
        ),
    ]
    caption = _("Deadlines (arrival + 14 days) that fell in the quarter")
    return Section(
        "deadlines", _("The policy's 14-day deadlines"), [Table("deadlines-table", caption, columns, rows)]
    )


def build_sections(report: dict[str, Any], *, suppress: bool, charts: bool) -> list[Section]:
    """The report's sections in reading order; the municipality's own report has two more."""
    values = _Values(report, suppress)
    sections = [
        _summary(report, values),
        _volunteers(report, values, charts),
        _matches(report, values, charts),
        Section("reached", _("Households reached"), [_figure_table(
            values, "reached-table", _("Households reached and time to first match"),
            ["reached.households", "reached.persons", "reached.children", "households_first_matched",
             "median_days_to_first_match"],
        )]),
        _language_gap(report, values, charts),
        Section("retention", _("Retention"), [_figure_table(
            values, "retention-table", _("Matches that lasted, and meetings logged"),
            [f"retention.{k}" for k in report["retention"]],
        )]),
        Section("child-certificates", _("Child certificates"), [_figure_table(
            values, "certificates-table",
            _("Approved volunteers working with children, by child certificate at the end"),
            [f"child_certificates.{k}" for k in report["child_certificates"]],
        )]),
    ]  # fmt: skip
    if report["policy_14_days"] is not None:
        sections.append(_deadlines(values))
    if report["housing_before_arrival"] is not None:
        sections.append(Section("housing", _("Housing before arrival"), [_figure_table(
            values, "housing-table", _("Households that arrived in the quarter"),
            [f"housing_before_arrival.{k}" for k in report["housing_before_arrival"]],
        )]))  # fmt: skip
    if report.get("family_answers") is not None:  # issue 22
        sections.append(_family_answers(report["family_answers"], values))
    return sections


def _family_answers(answers: dict[str, Any], values: _Values) -> Section:
    """The families' answers on their private links: contact confirmed, and what they asked for."""
    keys = [f"family_answers.confirmed_within_30_days.{k}" for k in answers["confirmed_within_30_days"]]
    keys += [f"family_answers.answers_by_kind.{k}" for k in answers["answers_by_kind"]]
    keys += [f"family_answers.help_by_topic.{k}" for k in answers["help_by_topic"]]
    caption = _("Contact confirmed by the families, and their answers in the quarter")
    table = _figure_table(values, "family-answers-table", caption, keys)
    return Section("family-answers", _("The families' answers"), [table])

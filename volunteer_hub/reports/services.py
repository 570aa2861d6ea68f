"""Building, finalising and comparing quarterly reports; who may see which report.

Services flush and never commit (STYLE.md habit 1): the view or command commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.db_provider import DatabaseReportProvider
from volunteer_hub.reports.figures import SUPPRESSED, FigureChange, diff_reports, suppressed_keys
from volunteer_hub.reports.models import FinalisedReport
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.presentation import format_value
from volunteer_hub.reports.provider import collector_paused, get_report_provider, today_in_denmark
from volunteer_hub.reports.quarterly import compute_quarterly
from volunteer_hub.reports.sql.answers import count_family_answers
from volunteer_hub.tenancy.models import Organisation


class ReportError(ValueError):
    """A refused report action; ``str(error)`` is a code the view maps to a message."""


def get_report_organisation_or_404(user: User, organisation_param: str | None) -> Organisation | None:
    """The organisation whose report ``user`` asked for (None: the whole municipality), or 404.

    A partner coordinator gets their own organisation's report only: no parameter or their own
    organisation's id; any other value (another organisation, the whole municipality as an
    empty value, anything else) is 404, so guessing a parameter reveals nothing. Municipal
    staff get the whole municipality (no or empty parameter) or one of their municipality's
    organisations; an id from elsewhere is 404.
    """
    if user.role == Role.PARTNER_COORDINATOR:
        if organisation_param is not None and organisation_param != str(user.organisation_id):
            abort(404)
        organisation_param = str(user.organisation_id)
    elif user.role not in (Role.MUNICIPAL_COORDINATOR, Role.ADMIN):
        abort(403)
    if not organisation_param:
        return None
    organisation_id = parse_id(organisation_param)
    if organisation_id is None:
        abort(404)
    organisation = db.session.execute(
        select(Organisation).where(
            Organisation.id == organisation_id, Organisation.municipality_id == user.municipality_id
        )
    ).scalar_one_or_none()
    if organisation is None:
        abort(404)
    return organisation


def build_report(municipality_id: int, quarter: Quarter, organisation: Organisation | None) -> dict[str, Any]:
    """The report computed now from the data (a draft), counted in the database; or, when a
    provider of plain facts is registered (tests, benchmarks), counted from its facts."""
    provider = get_report_provider()
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    reference = OrganisationRef(organisation.id, organisation.name) if organisation else None
    if isinstance(provider, DatabaseReportProvider):
        report = provider.report(municipality_id, quarter, reference, months)
    else:
        with collector_paused():
            organisation_id = organisation.id if organisation else None
            data = provider.load(municipality_id, quarter.previous().start, quarter.end, organisation_id)
            report = compute_quarterly(
                data, quarter.year, quarter.quarter, reference, certificate_valid_months=months
            )
    # Issue 22: the families' answers are read from the database whichever way the rest is counted.
    report["family_answers"] = count_family_answers(
        municipality_id, reference.id if reference else None, quarter
    )
    return report


def get_finalised_report(
    municipality_id: int, organisation_id: int | None, quarter: Quarter
) -> FinalisedReport | None:
    """The finalised report of that quarter and organisation (None: the municipality's), if any."""
    organisation_match = (
        FinalisedReport.organisation_id.is_(None)
        if organisation_id is None
        else FinalisedReport.organisation_id == organisation_id
    )
    return db.session.execute(
        select(FinalisedReport).where(
            FinalisedReport.municipality_id == municipality_id,
            organisation_match,
            FinalisedReport.year == quarter.year,
            FinalisedReport.quarter == quarter.quarter,
        )
    ).scalar_one_or_none()


def finalise_report(
    *,
    municipality_id: int,
    quarter: Quarter,
    organisation: Organisation | None,
    actor: User,
    today: date | None = None,
) -> FinalisedReport:
    """Compute the quarter's report now and store its figures for good (audit event included).

    Refuses a quarter that is not over yet (``quarter_not_over``) and a quarter that is already
    finalised for that organisation (``already_finalised``, also when two coordinators press the
    button at once: the unique index decides).
    """
    if quarter.end >= (today or today_in_denmark()):
        raise ReportError("quarter_not_over")
    organisation_id = organisation.id if organisation else None
    if get_finalised_report(municipality_id, organisation_id, quarter) is not None:
        raise ReportError("already_finalised")
    report = FinalisedReport(
        municipality_id=municipality_id,
        organisation_id=organisation_id,
        year=quarter.year,
        quarter=quarter.quarter,
        figures=build_report(municipality_id, quarter, organisation),
        finalised_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
            db.session.flush()
    except IntegrityError as error:
        raise ReportError("already_finalised") from error
    record(
        "report.finalised",
        actor=actor,
        municipality_id=municipality_id,
        obj=report,
        year=quarter.year,
        quarter=quarter.quarter,
        organisation_id=organisation_id,
    )
    return report


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """A changed figure as the page shows it."""

    label: str
    old: str
    new: str


def describe_changes(finalised: dict[str, Any], draft: dict[str, Any], *, suppress: bool) -> list[ChangeLine]:
    """``diff_reports`` as text lines, with small figures hidden for a partner."""
    hidden_old = suppressed_keys(finalised) if suppress else set()
    hidden_new = suppressed_keys(draft) if suppress else set()

    def shown(change: FigureChange, value: Any, hidden: set[str]) -> str:
        return SUPPRESSED if change.key in hidden else format_value(value, key=change.key)

    lines = []
    for change in diff_reports(finalised, draft):
        old, new = shown(change, change.old, hidden_old), shown(change, change.new, hidden_new)
        if old != new:  # both hidden as <5: nothing a partner may see has changed
            lines.append(ChangeLine(change.label, old, new))
    return lines


def record_export(actor: User, municipality_id: int, quarter: Quarter, organisation_id: int | None,
                  export_format: str, version: str) -> None:  # fmt: skip
    """Exports carry data out of the platform: each one is in the audit trail."""
    record(
        "report.exported",
        actor=actor,
        municipality_id=municipality_id,
        object_type="quarterly_report",
        year=quarter.year,
        quarter=quarter.quarter,
        organisation_id=organisation_id,
        format=export_format,
        version=version,
    )

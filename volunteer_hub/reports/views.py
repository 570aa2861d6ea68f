"""The quarterly report page, its downloads and finalising (blueprint ``reports``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from volunteer_hub.auth.session_guard import recent_authentication_required
from volunteer_hub.core.access import MUNICIPAL_STAFF, STAFF, roles_required
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.core.roles import Role
from volunteer_hub.db import parse_id
from volunteer_hub.reports import exports, services
from volunteer_hub.reports.db_provider import DatabaseReportProvider
from volunteer_hub.reports.periods import Quarter, last_completed_quarter
from volunteer_hub.reports.presentation import build_sections
from volunteer_hub.reports.provider import PROVIDER_KEY, today_in_denmark
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.tenancy.services import list_organisations

bp = Blueprint("reports", __name__, url_prefix="/reports")

FIRST_YEAR = 2000
ERRORS = {
    "quarter_not_over": _l("The quarter is not over yet, so its report cannot be finalised."),
    "already_finalised": _l("This report has already been finalised."),
}


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    # Facts from the database; tests may register a provider of their own first.
    app.extensions.setdefault(PROVIDER_KEY, DatabaseReportProvider())
    add_nav_item(app, "reports.quarterly", _l("Quarterly report"), STAFF)


def selected_quarter(args: MultiDict[str, str]) -> Quarter:
    """The quarter in ``args`` (year, quarter), default the last completed one; 404 if invalid.

    Only quarters that have begun can be reported on.
    """
    today = today_in_denmark()
    year, quarter = args.get("year"), args.get("quarter")
    if year is None and quarter is None:
        return last_completed_quarter(today)
    number = parse_id(year)
    if number is None or (quarter or "") not in {"1", "2", "3", "4"}:
        abort(404)
    chosen = Quarter(number, int(quarter)) if FIRST_YEAR <= number <= today.year else None
    if chosen is None or chosen.start > today:
        abort(404)
    return chosen


def _selection(args: MultiDict[str, str]) -> tuple[Quarter, Organisation | None]:
    organisation = services.get_report_organisation_or_404(
        current_user._get_current_object(), args.get("organisation")
    )
    return selected_quarter(args), organisation


def _params(quarter: Quarter, organisation: Organisation | None, **extra: Any) -> dict[str, Any]:
    organisation_id = organisation.id if organisation else ""
    return {"year": quarter.year, "quarter": quarter.quarter, "organisation": organisation_id, **extra}


@bp.route("/quarterly")
@roles_required(*STAFF)
def quarterly() -> Any:
    quarter, organisation = _selection(request.args)
    municipality_id = current_user.municipality_id
    draft = services.build_report(municipality_id, quarter, organisation)
    finalised = services.get_finalised_report(
        municipality_id, organisation.id if organisation else None, quarter
    )
    shown = finalised.figures if finalised and request.args.get("version") != "draft" else draft
    suppress = current_user.role == Role.PARTNER_COORDINATOR
    municipal = current_user.role in MUNICIPAL_STAFF
    today = today_in_denmark()
    return render_template(
        "reports/quarterly.html",
        quarter=quarter,
        organisation=organisation,
        organisations=list_organisations(municipality_id) if municipal else None,
        years=range(max(FIRST_YEAR, today.year - 6), today.year + 1),
        report=shown,
        sections=build_sections(shown, suppress=suppress, charts=True),
        finalised=finalised,
        show_draft=shown is draft,
        changes=services.describe_changes(finalised.figures, draft, suppress=suppress) if finalised else [],
        can_finalise=municipal and finalised is None and quarter.end < today,
        params=_params(quarter, organisation),
    )


@bp.route("/quarterly/export/<fmt>")
@roles_required(*STAFF)
@recent_authentication_required
def export(fmt: str) -> Any:
    if fmt not in ("csv", "xlsx", "pdf"):
        abort(404)
    quarter, organisation = _selection(request.args)
    municipality_id = current_user.municipality_id
    version = request.args.get("version", "draft")
    if version == "finalised":
        finalised = services.get_finalised_report(
            municipality_id, organisation.id if organisation else None, quarter
        )
        if finalised is None:
            abort(404)
        report = finalised.figures
    else:
        version, report = "draft", services.build_report(municipality_id, quarter, organisation)
    if fmt == "csv":
        body = exports.to_csv(report)
    elif fmt == "xlsx":
        body = exports.to_xlsx(report)
    else:
        status = _("Finalised.") if version == "finalised" else _("Draft.")
        body = exports.to_pdf(report, municipality_name=current_user.municipality.name, status=status)
    services.record_export(current_user._get_current_object(), municipality_id, quarter,
                           organisation.id if organisation else None, fmt, version)  # fmt: skip
    who = f"organisation-{organisation.id}" if organisation else "municipality"
    name = f"quarterly-report-{quarter.year}-Q{quarter.quarter}-{who}-{version}.{fmt}"
    return Response(body, mimetype=exports.CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@bp.route("/quarterly/finalise", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def finalise() -> Any:
    quarter, organisation = _selection(request.form)
    try:
        services.finalise_report(
            municipality_id=current_user.municipality_id,
            quarter=quarter,
            organisation=organisation,
            actor=current_user._get_current_object(),
        )
    except services.ReportError as error:
        flash(str(ERRORS[str(error)]), "error")
    else:
        flash(
            _("The report is finalised. Its figures will not change, whatever happens to the data."),
            "success",
        )
    return redirect(url_for("reports.quarterly", **_params(quarter, organisation)))

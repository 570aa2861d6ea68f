"""API: the quarterly partnership report as JSON (``/api/v1/reports/quarterly``).

The same figures as ``flask report quarterly --format json`` (FORMATS.md): the finalised
report when the quarter's is (stored, so an erasure or a late correction never changes it),
else computed now (a draft). Partner coordinators get their own organisation's report only; any other
``organisation`` is a 404 (``get_report_organisation_or_404``, as on the report page), and,
as on the page and in their exports, a figure small enough to point at a family (the
figures ``suppressed_keys`` names) is ``null`` for them.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import validate
from werkzeug.datastructures import MultiDict

from volunteer_hub.core.access import STAFF, roles_required
from volunteer_hub.core.api.domain import current_actor
from volunteer_hub.core.api.schemas import MAX_ID
from volunteer_hub.core.roles import Role
from volunteer_hub.reports import services
from volunteer_hub.reports.figures import suppressed_keys
from volunteer_hub.reports.views import FIRST_YEAR, selected_quarter

blp = Blueprint(
    "api_reports",
    __name__,
    url_prefix="/reports",
    description="The quarterly partnership report (staff; partner coordinators: their organisation's).",
)


class QuarterlyQuerySchema(ma.Schema):
    year = ma.fields.Integer(validate=validate.Range(min=FIRST_YEAR, max=9999))
    quarter = ma.fields.Integer(validate=validate.Range(min=1, max=4))
    organisation = ma.fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "One organisation's report; leave out for the whole municipality "
            "(partner coordinators: their own, always)"
        },
    )
    version = ma.fields.String(
        validate=validate.OneOf(["draft"]),
        metadata={"description": "draft: computed now even when the quarter's report is finalised"},
    )


class PeriodSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    quarter = ma.fields.Integer(required=True)
    start = ma.fields.String(required=True, metadata={"description": "ISO date"})
    end = ma.fields.String(required=True, metadata={"description": "ISO date"})


def _count(description: str = "") -> ma.fields.Integer:
    return ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": description or "null: a small figure hidden from partner coordinators"},
    )


def _counts_per(what: str) -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True), required=True,
        metadata={"description": what},
    )  # fmt: skip


class VolunteerFiguresSchema(ma.Schema):
    registered = _count()
    approved_at_end = _count()
    active = _count()


class MatchFiguresSchema(ma.Schema):
    started = _counts_per("Matches started in the quarter, per scheme")
    ended = _counts_per("Matches ended in the quarter, per scheme")
    active_at_end = _counts_per("Matches active on the quarter's last day, per scheme")


class ReachedSchema(ma.Schema):
    households = _count()
    persons = _count()
    children = _count()


class LanguageGapSchema(ma.Schema):
    language = ma.fields.String(required=True)
    households_waiting = _count()
    volunteers_available = _count()


class RetentionSchema(ma.Schema):
    reached_3_months = _count()
    ended_before_3_months = _count()
    ended_after_3_months = _count()
    meetings = _count()
    matches_with_meetings = _count()
    meeting_hours = ma.fields.Float(required=True, allow_none=True)


class ChildCertificatesSchema(ma.Schema):
    working_with_children = _count()
    valid = _count()
    expiring = _count()
    missing = _count()
    validity_months = ma.fields.Integer(required=True)


class DeadlineSchema(ma.Schema):
    due = _count()
    on_time = _count()
    late = _count()
    open = _count()


class Policy14DaysSchema(ma.Schema):
    welcome_letters = ma.fields.Nested(DeadlineSchema, required=True)
    internship_offers = ma.fields.Nested(DeadlineSchema, required=True)


class HousingSchema(ma.Schema):
    arrived = _count()
    housed_before_arrival = _count()
    not_housed_before_arrival = _count()
    unknown = _count()
    share = ma.fields.Float(required=True, allow_none=True, metadata={"description": "0 to 1"})


class FigureChangeSchema(ma.Schema):
    previous = ma.fields.Float(required=True, allow_none=True)
    current = ma.fields.Float(required=True, allow_none=True)
    change = ma.fields.Float(required=True, allow_none=True)


class ChangeSchema(ma.Schema):
    previous_period = ma.fields.Nested(PeriodSchema, required=True)
    figures = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(FigureChangeSchema),
        required=True,
        metadata={"description": "Per headline figure (a dotted path into the report)"},
    )


class ConfirmedSchema(ma.Schema):
    matches = _count("Matches whose first 30 days ended in the quarter")
    confirmed_by_family = _count()
    share = ma.fields.Float(required=True, allow_none=True, metadata={"description": "0 to 1"})


class FamilyAnswersSchema(ma.Schema):
    confirmed_within_30_days = ma.fields.Nested(ConfirmedSchema, required=True)
    answers_by_kind = _counts_per("Answers given in the quarter, per kind (non-zero only)")
    help_by_topic = _counts_per("Help asked for in the quarter, per topic (non-zero only)")


class QuarterlyReportSchema(ma.Schema):
    """The report of FORMATS.md and its further figures; a report finalised before a figure
    was added lacks it, and figures added later follow as they are."""

    class Meta:
        unknown = ma.INCLUDE

    period = ma.fields.Nested(PeriodSchema, required=True)
    organisation = ma.fields.String(required=True, allow_none=True)
    finalised_at = ma.fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the figures were finalised (stored, never changed); null: a draft"},
    )
    volunteers = ma.fields.Nested(VolunteerFiguresSchema, required=True)
    matches = ma.fields.Nested(MatchFiguresSchema, required=True)
    reached = ma.fields.Nested(ReachedSchema, required=True)
    median_days_to_first_match = ma.fields.Float(required=True, allow_none=True)
    language_gap = ma.fields.List(ma.fields.Nested(LanguageGapSchema), required=True)
    data_as_of = ma.fields.String(metadata={"description": "ISO date the data was read"})
    households_first_matched = _count()
    retention = ma.fields.Nested(RetentionSchema)
    child_certificates = ma.fields.Nested(ChildCertificatesSchema)
    policy_14_days = ma.fields.Nested(
        Policy14DaysSchema, allow_none=True, metadata={"description": "The municipality's report only"}
    )
    housing_before_arrival = ma.fields.Nested(
        HousingSchema, allow_none=True, metadata={"description": "The municipality's report only"}
    )
    change_from_previous_quarter = ma.fields.Nested(ChangeSchema)
    family_answers = ma.fields.Nested(
        FamilyAnswersSchema, metadata={"description": "The families' answers on their private links"}
    )

    @ma.post_dump(pass_original=True)
    def _keep_the_rest(
        self, data: dict[str, Any], original: dict[str, Any], **_kwargs: Any
    ) -> dict[str, Any]:
        return {**original, **data}


@blp.route("/quarterly")
@roles_required(*STAFF)
@blp.arguments(QuarterlyQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, QuarterlyReportSchema)
@blp.alt_response(404, description="No such organisation for the caller, or the quarter has not begun")
def quarterly_report(args: dict[str, Any]) -> Any:
    """The quarterly report's figures: as finalised (stored, never changed) when the quarter's
    report is, else computed now (``version=draft``: computed now in any case); default the last
    completed quarter. A quarter that has not begun, or a year without a quarter (or the
    reverse), is a 404, as on the report page."""
    user = current_actor()
    organisation_param = str(args["organisation"]) if "organisation" in args else None
    organisation = services.get_report_organisation_or_404(user, organisation_param)
    chosen = MultiDict({k: str(args[k]) for k in ("year", "quarter") if k in args})
    quarter = selected_quarter(chosen)
    finalised = None
    if args.get("version") != "draft":
        finalised = services.get_finalised_report(
            user.municipality_id, organisation.id if organisation else None, quarter
        )
    if finalised is not None:
        report = dict(finalised.figures)
    else:
        report = services.build_report(user.municipality_id, quarter, organisation)
    if user.role == Role.PARTNER_COORDINATOR:
        hidden = suppressed_keys(report)
        report = {key: _hide(key, value, hidden) for key, value in report.items()}
    report["finalised_at"] = finalised.finalised_at if finalised is not None else None
    return report


def _hide(path: str, value: Any, hidden: set[str]) -> Any:
    """``value`` with the figures whose dotted path (as ``figures.flatten`` names them) is in
    ``hidden`` replaced by null."""
    if isinstance(value, dict):
        return {key: _hide(f"{path}.{key}", item, hidden) for key, item in value.items()}
    if isinstance(value, list):  # language_gap: one object per language, keyed by it
        return [
            {
                key: item if key == "language" else _hide(f"{path}.{entry['language']}.{key}", item, hidden)
                for key, item in entry.items()
            }  # fmt: skip
            for entry in value
        ]
    return None if path in hidden else value

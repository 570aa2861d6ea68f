"""API: the quarterly partnership report as JSON (``/api/v1/reports/quarterly``).

The same figures as ``flask report quarterly --format json`` (FORMATS.md), computed now (a
draft). Partner coordinators get their own organisation's report only; any other
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


class PeriodSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    quarter = ma.fields.Integer(required=True)
    start = ma.fields.String(required=True, metadata={"description": "ISO date"})
    end = ma.fields.String(required=True, metadata={"description": "ISO date"})


class QuarterlyReportSchema(ma.Schema):
    """The FORMATS.md keys are described; the report's further figures follow them as they are."""

    class Meta:
        unknown = ma.INCLUDE

    period = ma.fields.Nested(PeriodSchema, required=True)
    organisation = ma.fields.String(required=True, allow_none=True)
    volunteers = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True), required=True
    )
    matches = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True)),
        required=True,
        metadata={"description": "started, ended, active_at_end: counts per scheme"},
    )
    reached = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(allow_none=True),
        required=True,
        metadata={"description": "null: a small figure hidden from partner coordinators"},
    )
    median_days_to_first_match = ma.fields.Float(required=True, allow_none=True)
    language_gap = ma.fields.List(ma.fields.Dict(), required=True)

    @ma.post_dump(pass_original=True)
    def _keep_the_rest(
        self, data: dict[str, Any], original: dict[str, Any], **_kwargs: Any
    ) -> dict[str, Any]:
        return {**original, **data}


@blp.route("/quarterly")
@roles_required(*STAFF)
@blp.arguments(QuarterlyQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, QuarterlyReportSchema)
def quarterly_report(args: dict[str, Any]) -> Any:
    """The quarterly report's figures, computed now; default the last completed quarter.
    A quarter that has not begun, or a year without a quarter (or the reverse), is a 404,
    as on the report page."""
    user = current_actor()
    organisation_param = str(args["organisation"]) if "organisation" in args else None
    organisation = services.get_report_organisation_or_404(user, organisation_param)
    chosen = MultiDict({k: str(args[k]) for k in ("year", "quarter") if k in args})
    report = services.build_report(user.municipality_id, selected_quarter(chosen), organisation)
    if user.role == Role.PARTNER_COORDINATOR:
        hidden = suppressed_keys(report)
        report = {key: _hide(key, value, hidden) for key, value in report.items()}
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

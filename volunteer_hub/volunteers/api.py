"""API: volunteers for coordinators (``/api/v1/volunteers``): list, read, status transitions.

Partner coordinators see and act only on their own organisation's volunteers; any other id
is a 404, exactly as on the pages (``get_volunteer_or_404``). Transitions go through
``services.move``, which refuses illegal moves (409 here) and writes the audit event.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint, abort
from marshmallow import validate

from volunteer_hub.core.access import STAFF, roles_required
from volunteer_hub.core.api.domain import current_actor, record_first, refuse
from volunteer_hub.core.api.pagination import PageArgsSchema, page_schema, paginate
from volunteer_hub.core.api.schemas import OrganisationRefSchema, SafeText, record_id
from volunteer_hub.volunteers import queries, services
from volunteer_hub.volunteers.models import ChildCertificateState, Volunteer, VolunteerStatus
from volunteer_hub.volunteers.permissions import get_volunteer_or_404
from volunteer_hub.volunteers.views import COORDINATOR_ACTIONS

blp = Blueprint(
    "api_volunteers",
    __name__,
    url_prefix="/volunteers",
    description="Volunteers and their approval (staff; partner coordinators: their organisation's).",
)


class VolunteerQuerySchema(PageArgsSchema):
    status = ma.fields.Enum(VolunteerStatus, by_value=True, metadata={"description": "Only this status"})
    organisation = record_id(strict=False, metadata={"description": "Only this organisation's volunteers"})


class VolunteerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    status = ma.fields.Enum(VolunteerStatus, by_value=True, required=True)
    status_changed_at = ma.fields.AwareDateTime(required=True)
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    email = ma.fields.String(required=True, allow_none=True)
    phone = ma.fields.String(required=True, allow_none=True, metadata={"description": "E.164"})
    postcode = ma.fields.String(required=True, allow_none=True)
    organisation = ma.fields.Nested(OrganisationRefSchema, required=True, allow_none=True)
    registered_on = ma.fields.Date(required=True)
    capacity = ma.fields.Integer(required=True, metadata={"description": "Households at a time"})
    languages = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        attribute="language_levels",
        metadata={"description": "Language code -> level"},
    )
    skills = ma.fields.List(ma.fields.String(), required=True)
    schemes = ma.fields.List(ma.fields.String(), required=True)
    availability = ma.fields.List(ma.fields.String(), required=True)
    child_certificate_state = ma.fields.Enum(ChildCertificateState, by_value=True, required=True)
    child_certificate_received_on = ma.fields.Date(required=True, allow_none=True)


REASON_ACTIONS = sorted(a for a in COORDINATOR_ACTIONS if services.TRANSITIONS[a].needs_reason)
PLAIN_ACTIONS = sorted(a for a in COORDINATOR_ACTIONS if not services.TRANSITIONS[a].needs_reason)


def _reason(**kwargs: Any) -> SafeText:
    return SafeText(
        single_line=False,
        validate=validate.Length(max=services.MAX_REASON_LENGTH),
        metadata={"description": "Why: the volunteer sees it in the e-mail and on their page"},
        **kwargs,
    )


class TransitionSchema(ma.Schema):
    """What the server validates: any move, with a reason when the move needs one."""

    action = ma.fields.String(
        required=True,
        validate=validate.OneOf(sorted(COORDINATOR_ACTIONS)),
        metadata={"description": "The status move to make"},
    )
    reason = _reason()


class TransitionWithReasonSchema(ma.Schema):
    """A move the volunteer is told the reason for: reject, request_information, suspend."""

    action = ma.fields.String(required=True, validate=validate.OneOf(REASON_ACTIONS))
    reason = _reason(required=True)


class TransitionWithoutReasonSchema(ma.Schema):
    """A move without a reason: approve, pause, resume (a reason sent is ignored)."""

    action = ma.fields.String(required=True, validate=validate.OneOf(PLAIN_ACTIONS))
    reason = _reason()


# The document states which moves require ``reason`` (issue 18, finding 12): one of two bodies.
TRANSITION_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"oneOf": [TransitionWithReasonSchema, TransitionWithoutReasonSchema]}}
    },
}


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(VolunteerQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, page_schema(VolunteerSchema))
def list_volunteers(args: dict[str, Any]) -> Any:
    """The volunteers the caller may see (not erased ones), by name, a page at a time."""
    filters = queries.VolunteerFilters(
        status=args["status"].value if args.get("status") else "",
        organisation=str(args.get("organisation") or ""),
    )
    return paginate(queries.filtered_volunteers(current_actor(), filters), args)


@blp.route("/<int:volunteer_id>")
@roles_required(*STAFF)
@blp.response(200, VolunteerSchema)
def get_volunteer(volunteer_id: int) -> Any:
    """One volunteer the caller may see."""
    return get_volunteer_or_404(volunteer_id, for_user=current_actor())


@blp.route("/<int:volunteer_id>/transitions", methods=["POST"])
@roles_required(*STAFF)
@record_first(lambda volunteer_id: get_volunteer_or_404(volunteer_id, for_user=current_actor()))
@blp.arguments(TransitionSchema)
@blp.doc(requestBody=TRANSITION_BODY)
@blp.response(200, VolunteerSchema)
@blp.alt_response(409, description="The move is not possible now; 'detail' says why")
def transition_volunteer(data: dict[str, Any], volunteer_id: int) -> Any:
    """Move the volunteer to another status (approve, reject, ...); the volunteer is e-mailed."""
    volunteer: Volunteer = get_volunteer_or_404(volunteer_id, for_user=current_actor(), lock=True)
    action, reason = data["action"], data.get("reason")
    if services.TRANSITIONS[action].needs_reason and not (reason or "").strip():
        abort(422, errors={"json": {"reason": ["Write the reason the volunteer will see."]}})
    try:
        services.move(volunteer, action, current_actor(), reason)
    except services.TransitionError as error:
        refuse(409, error)
    return volunteer

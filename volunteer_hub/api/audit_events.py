"""API: the audit trail of one record, for administrators (``/api/v1/audit-events``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import validate

from volunteer_hub.audit.services import municipality_events_query
from volunteer_hub.core.access import roles_required
from volunteer_hub.core.api.pagination import PageArgsSchema, page_schema, paginate
from volunteer_hub.core.api.schemas import SafeText, record_id
from volunteer_hub.core.roles import Role

blp = Blueprint(
    "api_audit",
    __name__,
    url_prefix="/audit-events",
    description="The append-only audit trail (administrators, read only).",
)


class AuditQuerySchema(PageArgsSchema):
    object_type = SafeText(
        required=True,
        validate=validate.Length(max=40),
        metadata={"description": "The record's table, e.g. user_account or api_token"},
    )
    object_id = record_id(strict=False, required=True)


class AuditEventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    action = ma.fields.String(required=True)
    object_type = ma.fields.String(required=True, allow_none=True)
    object_id = ma.fields.Integer(required=True, allow_none=True)
    actor_user_id = ma.fields.Integer(required=True, allow_none=True)
    details = ma.fields.Dict(
        keys=ma.fields.String(),
        required=True,
        metadata={"description": "Identifiers and codes only, never personal data"},
    )


@blp.route("")
@roles_required(Role.ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, page_schema(AuditEventSchema))
def list_audit_events(args: dict[str, Any]) -> Any:
    """The history of one record in the caller's municipality, newest first, a page at a time."""
    query = municipality_events_query(current_user.municipality_id, args["object_type"], args["object_id"])
    return paginate(query, args)

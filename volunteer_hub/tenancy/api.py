"""API: the municipality's partner organisations (``/api/v1/organisations``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from volunteer_hub.core.access import STAFF, roles_required
from volunteer_hub.tenancy.services import list_organisations

blp = Blueprint(
    "api_organisations",
    __name__,
    url_prefix="/organisations",
    description="The partner organisations of the caller's municipality.",
)


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    is_active = ma.fields.Boolean(
        required=True,
        metadata={"description": "False once deactivated: it keeps its history and takes no new volunteers."},
    )


@blp.route("")
@roles_required(*STAFF)
@blp.response(200, OrganisationSchema(many=True))
def list_partner_organisations() -> Any:
    """Every partner organisation of the caller's municipality, by name, deactivated ones too."""
    return list_organisations(current_user.municipality_id)

"""API: the account the token belongs to (``/api/v1/me``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import validate

from volunteer_hub.auth import services
from volunteer_hub.auth.models import User
from volunteer_hub.core.access import signed_in
from volunteer_hub.core.api.schemas import OrganisationRefSchema, SafeText
from volunteer_hub.core.roles import Role

blp = Blueprint("api_account", __name__, url_prefix="/me", description="The account the token acts for.")


class AccountSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.Enum(Role, by_value=True, required=True)
    municipality_code = ma.fields.String(required=True, metadata={"description": "Four-digit kommunekode"})
    organisation = ma.fields.Nested(
        OrganisationRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "The partner organisation, for partner coordinators; else null"},
    )


class AccountUpdateSchema(ma.Schema):
    name = SafeText(required=True, validate=validate.Length(min=1, max=120))


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "municipality_code": user.municipality.code,
        "organisation": user.organisation,
    }


@blp.route("")
@signed_in
@blp.response(200, AccountSchema)
def me() -> Any:
    """The caller's account: id, name, role, municipality and organisation."""
    return _account(current_user)


@blp.route("", methods=["PATCH"])
@signed_in
@blp.arguments(AccountUpdateSchema)
@blp.response(200, AccountSchema)
def update_me(data: dict[str, Any]) -> Any:
    """Change the caller's display name (needs the ``write`` scope). Role and the rest are not
    changeable here: any other field is refused."""
    user: User = current_user._get_current_object()
    services.change_own_name(user, data["name"])
    return _account(user)

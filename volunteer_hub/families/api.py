"""API: family cases for municipal staff (``/api/v1/households``): list and read.

Only municipal coordinators and administrators see cases. Reading one is declared
``signed_in`` and answers 404 to anyone else (``get_household_or_404``), as the case pages
do, so a partner coordinator cannot learn which ids exist. Both answers write ``family.viewed``
for each household they show, committed with the request once the answer is made.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required, signed_in
from volunteer_hub.core.api.domain import current_actor
from volunteer_hub.core.api.pagination import PageArgsSchema, page_schema, paginate
from volunteer_hub.families.access import get_household_or_404, record_case_read
from volunteer_hub.families.models import Household

blp = Blueprint(
    "api_households",
    __name__,
    url_prefix="/households",
    description="Refugee households (family cases): municipal coordinators and administrators only.",
)


class HouseholdLanguageSchema(ma.Schema):
    language = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class MemberSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "adult or child"})
    name = ma.fields.String(required=True)
    birth_year = ma.fields.Integer(required=True, allow_none=True)
    arrival_on = ma.fields.Date(required=True)
    arrival_route = ma.fields.String(required=True)


class HouseholdSummarySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    postcode = ma.fields.String(required=True)
    letter_language = ma.fields.String(required=True)
    registered_on = ma.fields.Date(required=True)
    schemes = ma.fields.List(ma.fields.String(), required=True, attribute="scheme_codes")


class HouseholdSchema(HouseholdSummarySchema):
    contact_name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    address = ma.fields.String(required=True)
    interpreter_needed = ma.fields.Boolean(required=True)
    interests = ma.fields.List(ma.fields.String(), required=True)
    availability = ma.fields.List(ma.fields.String(), required=True)
    volunteer_gender = ma.fields.String(required=True, allow_none=True)
    consent_on = ma.fields.Date(required=True, allow_none=True)
    consent_scope = ma.fields.String(required=True, allow_none=True)
    languages = ma.fields.List(ma.fields.Nested(HouseholdLanguageSchema), required=True)
    members = ma.fields.List(ma.fields.Nested(MemberSchema), required=True)


@blp.route("")
@roles_required(*MUNICIPAL_STAFF)
@blp.arguments(PageArgsSchema, location="query", unknown=ma.RAISE)
@blp.response(200, page_schema(HouseholdSummarySchema))
def list_households(args: dict[str, Any]) -> Any:
    """The municipality's households, by reference, a page at a time (each one's reading is
    recorded in the audit trail)."""
    statement = (
        select(Household)
        .where(Household.municipality_id == current_user.municipality_id)
        .options(selectinload(Household.schemes))
        .order_by(Household.ref, Household.id)
    )
    page = paginate(statement, args)
    record_case_read(*(household.id for household in page["items"]), for_user=current_actor())
    return jsonify(page_schema(HouseholdSummarySchema)().dump(page))


@blp.route("/<int:household_id>")
@signed_in
@blp.response(200, HouseholdSchema)
def get_household(household_id: int) -> Any:
    """One household's case data (the reading is recorded in the audit trail)."""
    household = get_household_or_404(
        household_id,
        for_user=current_actor(),
        load=[
            selectinload(Household.members),
            selectinload(Household.languages),
            selectinload(Household.schemes),
        ],
    )
    record_case_read(household.id, for_user=current_actor())
    return jsonify(HouseholdSchema().dump(household))

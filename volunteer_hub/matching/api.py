"""API: match suggestions and matches (``/api/v1/households/{id}/suggestions``, ``/api/v1/matches``).

Suggestions are part of a family case: municipal staff only (404 for anyone else, as on the
case pages). Matches are listed and acted on by staff; partner coordinators only those of
their own organisation's volunteers (``get_match_or_404``). Every change goes through
``workflow``, which checks the rules, refuses stale moves (409 here) and writes the audit events.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import validate

from volunteer_hub.core.access import STAFF, roles_required, signed_in
from volunteer_hub.core.api.domain import current_actor, record_first, refuse
from volunteer_hub.core.api.pagination import PageArgsSchema, page_schema, paginate
from volunteer_hub.core.api.schemas import OrganisationRefSchema, SafeText, record_id
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.access import get_household_or_404, record_case_read
from volunteer_hub.matching import queries, services, workflow
from volunteer_hub.matching.access import get_match_or_404
from volunteer_hub.matching.engine.config import SCHEMES
from volunteer_hub.matching.models import EndReason, MatchSource, MatchStatus
from volunteer_hub.volunteers.permissions import get_volunteer_or_404

blp = Blueprint(
    "api_matching",
    __name__,
    url_prefix="",
    description="Match suggestions for a household, and matches: list, propose, approve, reject, end.",
)

MAX_SUGGESTIONS = 50


class SuggestionQuerySchema(ma.Schema):
    scheme = ma.fields.String(
        validate=validate.OneOf(SCHEMES),
        metadata={
            "description": "One of the schemes the household asked for (404 otherwise); default its first"
        },
    )
    top = ma.fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_SUGGESTIONS))


class ReasonSchema(ma.Schema):
    factor = ma.fields.String(required=True)
    value = ma.fields.Float(required=True)
    weight = ma.fields.Float(required=True)
    contribution = ma.fields.Float(required=True, metadata={"description": "weight * value"})
    text = ma.fields.String(required=True, metadata={"description": "The factor's part, as a sentence"})


class VolunteerRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    organisation = ma.fields.Nested(OrganisationRefSchema, required=True, allow_none=True)


class SuggestionSchema(ma.Schema):
    volunteer = ma.fields.Nested(VolunteerRefSchema, required=True)
    score = ma.fields.Float(required=True)
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)


class SuggestionsSchema(ma.Schema):
    household_id = ma.fields.Integer(required=True)
    scheme = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "null: no scheme asked"}
    )
    suggestions = ma.fields.List(ma.fields.Nested(SuggestionSchema), required=True)


class MatchQuerySchema(PageArgsSchema):
    status = ma.fields.String(
        load_default="open",
        validate=validate.OneOf(["open", "all", *[s.value for s in MatchStatus]]),
        metadata={"description": "open (proposed, approved, active; the default), one status, or all"},
    )


class MatchSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.Enum(MatchStatus, by_value=True, required=True)
    scheme = ma.fields.String(required=True)
    source = ma.fields.Enum(MatchSource, by_value=True, required=True)
    household_id = ma.fields.Integer(required=True)
    volunteer = ma.fields.Nested(VolunteerRefSchema, required=True)
    organisation_id = ma.fields.Integer(required=True, allow_none=True)
    proposed_at = ma.fields.AwareDateTime(required=True)
    approved_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    started_on = ma.fields.Date(required=True, allow_none=True)
    ended_on = ma.fields.Date(required=True, allow_none=True)
    end_reason = ma.fields.Enum(EndReason, by_value=True, required=True, allow_none=True)


class ProposeSchema(ma.Schema):
    volunteer_id = record_id(required=True, metadata={"description": "A volunteer the caller may see"})
    scheme = ma.fields.String(
        required=True,
        validate=validate.OneOf(SCHEMES),
        metadata={"description": "One of the schemes the household asked for"},
    )
    override_reason = SafeText(
        single_line=False,
        validate=validate.Length(max=workflow.MAX_TEXT),
        metadata={
            "description": "Only to waive the shared-language rule: why the pair works without one "
            "(no other rule can be waived)"
        },
    )


class RejectSchema(ma.Schema):
    reason = SafeText(
        single_line=False,
        required=True,
        validate=validate.Length(max=workflow.MAX_TEXT),
        metadata={"description": "Why the pair is rejected; it is never proposed again"},
    )


class EndSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=validate.OneOf([r.value for r in EndReason if r != EndReason.REJECTED]),
        metadata={"description": "Why the match ends ('rejected' is for a rejection: POST .../reject)"},
    )
    note = SafeText(
        single_line=False,
        validate=validate.Length(max=workflow.MAX_TEXT),
        metadata={"description": "Needed when the reason is 'other'"},
    )
    ended_on = ma.fields.Date(metadata={"description": "Default today"})


@blp.route("/households/<int:household_id>/suggestions")
@signed_in
@blp.arguments(SuggestionQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, SuggestionsSchema)
@blp.alt_response(404, description="No such household for the caller, or it has not asked for the scheme")
def household_suggestions(args: dict[str, Any], household_id: int) -> Any:
    """The volunteers best suited to the household in one scheme, with each factor's reason
    (municipal staff; 404 for anyone else)."""
    household = get_household_or_404(
        household_id, for_user=current_actor(), load=services.household_load_options()
    )
    schemes = household.scheme_codes
    scheme = args.get("scheme") or (schemes[0] if schemes else None)
    if scheme is not None and scheme not in schemes:
        abort(404, message=_not_asked(schemes))
    lang = services.interface_lang(get_locale())
    rows = services.suggestions_for(household, scheme, local_today(), lang, top=args["top"]) if scheme else []
    result = {
        "household_id": household.id,
        "scheme": scheme,
        "suggestions": [
            {"volunteer": row.volunteer, "score": row.suggestion.score, "reasons": row.suggestion.reasons}
            for row in rows
        ],
    }
    record_case_read(household.id, for_user=current_actor())
    return result


@blp.route("/households/<int:household_id>/matches", methods=["POST"])
@signed_in
@record_first(
    lambda household_id: get_household_or_404(household_id, for_user=current_actor())
)  # fmt: skip
@blp.arguments(ProposeSchema)
@blp.response(201, MatchSchema)
@blp.alt_response(404, description="No such household or volunteer for the caller")
@blp.alt_response(
    409, description="The household has not asked for the scheme, or the pair breaks a rule or is taken"
)
def propose_match(data: dict[str, Any], household_id: int) -> Any:
    """Propose a volunteer for the household in one scheme (municipal staff; 404 for anyone
    else). Every rule is checked, as for a suggestion; a coordinator then approves or rejects it."""
    actor = current_actor()
    household = get_household_or_404(household_id, for_user=actor, load=services.household_load_options())
    volunteer = get_volunteer_or_404(data["volunteer_id"], for_user=actor)
    if data["scheme"] not in household.scheme_codes:
        abort(409, message=_not_asked(household.scheme_codes))  # a valid scheme, not this household's
    try:
        match = workflow.propose_match(
            household,
            volunteer,
            data["scheme"],
            actor=actor,
            source=MatchSource.MANUAL,
            override_reason=data.get("override_reason"),
        )
    except workflow.MatchError as error:
        refuse(409, error)
    return get_match_or_404(match.id, for_user=actor)


def _not_asked(schemes: list[str]) -> str:
    return str(
        _(
            "The household has not asked for this scheme; it asked for: %(schemes)s.",
            schemes=", ".join(schemes),
        )
    )


@blp.route("/matches")
@roles_required(*STAFF)
@blp.arguments(MatchQuerySchema, location="query", unknown=ma.RAISE)
@blp.response(200, page_schema(MatchSchema))
def list_matches(args: dict[str, Any]) -> Any:
    """The matches the caller may see, newest proposal first, a page at a time."""
    return paginate(queries.matches_query(current_actor(), status=args["status"]), args)


def _visible_match(match_id: int) -> Any:
    return get_match_or_404(match_id, for_user=current_actor())


def _act(match_id: int, change: Any) -> Any:
    match = get_match_or_404(match_id, for_user=current_actor())
    try:
        change(match)
    except workflow.MatchError as error:
        refuse(409, error)
    return get_match_or_404(match_id, for_user=current_actor())


@blp.route("/matches/<int:match_id>/approve", methods=["POST"])
@roles_required(*STAFF)
@blp.response(200, MatchSchema)
@blp.alt_response(409, description="The match was changed meanwhile, or the pair breaks a rule")
def approve_match(match_id: int) -> Any:
    """Approve a proposed match: the rules are checked again; contact cards and check-ins follow."""
    return _act(match_id, lambda match: workflow.approve_match(match, actor=current_actor()))


@blp.route("/matches/<int:match_id>/reject", methods=["POST"])
@roles_required(*STAFF)
@record_first(_visible_match)
@blp.arguments(RejectSchema)
@blp.response(200, MatchSchema)
@blp.alt_response(409, description="The pair is already matched or already rejected")
def reject_match(data: dict[str, Any], match_id: int) -> Any:
    """Reject the match's pair with a reason: it is never proposed again, and an open proposal ends."""

    def change(match: Any) -> None:
        workflow.reject_pair(
            match.household, match.volunteer, match.scheme, data["reason"], actor=current_actor()
        )

    return _act(match_id, change)


@blp.route("/matches/<int:match_id>/end", methods=["POST"])
@roles_required(*STAFF)
@record_first(_visible_match)
@blp.arguments(EndSchema)
@blp.response(200, MatchSchema)
@blp.alt_response(409, description="The match has ended already, or the end is not possible as asked")
def end_match(data: dict[str, Any], match_id: int) -> Any:
    """End a match (or withdraw a proposal) with a reason; the household's private link closes."""

    def change(match: Any) -> None:
        workflow.end_match(
            match,
            EndReason(data["reason"]),
            actor=current_actor(),
            note=data.get("note") or "",
            on=data.get("ended_on"),
        )

    return _act(match_id, change)

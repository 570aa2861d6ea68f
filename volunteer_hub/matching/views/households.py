"""A household's suggestions, "why not?", approving or rejecting a suggestion, and a manual match."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from volunteer_hub import vocab
from volunteer_hub.core.clock import local_today
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.families.access import case_route, get_household_or_404, record_case_read
from volunteer_hub.matching import forms, queries, services, workflow
from volunteer_hub.matching.blockers import emptying_rule
from volunteer_hub.matching.models import MatchSource
from volunteer_hub.matching.views import bp
from volunteer_hub.matching.views.common import (
    approved_text,
    current,
    done,
    find_volunteers,
    identify_volunteer,
    matcher_lang,
    pair_from,
    refused,
    render_audited,
)
from volunteer_hub.volunteers.permissions import get_volunteer_or_404

# --- a household's suggestions ------------------------------------------------------------------


def _scheme_of(household: Any, requested: str | None) -> str | None:
    schemes = household.scheme_codes
    return requested if requested in schemes else (schemes[0] if schemes else None)


@bp.route("/familier/<int:household_id>/forslag")
@case_route
def suggestions(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current(), load=services.household_load_options())
    scheme = _scheme_of(household, request.args.get("ordning"))
    today = local_today()
    rows = services.suggestions_for(household, scheme, today, matcher_lang()) if scheme else []
    empty_rule = emptying_rule(household, scheme, today) if scheme and not rows else None
    why_not_id = parse_id(request.args.get("hvorfor_ikke"))
    who = (request.args.get("hvem") or "").strip()[:100]
    found = find_volunteers(who) if scheme and who and why_not_id is None else []
    if len(found) == 1:
        why_not_id = found[0].id
    why_not = None
    if scheme and why_not_id is not None:
        candidate = get_volunteer_or_404(why_not_id, for_user=current())
        why_not = (candidate, services.why_not(household, scheme, candidate, today, matcher_lang()))
    record_case_read(household.id, for_user=current())
    return render_audited(
        "matching/suggestions.html",
        household=household,
        scheme=scheme,
        rows=rows,
        empty_rule=empty_rule,
        why_not=why_not,
        who=who,
        found=found if len(found) != 1 else [],
        matches=queries.household_matches(household.id),
        form=forms.RejectPairForm(),
    )


@bp.route("/familier/<int:household_id>/forslag/godkend", methods=["POST"])
@case_route
def approve_suggestion(household_id: int) -> Any:
    household, volunteer, scheme = pair_from(forms.PairForm(), household_id)
    back = {"household_id": household_id, "ordning": scheme}
    try:
        match = workflow.propose_match(
            household, volunteer, scheme, actor=current(), source=MatchSource.SUGGESTION
        )
        workflow.approve_match(match, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.suggestions", **back)
    return done(approved_text(match), "matching.detail", match_id=match.id)


@bp.route("/familier/<int:household_id>/forslag/foreslaa", methods=["POST"])
@case_route
def propose_suggestion(household_id: int) -> Any:
    household, volunteer, scheme = pair_from(forms.PairForm(), household_id)
    try:
        match = workflow.propose_match(
            household, volunteer, scheme, actor=current(), source=MatchSource.SUGGESTION
        )
    except workflow.MatchError as error:
        return refused(error, "matching.suggestions", household_id=household_id, ordning=scheme)
    return done(
        _("The match is proposed. It can be approved on its page."), "matching.detail", match_id=match.id
    )


@bp.route("/familier/<int:household_id>/forslag/afvis", methods=["POST"])
@case_route
def reject_suggestion(household_id: int) -> Any:
    form = forms.RejectPairForm()
    household, volunteer, scheme = pair_from(form, household_id)
    try:
        workflow.reject_pair(household, volunteer, scheme, form.reason.data, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.suggestions", household_id=household_id, ordning=scheme)
    return done(
        _("The pair is rejected and will not be proposed again."),
        "matching.suggestions",
        household_id=household_id,
        ordning=scheme,
    )


@bp.route("/familier/<int:household_id>/manuel", methods=["GET", "POST"])
@case_route
def manual(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current(), load=services.household_load_options())
    form = forms.ManualMatchForm()
    form.scheme.choices = [(s, vocab.label(vocab.SCHEMES, s)) for s in household.scheme_codes]
    status = 200
    if form.validate_on_submit():
        found, candidates = identify_volunteer(form.volunteer.data, form.chosen.data)
        if found is None:
            _show_candidates(form, candidates)
            status = 400
        else:
            volunteer = get_volunteer_or_404(found.id, for_user=current())
            try:
                match = workflow.create_manual_match(
                    household,
                    volunteer,
                    form.scheme.data,
                    actor=current(),
                    override_language=form.override_language.data,
                    override_reason=form.override_reason.data or "",
                )
            except workflow.MatchError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
                status = 400
            else:
                return done(approved_text(match), "matching.detail", match_id=match.id)
    elif request.method == "POST":
        status = 400
        if form.volunteer.data and not form.volunteer.errors:  # say it now, not after the fix
            _offer_candidates_again(form)
    record_case_read(household.id, for_user=current())
    return render_audited("matching/manual.html", status, household=household, form=form)


def _offer_candidates_again(form: forms.ManualMatchForm) -> None:
    """The form failed for another reason (no scheme, say): the volunteers its name fits are
    offered at once, a choice already made among them stays made, and nobody fitting is said."""
    fitting = find_volunteers(form.volunteer.data)
    if len(fitting) == 1:
        return
    chosen = parse_id(form.chosen.data)
    if any(v.id == chosen for v in fitting):
        form.chosen.choices = _candidate_choices(fitting)
    else:
        _show_candidates(form, fitting)


def _show_candidates(form: forms.ManualMatchForm, candidates: list[Any]) -> None:
    """Nobody, or several volunteers, fit the manual form's number or name: say so beside the field,
    and offer the candidates to choose from (the error is then on the choice)."""
    if not candidates:
        form.volunteer.errors = [_("No volunteer has that number or name.")]
        return
    form.chosen.choices = _candidate_choices(candidates)
    form.chosen.data = None
    form.chosen.errors = [_("Several volunteers match: choose one")]


def _candidate_choices(volunteers: list[Any]) -> list[tuple[str, str]]:
    return [(str(v.id), f"{v.first_name} {v.last_name} ({v.ref})") for v in volunteers]

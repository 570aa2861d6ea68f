"""The plan for every waiting household: approve or reject pair by pair."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub import vocab
from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.access import record_case_read
from volunteer_hub.matching import forms, services, workflow
from volunteer_hub.matching.engine.plan import PLAN_BEST_FIT, PLAN_NOBODY_WAITS_TOO_LONG
from volunteer_hub.matching.models import MatchSource
from volunteer_hub.matching.views import bp
from volunteer_hub.matching.views.common import (
    approved_text,
    current,
    done,
    matcher_lang,
    pair_from,
    refused,
    render_audited,
)

PRIORITIES = {"best_fit": PLAN_BEST_FIT, "nobody_waits": PLAN_NOBODY_WAITS_TOO_LONG}


# --- the plan ------------------------------------------------------------------------------------


@bp.route("/matching/plan")
@roles_required(*MUNICIPAL_STAFF)
def plan() -> Any:
    priority = request.args.get("prioritet", "best_fit")
    priority = priority if priority in PRIORITIES else "best_fit"
    scheme = request.args.get("ordning") or None
    scheme = scheme if scheme in vocab.SCHEMES else None
    result = services.proposed_plan(
        current_user.municipality_id, local_today(), PRIORITIES[priority], scheme, matcher_lang()
    )
    # One family.viewed per household on the plan: each household's own history must show it.
    record_case_read(*(h.id for h in result.households.values()), for_user=current())
    return render_audited(
        "matching/plan.html", result=result, priority=priority, scheme=scheme, form=forms.RejectPairForm()
    )


@bp.route("/matching/plan/godkend", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def approve_planned() -> Any:
    household, volunteer, scheme = pair_from(forms.PairForm())
    back = {"prioritet": request.args.get("prioritet", "best_fit")}
    try:
        match = workflow.propose_match(household, volunteer, scheme, actor=current(), source=MatchSource.PLAN)
        workflow.approve_match(match, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.plan", **back)
    return done(approved_text(match), "matching.plan", **back)


@bp.route("/matching/plan/afvis", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def reject_planned() -> Any:
    form = forms.RejectPairForm()
    household, volunteer, scheme = pair_from(form)
    back = {"prioritet": request.args.get("prioritet", "best_fit")}
    try:
        workflow.reject_pair(household, volunteer, scheme, form.reason.data, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.plan", **back)
    return done(_("The pair is rejected and will not be proposed again."), "matching.plan", **back)

"""The plan for every waiting household: approve or reject pair by pair."""

from __future__ import annotations

from typing import Any

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub import vocab
from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.access import record_case_read
from volunteer_hub.matching import arrivals, forms, services, workflow
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
POLICIES = services.PLAN_POLICIES  # "ahead" (the default) and "today"


def _back() -> dict[str, str]:
    """The plan's settings, kept across an approval or a rejection."""
    return {
        "prioritet": request.args.get("prioritet", "best_fit"),
        "planlaeg": request.args.get("planlaeg", POLICIES[0]),
        "hold": "1" if _holds() else "0",
    }


def _holds() -> bool:
    """Whether the plan keeps places for expected families: yes unless the coordinator unticked
    it (a submitted settings form without the box, or ``hold=0`` from an approval's link)."""
    if "hold" in request.args:
        return request.args["hold"] == "1"
    return "planlaeg" not in request.args


# --- the plan ------------------------------------------------------------------------------------


@bp.route("/matching/plan")
@roles_required(*MUNICIPAL_STAFF)
def plan() -> Any:
    priority = request.args.get("prioritet", "best_fit")
    priority = priority if priority in PRIORITIES else "best_fit"
    policy = request.args.get("planlaeg", POLICIES[0])
    policy = policy if policy in POLICIES else POLICIES[0]
    scheme = request.args.get("ordning") or None
    scheme = scheme if scheme in vocab.SCHEMES else None
    today = local_today()
    hold = _holds()
    result = services.proposed_plan(
        current_user.municipality_id,
        today,
        PRIORITIES[priority],
        scheme,
        matcher_lang(),
        policy=policy,
        hold_for_expected=hold,
    )
    # One family.viewed per household on the plan: each household's own history must show it.
    record_case_read(*(h.id for h in result.households.values()), for_user=current())
    return render_audited(
        "matching/plan.html",
        result=result,
        priority=priority,
        policy=policy,
        hold=hold,
        scheme=scheme,
        today=today,
        waiting_days=lambda h: arrivals.waiting_days(h, today),
        card_days=arrivals.days_before_arrival(),
        form=forms.RejectPairForm(),
    )


@bp.route("/matching/plan/godkend", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def approve_planned() -> Any:
    household, volunteer, scheme = pair_from(forms.PairForm())
    back = _back()
    try:
        match = workflow.propose_match(household, volunteer, scheme, actor=current(), source=MatchSource.PLAN)
        workflow.approve_match(match, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.plan", **back)
    if match.started_on is not None and match.started_on > local_today():
        flash(
            _(
                "The pair starts on the household's arrival, %(day)s; the contact cards go out on %(send)s.",
                day=match.started_on.isoformat(),
                send=arrivals.card_send_day(match.started_on).isoformat(),
            ),
            "success",
        )
    return done(approved_text(match), "matching.plan", **back)


@bp.route("/matching/plan/afvis", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def reject_planned() -> Any:
    form = forms.RejectPairForm()
    household, volunteer, scheme = pair_from(form)
    back = _back()
    try:
        workflow.reject_pair(household, volunteer, scheme, form.reason.data, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.plan", **back)
    return done(_("The pair is rejected and will not be proposed again."), "matching.plan", **back)

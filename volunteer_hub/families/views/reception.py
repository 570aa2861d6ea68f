"""The reception checklist (P2–P4) and the health-check status (P5) of one case."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from volunteer_hub.families.access import case_route, get_household_or_404, record_case_read
from volunteer_hub.families.forms import HealthCheckForm, ReceptionForm
from volunteer_hub.families.locking import StaleCaseError, saving_case
from volunteer_hub.families.models import HealthCheckStatus, Household, ReceptionStepKind
from volunteer_hub.families.queries import case_deadlines
from volunteer_hub.families.services.households import CaseError
from volunteer_hub.families.services.reception import (
    StepData,
    allowed_health_steps,
    change_health_check,
    step_of,
    update_reception_checklist,
)
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import attach_error, refuse_stale, render_audited

STEP_FIELDS = {
    ReceptionStepKind.WELCOME_LETTER: "welcome_letter",
    ReceptionStepKind.NETWORK_INTRO: "network_intro",
    ReceptionStepKind.GUIDED_TOUR: "guided_tour",
}
LOAD = [
    selectinload(Household.reception_steps),
    selectinload(Household.health_check),
    selectinload(Household.members),
]


def _fill(form: ReceptionForm, household: Household) -> None:
    form.version.data = str(household.version_id)
    for kind, prefix in STEP_FIELDS.items():
        step = step_of(household, kind)
        if step is not None:
            getattr(form, f"{prefix}_on").data = step.done_on
            getattr(form, f"{prefix}_by").data = step.done_by


def _page(household: Household, form: ReceptionForm, health_form: HealthCheckForm, status: int) -> Any:
    """The checklist page (after a GET, or a refused save of either form): it shows the case."""
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/reception.html",
        status,
        household=household,
        form=form,
        health_form=health_form,
        deadlines=case_deadlines(household),
    )


@bp.route("/<int:household_id>/modtagelse", methods=["GET", "POST"])
@case_route
def reception(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current_user, load=LOAD)
    form = ReceptionForm()
    status = 200
    if request.method == "GET":
        _fill(form, household)
    elif form.validate_on_submit():
        steps = {
            kind: StepData(getattr(form, f"{p}_on").data, (getattr(form, f"{p}_by").data or "").strip())
            if getattr(form, f"{p}_on").data
            else None
            for kind, p in STEP_FIELDS.items()
        }
        try:
            with saving_case():
                update_reception_checklist(
                    household, steps, expected_version=form.expected_version(), actor=current_user
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("The reception checklist is saved."), "success")
            return redirect(url_for("families.case", household_id=household_id) + "#reception")
    else:
        status = 400
    health_form = HealthCheckForm(formdata=None, prefix="health", allowed=allowed_health_steps(household))
    health_form.version.data = str(household.version_id)
    return _page(household, form, health_form, status)


@bp.route("/<int:household_id>/modtagelse/helbredstjek", methods=["POST"])
@case_route
def health_check(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current_user, load=LOAD)
    health_form = HealthCheckForm(prefix="health", allowed=allowed_health_steps(household))
    status = 400
    if health_form.validate_on_submit():
        try:
            with saving_case():
                change_health_check(
                    household,
                    HealthCheckStatus(health_form.status.data),
                    health_form.on.data,
                    expected_version=health_form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(health_form)
        except CaseError as error:
            attach_error(health_form, error)
        else:
            flash(_("The health check status is saved."), "success")
            return redirect(url_for("families.case", household_id=household_id) + "#reception")
    form = ReceptionForm(formdata=None)
    _fill(form, household)
    return _page(household, form, health_form, status)

"""The welcome letter of one case: preview as page and PDF, and record it as sent (P2)."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families import welcome
from volunteer_hub.families.access import case_route, get_household_or_404, record_case_read
from volunteer_hub.families.models import Household, ReceptionStepKind
from volunteer_hub.families.queries import case_deadlines
from volunteer_hub.families.services.reception import step_of
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import render_audited
from volunteer_hub.letters import rendering
from volunteer_hub.letters.services import list_letters_sent
from volunteer_hub.tenancy.models import Municipality

LOAD = [
    selectinload(Household.reception_steps),
    selectinload(Household.members),
    selectinload(Household.languages),
]


def _household_and_municipality(household_id: int) -> tuple[Household, Municipality]:
    household = get_household_or_404(household_id, for_user=current_user, load=LOAD)
    municipality = db.session.get(Municipality, household.municipality_id)
    assert municipality is not None
    return household, municipality


@bp.route("/<int:household_id>/velkomstbrev", methods=["GET", "POST"])
@case_route
def welcome_letter(household_id: int) -> Any:
    household, municipality = _household_and_municipality(household_id)
    form = FlaskForm()
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        welcome.send_welcome_letter(household, municipality, on=local_today(), actor=actor)
        flash(_("The welcome letter is recorded as sent, and the reception item is done."), "success")
        return redirect(url_for("families.welcome_letter", household_id=household.id))
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/welcome_letter.html",
        household=household,
        form=form,
        language=welcome.letter_language_for(household),
        sent_step=step_of(household, ReceptionStepKind.WELCOME_LETTER),
        deadline=next((d for d in case_deadlines(household) if d.kind == "welcome_letter"), None),
        letters=list_letters_sent("household", household.id),
    )


@bp.route("/<int:household_id>/velkomstbrev/brev")
@case_route
def welcome_letter_page(household_id: int) -> Any:
    household, municipality = _household_and_municipality(household_id)
    letter = welcome.welcome_letter_for(household, municipality, local_today())
    html = rendering.render_welcome_letter_html(letter)
    record_case_read(household.id, for_user=current_user)
    return Response(html, mimetype="text/html")


@bp.route("/<int:household_id>/velkomstbrev.pdf")
@case_route
def welcome_letter_pdf(household_id: int) -> Any:
    household, municipality = _household_and_municipality(household_id)
    letter = welcome.welcome_letter_for(household, municipality, local_today())
    pdf = rendering.render_welcome_letter_pdf(letter)
    record_case_read(household.id, for_user=current_user)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="velkomstbrev-{household.id}.pdf"'},
    )

"""The housing of one case (P6, P7)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from volunteer_hub.families.access import case_route, get_household_or_404, record_case_read
from volunteer_hub.families.forms import HousingForm
from volunteer_hub.families.locking import StaleCaseError, saving_case
from volunteer_hub.families.models import Household, Housing
from volunteer_hub.families.services.households import CaseError
from volunteer_hub.families.services.housing import update_housing
from volunteer_hub.families.services.registers import list_shared_units
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import attach_error, refuse_stale, render_audited


@bp.route("/<int:household_id>/bolig", methods=["GET", "POST"])
@case_route
def housing(household_id: int) -> Any:
    household = get_household_or_404(
        household_id,
        for_user=current_user,
        load=[
            selectinload(Household.housing).selectinload(Housing.shared_unit),
            selectinload(Household.members),
        ],
    )
    form = HousingForm(units=list_shared_units(household.municipality_id))
    status = 200
    if request.method == "GET":
        form.fill_from(household.housing, household.version_id)
    elif form.validate_on_submit():
        try:
            with saving_case():
                update_housing(
                    household,
                    form.housing_data(),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("The housing is saved."), "success")
            return redirect(url_for("families.case", household_id=household_id) + "#housing")
    else:
        status = 400
    record_case_read(household.id, for_user=current_user)
    return render_audited("families/housing.html", status, form=form, household=household)

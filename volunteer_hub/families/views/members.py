"""One member's page: an adult's work and Danish classes, or a child's school and contacts."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub.extensions import db
from volunteer_hub.families.access import (
    case_route,
    get_household_or_404,
    get_member_or_404,
    record_case_read,
)
from volunteer_hub.families.forms import AdultForm, ChildForm, RemoveMemberForm
from volunteer_hub.families.locking import STALE_MESSAGE, StaleCaseError, saving_case
from volunteer_hub.families.models import Household, Member, MemberKind
from volunteer_hub.families.services.households import CaseError, remove_member
from volunteer_hub.families.services.members import update_adult, update_child
from volunteer_hub.families.services.registers import list_workplaces
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import attach_error, refuse_stale, render_audited


@bp.route("/<int:household_id>/medlemmer/<int:member_id>", methods=["GET", "POST"])
@case_route
def edit_member(household_id: int, member_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current_user)
    member = get_member_or_404(household, member_id)
    if member.is_adult:
        return _edit_adult(household, member)
    return _edit_child(household, member)


def _edit_adult(household: Household, member: Member) -> Any:
    workplaces = list_workplaces(household.municipality_id)
    form = AdultForm(workplaces=workplaces)
    status = 200
    if request.method == "GET":
        form.fill_from(member, household.version_id)
    elif form.validate_on_submit():
        chosen = next((w for w in workplaces if w.id == form.workplace_id.data), None)
        try:
            with saving_case():
                update_adult(
                    household,
                    member,
                    form.member_data(MemberKind.ADULT),
                    internship=form.internship_data(chosen.sector if chosen else None),
                    danish=form.danish_data(),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("%(name)s's details are saved.", name=member.name), "success")
            return redirect(url_for("families.case", household_id=household.id) + "#work")
    else:
        status = 400
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/adult.html",
        status,
        form=form,
        household=household,
        member=member,
        remove_form=_remove_form(household),
    )


def _edit_child(household: Household, member: Member) -> Any:
    form = ChildForm()
    status = 200
    if request.method == "GET":
        form.fill_from(member, household.version_id)
    elif form.validate_on_submit():
        try:
            with saving_case():
                update_child(
                    household,
                    member,
                    form.member_data(MemberKind.CHILD),
                    form.details_data(),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("%(name)s's details are saved.", name=member.name), "success")
            return redirect(url_for("families.case", household_id=household.id) + "#children")
    else:
        status = 400
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/child.html",
        status,
        form=form,
        household=household,
        member=member,
        remove_form=_remove_form(household),
    )


def _remove_form(household: Household) -> RemoveMemberForm:
    form = RemoveMemberForm(formdata=None, prefix="remove")
    form.version.data = str(household.version_id)
    return form


@bp.route("/<int:household_id>/medlemmer/<int:member_id>/fjern", methods=["POST"])
@case_route
def remove_member_view(household_id: int, member_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current_user)
    member = get_member_or_404(household, member_id)
    form = RemoveMemberForm(prefix="remove")
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("families.edit_member", household_id=household_id, member_id=member_id))
    name = member.name
    try:
        with saving_case():
            remove_member(household, member, expected_version=form.expected_version(), actor=current_user)
    except StaleCaseError:
        flash(str(STALE_MESSAGE), "error")
    except CaseError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s is removed from the household.", name=name), "success")
        return redirect(url_for("families.case", household_id=household_id) + "#members-heading")
    return redirect(url_for("families.edit_member", household_id=household_id, member_id=member_id))

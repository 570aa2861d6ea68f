"""The case list, registering a household, the case page, its details and its members."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.db import parse_id
from volunteer_hub.families import queries
from volunteer_hub.families.access import case_route, get_household_or_404, record_case_read
from volunteer_hub.families.forms import AddMemberForm, HouseholdFields, RegisterHouseholdForm
from volunteer_hub.families.leisure import OfferFacts, suggest_offers
from volunteer_hub.families.locking import StaleCaseError, saving_case
from volunteer_hub.families.models import Household, MemberKind, ReceptionStepKind
from volunteer_hub.families.services.households import (
    CaseError,
    add_member,
    create_household,
    update_household,
)
from volunteer_hub.families.services.reception import step_of
from volunteer_hub.families.services.registers import list_leisure_offers
from volunteer_hub.families.views import bp
from volunteer_hub.families.views.common import attach_error, refuse_stale, render_audited


@bp.route("/")
@roles_required(*MUNICIPAL_STAFF)
def list_cases() -> Any:
    text = request.args.get("q", "").strip()[:100]
    show = request.args.get("vis", "all")
    sort = request.args.get("sorter", "deadline")
    waiting = current_app.extensions.get(queries.WAITING_IDS_EXTENSION)  # registered by the matching package
    page = queries.list_cases(
        current_user.municipality_id,
        local_today(),
        text=text,
        show=show,
        sort=sort,
        page=parse_id(request.args.get("side")) or 1,
        waiting_ids=waiting(current_user.municipality_id, local_today()) if waiting else None,
    )
    record_case_read(*(row.household.id for row in page.items), for_user=current_user)
    return render_audited(
        "families/list.html",
        page=page,
        text=text,
        show=show,
        sort=sort,
        today=local_today(),
        filters=queries.CASE_FILTERS,
        sorts=queries.CASE_SORTS,
    )


@bp.route("/ny", methods=["GET", "POST"])
@roles_required(*MUNICIPAL_STAFF)
def new_case() -> Any:
    form = RegisterHouseholdForm()
    if form.validate_on_submit():
        data = form.household_data(default_registered_on=form.arrival_on.data)
        try:
            household = create_household(
                current_user.municipality_id, data, form.member_data(), actor=current_user
            )
        except CaseError as error:
            attach_error(form, error)
        else:
            flash(_("The household %(ref)s is registered.", ref=household.ref), "success")
            return redirect(url_for("families.case", household_id=household.id))
    return render_template("families/new.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/<int:household_id>")
@case_route
def case(household_id: int) -> Any:
    household = get_household_or_404(
        household_id, for_user=current_user, load=queries.case_page_load_options()
    )
    today = local_today()
    deadlines = queries.case_deadlines(household)
    members = {m.id: m for m in household.members}
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/case.html",
        household=household,
        today=today,
        deadlines=[(d, members.get(d.member_id)) for d in deadlines],
        warnings=[(w, members.get(w.member_id)) for w in queries.case_warnings(household, today)],
        reception=[(kind, step_of(household, kind)) for kind in ReceptionStepKind],
    )


@bp.route("/<int:household_id>/oplysninger", methods=["GET", "POST"])
@case_route
def edit_case(household_id: int) -> Any:
    household = get_household_or_404(
        household_id,
        for_user=current_user,
        load=[selectinload(Household.languages), selectinload(Household.schemes)],
    )
    form = HouseholdFields()
    status = 200
    if request.method == "GET":
        form.fill_from(household)
    elif form.validate_on_submit():
        try:
            with saving_case():
                update_household(
                    household,
                    form.household_data(default_registered_on=household.registered_on),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("The household's details are saved."), "success")
            return redirect(url_for("families.case", household_id=household_id))
    else:
        status = 400
    record_case_read(household.id, for_user=current_user)
    return render_audited("families/edit.html", status, form=form, household=household)


@bp.route("/<int:household_id>/medlemmer/ny", methods=["GET", "POST"])
@case_route
def add_member_view(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=current_user)
    form = AddMemberForm()
    status = 200
    if request.method == "GET":
        form.version.data = str(household.version_id)
        form.arrival_route.data = "family_reunification"
    elif form.validate_on_submit():
        try:
            with saving_case():
                add_member(
                    household,
                    form.member_data(MemberKind(form.kind.data)),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
        except StaleCaseError:
            status = refuse_stale(form)
        except CaseError as error:
            attach_error(form, error)
            status = 400
        else:
            flash(_("The person is added to the household."), "success")
            return redirect(url_for("families.case", household_id=household_id))
    else:
        status = 400
    record_case_read(household.id, for_user=current_user)
    return render_audited("families/add_member.html", status, form=form, household=household)


@bp.route("/<int:household_id>/fritid")
@case_route
def leisure(household_id: int) -> Any:
    household = get_household_or_404(
        household_id, for_user=current_user, load=[selectinload(Household.members)]
    )
    today = local_today()
    offers = {o.id: o for o in list_leisure_offers(household.municipality_id)}
    facts = [
        OfferFacts(o.id, o.name, frozenset(o.interests or []), o.min_age, o.max_age, o.leisure_pass)
        for o in offers.values()
    ]
    ages = [m.age_on(today) for m in household.members]
    suggestions = suggest_offers(household.interests or [], ages, facts)
    record_case_read(household.id, for_user=current_user)
    return render_audited(
        "families/leisure.html",
        household=household,
        suggestions=[(s, offers[s.offer_id]) for s in suggestions],
    )

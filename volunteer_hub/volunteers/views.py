"""Volunteer pages: the coordinators' list and detail page, and the volunteer's own pages.

The public registration wizard is in registration.py on the same blueprint.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from volunteer_hub.audit.services import list_events_for
from volunteer_hub.core.access import STAFF, roles_required
from volunteer_hub.core.navigation import Board
from volunteer_hub.core.roles import Role
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.services import list_organisations
from volunteer_hub.volunteers import forms, privacy, queries, services
from volunteer_hub.volunteers.labels import (
    certificate_label,
    event_label,
    status_label,
    vocab_choices,
    vocab_label,
)
from volunteer_hub.volunteers.models import ChildCertificateState, VolunteerStatus
from volunteer_hub.volunteers.permissions import (
    find_own_volunteer,
    get_own_volunteer_or_404,
    get_volunteer_or_404,
)
from volunteer_hub.volunteers.queries import actor_names
from volunteer_hub.volunteers.validation import format_phone

bp = Blueprint("volunteers", __name__)


def _user() -> Any:
    return current_user._get_current_object()


# --- coordinators -------------------------------------------------------------------------------


@bp.route("/frivillige")
@roles_required(*STAFF)
def index() -> Any:
    filters = queries.VolunteerFilters.from_args(request.args)
    page = request.args.get("side", "1")
    result = queries.list_volunteers(_user(), filters, parse_id(page) or 1)
    organisations = (
        list_organisations(current_user.municipality_id)
        if current_user.role != Role.PARTNER_COORDINATOR
        else []
    )
    return render_template(
        "volunteers/index.html",
        page=result,
        filters=filters,
        organisations=organisations,
        filter_args={name: value for name, value in asdict(filters).items() if value},
        **_filter_choices(),
    )


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "statuses": [(s.value, status_label(s)) for s in VolunteerStatus],
        "language_choices": vocab_choices("language", sort=True),
        "skill_choices": vocab_choices("skill", sort=True),
        "scheme_choices": vocab_choices("scheme"),
        "availability_choices": vocab_choices("availability"),
        "certificate_choices": [(s.value, certificate_label(s)) for s in ChildCertificateState],
    }


def _render_detail(volunteer: Any, status: int = 200, **forms_: Any) -> Any:
    actions = services.available_transitions(volunteer, _user())
    action_forms = {
        t.name: forms_.get(t.name)
        or (forms.ReasonForm(prefix=t.name) if t.needs_reason else forms.ActionForm(prefix=t.name))
        for t in actions
    }
    organisations = list_organisations(volunteer.municipality_id)
    certificate_form = forms_.get("certificate") or forms.CertificateForm(
        organisations=organisations,
        data={
            "state": volunteer.child_certificate_state.value,
            "received_on": volunteer.child_certificate_received_on.isoformat()
            if volunteer.child_certificate_received_on
            else "",
            "organisation": str(
                volunteer.child_certificate_organisation_id or volunteer.organisation_id or ""
            ),
        },
        prefix="certificate",
    )
    events = list_events_for("volunteer", volunteer.id)
    return render_template(
        "volunteers/detail.html",
        volunteer=volunteer,
        actions=actions,
        action_forms=action_forms,
        certificate_form=certificate_form,
        certificate_consent=services.has_certificate_consent(volunteer),
        events=events,
        event_actors=actor_names({e.actor_user_id for e in events if e.actor_user_id}),
        today=services.today(),
        has_errors=status >= 400,
    ), status


@bp.route("/frivillige/<int:volunteer_id>")
@roles_required(*STAFF)
def detail(volunteer_id: int) -> Any:
    return _render_detail(get_volunteer_or_404(volunteer_id, for_user=_user()))


COORDINATOR_ACTIONS = {"approve", "reject", "request_information", "pause", "resume", "suspend", "reinstate"}


def _render_confirmation(volunteer: Any, transition: Any, form: Any, status: int = 200) -> Any:
    return render_template(
        "volunteers/confirm_status.html", volunteer=volunteer, transition=transition, form=form
    ), status


@bp.route("/frivillige/<int:volunteer_id>/status/<action>/bekraeft")
@roles_required(*STAFF)
def confirm_status(volunteer_id: int, action: str) -> Any:
    """The page that asks before a grave move (suspend, reinstate), with the reason; it posts to
    ``change_status``. A move not possible now goes back to the volunteer's page."""
    transition = services.TRANSITIONS.get(action) if action in COORDINATOR_ACTIONS else None
    if transition is None or not transition.needs_confirmation:
        abort(404)
    volunteer = get_volunteer_or_404(volunteer_id, for_user=_user())
    if transition not in services.available_transitions(volunteer, _user()):
        flash(_("This is not possible while the volunteer's status is as it is now."), "error")
        return redirect(url_for("volunteers.detail", volunteer_id=volunteer_id)), 303
    return _render_confirmation(volunteer, transition, forms.ReasonForm(prefix=action))


@bp.route("/frivillige/<int:volunteer_id>/status/<action>", methods=["POST"])
@roles_required(*STAFF)
def change_status(volunteer_id: int, action: str) -> Any:
    if action not in COORDINATOR_ACTIONS:
        abort(404)
    transition = services.TRANSITIONS[action]
    volunteer = get_volunteer_or_404(volunteer_id, for_user=_user(), lock=True)
    form = forms.ReasonForm(prefix=action) if transition.needs_reason else forms.ActionForm(prefix=action)
    if form.validate_on_submit():
        try:
            reason = form.reason.data if transition.needs_reason else None
            services.move(volunteer, action, _user(), reason)
        except services.TransitionError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("volunteers.detail", volunteer_id=volunteer_id)), 303
        flash(_("Done: the volunteer is now %(status)s.", status=status_label(volunteer.status)), "success")
        return redirect(url_for("volunteers.detail", volunteer_id=volunteer_id))
    if transition.needs_confirmation:
        return _render_confirmation(volunteer, transition, form, 400)
    return _render_detail(volunteer, 400, **{action: form})


@bp.route("/frivillige/<int:volunteer_id>/boerneattest", methods=["POST"])
@roles_required(*STAFF)
def record_certificate(volunteer_id: int) -> Any:
    volunteer = get_volunteer_or_404(volunteer_id, for_user=_user(), lock=True)
    form = forms.CertificateForm(
        organisations=list_organisations(volunteer.municipality_id), prefix="certificate"
    )
    if form.validate_on_submit():
        try:
            services.record_child_certificate(
                volunteer,
                _user(),
                services.ChildCertificateState(form.state.data),
                form.received_on.data,
                int(form.organisation.data) if form.organisation.data else None,
            )
        except services.VolunteerError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("The child certificate is recorded."), "success")
            return redirect(url_for("volunteers.detail", volunteer_id=volunteer_id))
    return _render_detail(volunteer, 400, certificate=form)


# --- the volunteer's own pages -------------------------------------------------------------------


@bp.route("/min-side")
@roles_required(Role.VOLUNTEER)
def me() -> Any:
    volunteer = get_own_volunteer_or_404(_user())
    actions = services.available_transitions(volunteer, _user())
    return render_template(
        "volunteers/me.html",
        volunteer=volunteer,
        actions=[a for a in actions if a.name != "withdraw"],
        can_withdraw=any(a.name == "withdraw" for a in actions),
        form=forms.ActionForm(),
    )


def _profile_data(volunteer: Any) -> dict[str, Any]:
    return {
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "phone": format_phone(volunteer.phone),
        "postcode": volunteer.postcode,
        "birth_year": str(volunteer.birth_year or ""),
        "gender": volunteer.gender.value if volunteer.gender else "",
        "organisation": str(volunteer.organisation_id) if volunteer.organisation_id else forms.INDEPENDENT,
        "skills": volunteer.skills,
        "interests": volunteer.interests,
        "schemes": volunteer.schemes,
        "availability": volunteer.availability,
        "capacity": str(volunteer.capacity),
        "about": volunteer.about,
        "language": volunteer.language,
    }


def _profile_from_form(form: Any) -> services.Profile:
    organisation = form.organisation.data
    return services.Profile(
        first_name=form.first_name.data.strip(),
        last_name=form.last_name.data.strip(),
        phone=form.phone.data,
        postcode=form.postcode.data,
        birth_year=form.birth_year.data,
        gender=form.gender.data or None,
        organisation_id=None if organisation == forms.INDEPENDENT else int(organisation),
        languages=form.language_levels(),
        skills=form.skills.data or [],
        interests=form.interests.data or [],
        schemes=form.schemes.data or [],
        availability=form.availability.data or [],
        capacity=form.capacity.data,
        about=(form.about.data or "").strip(),
        language=form.language.data,
    )


@bp.route("/min-side/profil", methods=["GET", "POST"])
@roles_required(Role.VOLUNTEER)
def edit_profile() -> Any:
    volunteer = get_own_volunteer_or_404(_user(), lock=request.method == "POST")
    # A deactivated organisation takes no one new; a volunteer already in it keeps it as a choice.
    organisations = [
        o
        for o in list_organisations(volunteer.municipality_id)
        if o.is_active or o.id == volunteer.organisation_id
    ]
    consent = services.has_certificate_consent(volunteer)
    if request.method == "POST":
        form = forms.ProfileForm(organisations=organisations, has_certificate_consent=consent)
    else:
        form = forms.ProfileForm(
            organisations=organisations, has_certificate_consent=consent, data=_profile_data(volunteer)
        )
        form.fill_languages(volunteer.language_levels)
    if form.validate_on_submit():
        try:
            services.update_profile(
                volunteer,
                _user(),
                _profile_from_form(form),
                certificate_consent=bool(form.child_certificate.data),
            )
        except services.OrganisationChangeError as exc:
            db.session.rollback()
            form.organisation.errors = [str(exc)]
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("volunteers.me"))
    return render_template(
        "volunteers/profile.html", form=form, volunteer=volunteer
    ), 400 if form.errors else 200


SELF_ACTIONS = {"pause", "resume", "withdraw"}


@bp.route("/min-side/status/<action>", methods=["POST"])
@roles_required(Role.VOLUNTEER)
def own_status(action: str) -> Any:
    if action not in SELF_ACTIONS:
        abort(404)
    volunteer = get_own_volunteer_or_404(_user(), lock=True)
    if forms.ActionForm().validate_on_submit():
        try:
            services.move(volunteer, action, _user())
        except services.TransitionError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Done: your status is now %(status)s.", status=status_label(volunteer.status)), "success")
    return redirect(url_for("volunteers.me"))


@bp.route("/min-side/data.json")
@roles_required(Role.VOLUNTEER)
def export_data() -> Any:
    volunteer = get_own_volunteer_or_404(_user())
    body = json.dumps(privacy.export_own_data(volunteer), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="volunteer-hub-{volunteer.ref}.json"'},
    )


@bp.route("/min-side/slet", methods=["GET", "POST"])
@roles_required(Role.VOLUNTEER)
def erase() -> Any:
    volunteer = get_own_volunteer_or_404(_user(), lock=request.method == "POST")
    form = forms.ActionForm()
    if form.validate_on_submit():
        privacy.erase_volunteer(volunteer, _user())
        logout_user()
        flash(_("Your account is deleted and your personal data is erased."), "success")
        return redirect(url_for("auth.login"))
    return render_template("volunteers/erase.html", form=form, volunteer=volunteer)


# --- registration with the app -------------------------------------------------------------------


def register(app: Flask) -> None:
    """Register the blueprint, its menu entries, overview sections and template helpers."""
    from volunteer_hub.core.navigation import add_dashboard_board, add_dashboard_section, add_nav_item
    from volunteer_hub.volunteers import registration  # noqa: F401 - adds the wizard's routes to bp
    from volunteer_hub.volunteers.validation import postcode_town

    # Which municipality the public registration form is for (kommunekode), and how long its link lives.
    app.config.setdefault(
        "VOLUNTEER_REGISTRATION_MUNICIPALITY", os.environ.get("VOLUNTEER_REGISTRATION_MUNICIPALITY", "0161")
    )
    app.config.setdefault("VOLUNTEER_VERIFY_SECONDS", 7 * 86400)
    app.register_blueprint(bp)
    add_nav_item(app, "volunteers.index", _l("Volunteers"), STAFF)
    add_nav_item(app, "volunteers.me", _l("My page"), [Role.VOLUNTEER])
    add_dashboard_section(app, "volunteers/_dashboard_staff.html", STAFF)
    add_dashboard_section(app, "volunteers/_dashboard_volunteer.html", [Role.VOLUNTEER])
    add_dashboard_board(app, "volunteers", [*STAFF, Role.VOLUNTEER], _dashboard_data)
    app.jinja_env.globals.update(
        vh_status_label=status_label,
        vh_certificate_label=certificate_label,
        vh_vocab_label=vocab_label,
        vh_event_label=event_label,
        vh_format_phone=format_phone,
        vh_postcode_town=postcode_town,
        vh_consent_version=services.DATA_CONSENT_VERSION,
    )


def _dashboard_data() -> Board:
    """What the overview page shows: expiring certificates and applications awaiting a decision
    (no household's data)."""
    user = _user()
    if user.role == Role.VOLUNTEER:
        return Board({"volunteer": find_own_volunteer(user)})
    return Board({"staff": queries.staff_board(user, services.today())})

"""Administrators run their municipality: its settings (contact details for families, e-mail
sender name) and its partner organisations (create, rename, deactivate, reactivate)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from volunteer_hub.core.access import roles_required
from volunteer_hub.core.navigation import Board, add_dashboard_board, add_dashboard_section, add_nav_item
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy import services
from volunteer_hub.tenancy.contact import register_contact_block
from volunteer_hub.tenancy.forms import OrganisationForm, SettingsForm
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.tenancy.tasks import missing_elsewhere

bp = Blueprint("tenancy", __name__)

SETTING_LABELS = {
    "department_name": _l("Department"),
    "postal_address": _l("Postal address"),
    "phone": _l("Phone"),
    "contact_email": _l("E-mail"),
    "opening_hours": _l("Opening hours"),
    "directions": _l("Directions or map link"),
    "email_sender_name": _l("Sender name on e-mails"),
}
NAME_TAKEN = _l("Your municipality already has an organisation with this name.")


def _municipality() -> Municipality:
    return db.session.get(Municipality, current_user.municipality_id)


def get_organisation_or_404(organisation_id: int) -> Organisation:
    """An organisation of the administrator's own municipality (tenancy scope), or 404."""
    organisation = db.session.execute(
        select(Organisation).where(Organisation.id == organisation_id)
    ).scalar_one_or_none()
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/kommune/indstillinger", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> Any:
    municipality = _municipality()
    form = SettingsForm(obj=municipality)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in services.SETTINGS_FIELDS}
        services.update_settings(municipality, values, actor=current_user._get_current_object())
        flash(_("The municipality's settings are saved."), "success")
        return redirect(url_for("tenancy.settings"))
    return render_template("tenancy/settings.html", form=form, municipality=municipality), (
        400 if form.errors else 200
    )


@bp.route("/organisationer", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def organisations() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            services.create_organisation(
                current_user.municipality_id,
                form.name.data or "",
                form.description.data or "",
                actor=current_user._get_current_object(),
            )
        except services.TenancyError:
            form.name.errors.append(str(NAME_TAKEN))
        else:
            flash(_("The organisation is created."), "success")
            return redirect(url_for("tenancy.organisations"))
    rows = services.list_organisations(current_user.municipality_id)
    return render_template("tenancy/organisations.html", form=form, organisations=rows), (
        400 if form.errors else 200
    )


@bp.route("/organisationer/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_organisation(organisation_id: int) -> Any:
    organisation = get_organisation_or_404(organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.rename_organisation(
                organisation,
                form.name.data or "",
                form.description.data or "",
                actor=current_user._get_current_object(),
            )
        except services.TenancyError:
            form.name.errors.append(str(NAME_TAKEN))
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("tenancy.organisations"))
    return render_template("tenancy/organisation_edit.html", form=form, organisation=organisation), (
        400 if form.errors else 200
    )


@bp.route("/organisationer/<int:organisation_id>/aktiv", methods=["POST"])
@roles_required(Role.ADMIN)
def toggle_organisation(organisation_id: int) -> Any:
    organisation = get_organisation_or_404(organisation_id)
    active = not organisation.is_active
    services.set_organisation_active(organisation, active, actor=current_user._get_current_object())
    if active:
        flash(_("The organisation takes new volunteers again."), "success")
    else:
        message = _("The organisation is deactivated. It keeps its history and takes no new volunteers.")
        flash(message, "success")
    return redirect(url_for("tenancy.organisations"))


def _settings_board() -> Board:
    """The administrator's task: the settings families need that are still empty."""
    municipality = _municipality()
    missing = [SETTING_LABELS[name] for name in services.missing_settings(municipality)]
    return Board({"missing": missing, "elsewhere": missing_elsewhere(municipality.id)})


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, "tenancy.settings", _l("Municipality"), [Role.ADMIN])
    add_nav_item(app, "tenancy.organisations", _l("Organisations"), [Role.ADMIN])
    add_dashboard_section(app, "tenancy/_dashboard.html", [Role.ADMIN])
    add_dashboard_board(app, "tenancy", [Role.ADMIN], _settings_board)
    register_contact_block(app)

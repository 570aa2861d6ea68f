"""Administrators manage the staff accounts of their municipality."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from volunteer_hub.auth import services
from volunteer_hub.auth.forms import ChangeRoleForm, InviteUserForm
from volunteer_hub.auth.models import User
from volunteer_hub.auth.session_guard import recent_authentication_required
from volunteer_hub.core.access import roles_required
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.services import list_organisations

bp = Blueprint("users", __name__, url_prefix="/admin/users")

ERRORS = {
    # Neutral, and the same whichever municipality holds the address (issue 18, finding 6).
    "email_unavailable": _l("This e-mail address cannot be used for a new account. Use another address."),
    "own_role": _l("You cannot change your own role."),
    "own_account": _l("You cannot deactivate your own account."),
    "organisation_required": _l("A partner coordinator must belong to an organisation."),
}


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, "users.index", _l("Users"), [Role.ADMIN])


def get_user_or_404(user_id: int) -> User:
    """A user of the administrator's own municipality (tenancy scope), or 404."""
    user = db.session.execute(select(User).where(User.id == user_id)).scalar_one_or_none()
    if user is None:
        abort(404)
    return user


def _organisation_choices(form: Any) -> None:
    choices = [(o.id, o.name) for o in list_organisations(current_user.municipality_id)]
    form.organisation_id.choices = [("", _("None"))] + choices


def _reset_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + url_for("auth.reset_password", token=token)


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index() -> Any:
    form = InviteUserForm()
    _organisation_choices(form)
    if form.validate_on_submit():
        try:
            services.invite_staff_user(
                actor=current_user._get_current_object(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                organisation_id=form.organisation_id.data,
                reset_url_for=_reset_url,
            )
        except ValueError as error:
            target = form.organisation_id if str(error) == "organisation_required" else form.email
            target.errors.append(str(ERRORS[str(error)]))
        else:
            flash(_("The account is created, and an e-mail with a password link is on its way."), "success")
            return redirect(url_for("users.index"))
    users = db.session.execute(select(User).order_by(User.role, User.name)).scalars().all()
    return render_template("auth/users.html", form=form, users=users), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@recent_authentication_required
def edit(user_id: int) -> Any:
    user = get_user_or_404(user_id)
    form = ChangeRoleForm(data={"role": user.role.value, "organisation_id": user.organisation_id})
    _organisation_choices(form)
    if form.validate_on_submit():
        try:
            actor = current_user._get_current_object()
            services.change_role(user, Role(form.role.data), form.organisation_id.data, actor=actor)
        except ValueError as error:
            target = form.organisation_id if str(error) == "organisation_required" else form.role
            target.errors.append(str(ERRORS[str(error)]))
        else:
            flash(_("The role is changed."), "success")
            return redirect(url_for("users.index"))
    return render_template("auth/user_edit.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
@recent_authentication_required
def toggle_active(user_id: int) -> Any:
    user = get_user_or_404(user_id)
    try:
        services.set_active(user, not user.is_active_account, actor=current_user._get_current_object())
    except ValueError as error:
        flash(str(ERRORS[str(error)]), "error")
        return redirect(url_for("users.edit", user_id=user.id))
    message = _("The account is active.") if user.is_active_account else _("The account is deactivated.")
    flash(message, "success")
    return redirect(url_for("users.index"))

"""Sign in, sign out, and reset a forgotten password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from volunteer_hub.auth import services
from volunteer_hub.auth.forms import LoginForm, ResetPasswordForm, ResetRequestForm
from volunteer_hub.auth.permissions import public, signed_in
from volunteer_hub.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _password_reset_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _rate_limits_off() -> bool:
    # Each app's own setting decides, even where several apps share the extension (tests).
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect after sign-in would be a phishing aid.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("core.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_rate_limit, methods=["POST"], exempt_when=_rate_limits_off)
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "")
        db.session.commit()
        if result.user is not None:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        if result.throttled:
            minutes = max(1, round(result.retry_after_seconds / 60))
            form.form_errors.append(
                _("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=minutes)
            )
            status = 429
        else:
            form.form_errors.append(_("The e-mail or the password is wrong."))
            status = 200
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@signed_in
def logout() -> Any:
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_password_reset_rate_limit, methods=["POST"], exempt_when=_rate_limits_off)
def reset_request() -> Any:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data or "",
            # The configured address, never the request's Host header, which a sender controls.
            lambda token: current_app.config["PUBLIC_BASE_URL"] + url_for("auth.reset_password", token=token),
        )
        db.session.commit()
        flash(
            _("If the address has an account, we have sent it a link to choose a new password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Any:
    if services.find_valid_reset_token(token) is None:
        abort(404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data or "")
        db.session.commit()
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200

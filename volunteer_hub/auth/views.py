"""Sign in, sign out, and reset a forgotten password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from volunteer_hub.auth import services, throttle, totp, two_factor
from volunteer_hub.auth.forms import (
    LoginForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetRequestForm,
    SecondFactorForm,
)
from volunteer_hub.auth.models import User
from volunteer_hub.auth.session_guard import mark_authenticated, pending_form_target
from volunteer_hub.core.access import public, signed_in
from volunteer_hub.core.redirects import safe_target
from volunteer_hub.core.transaction import keep_writes_on_error
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
    # Only local paths (core/redirects.py): an open redirect after sign-in would be a phishing aid.
    return safe_target(target, url_for("home.index"))


def _too_many(seconds: int) -> str:
    return _("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=max(1, -(-seconds // 60)))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_rate_limit, methods=["POST"], exempt_when=_rate_limits_off)
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "")
        if result.user is not None and two_factor.is_required_for(result.user):
            session[PENDING_USER] = result.user.get_id()
            session[PENDING_NEXT] = _safe_next(request.args.get("next"))
            step = "second_factor" if two_factor.is_enrolled(result.user) else "setup_two_factor"
            return redirect(url_for(f"auth.{step}"))
        if result.user is not None:
            return _finish_login(result.user, _safe_next(request.args.get("next")))
        keep_writes_on_error()  # the failed attempt is counted, whatever the answer (429 when throttled)
        if result.throttled:
            form.form_errors.append(_too_many(result.retry_after_seconds))
            status = 429
        else:
            form.form_errors.append(_("The e-mail or the password is wrong."))
            status = 200
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


PENDING_USER = "vh_pending_user"
PENDING_NEXT = "vh_pending_next"


def _finish_login(user: User, target: str) -> Any:
    services.complete_login(user)
    session.pop(PENDING_USER, None)
    session.pop(PENDING_NEXT, None)
    login_user(user)
    mark_authenticated()
    return redirect(target)


def _pending_user() -> User:
    """The user who passed the password step and still owes a second factor, or 404."""
    user_id, _sep, version = str(session.get(PENDING_USER, "")).partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or str(user.session_version) != version or not user.is_active_account:
        abort(404)
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@public
def second_factor() -> Any:
    user = _pending_user()
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        verdict = throttle.check(user.email)
        if verdict.allowed and two_factor.verify_second_factor(user, form.code.data or ""):
            return _finish_login(user, _safe_next(session.get(PENDING_NEXT)))
        keep_writes_on_error()  # the failed code is counted although the answer is 400
        if verdict.allowed:
            services.count_failure(user.email, user)
            form.code.errors.append(
                _("The code is wrong or has been used. Enter the newest code from your app.")
            )
            status = 400
        else:
            form.code.errors.append(_too_many(verdict.retry_after_seconds))
            status = 429
    elif form.errors:
        status = 400
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/login/setup-code", methods=["GET", "POST"])
@public
def setup_two_factor() -> Any:
    user = _pending_user()
    if two_factor.is_enrolled(user):
        return redirect(url_for("auth.second_factor"))
    if user.totp_secret is None:
        two_factor.start_enrolment(user)
        keep_writes_on_error()  # the secret the page shows is stored, even if the code sent is wrong
    form = SecondFactorForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_enrolment(user, form.code.data or "")
        if codes is not None:
            _finish_login(user, _safe_next(session.get(PENDING_NEXT)))
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("The code does not match. Check the time on your phone and try again."))
    assert user.totp_secret is not None
    uri = totp.provisioning_uri(user.totp_secret, user.email)
    return render_template(
        "auth/setup_two_factor.html", form=form, secret=user.totp_secret, uri=uri
    ), 400 if form.errors else 200


@bp.route("/login/confirm", methods=["GET", "POST"])
@signed_in
def reauthenticate() -> Any:
    user: User = current_user._get_current_object()
    form = ReauthenticateForm()
    needs_code = two_factor.is_enrolled(user)
    # A POST that asked for re-authentication is kept (session_guard): this page then posts to the
    # original path, which checks the password and carries out the saved form.
    resume = request.args.get("resume", "")
    action = pending_form_target(resume)
    status = 200
    if action is None and form.validate_on_submit():
        result = services.confirm_identity(
            user, form.password.data or "", form.code.data, needs_code=needs_code
        )
        if result.user is not None:
            mark_authenticated()
            return redirect(_safe_next(request.args.get("next")))
        keep_writes_on_error()  # the failed attempt is counted although the answer is 400
        if result.throttled:
            form.form_errors.append(_too_many(result.retry_after_seconds))
            status = 429
        else:
            form.form_errors.append(_("The password or the code is wrong."))
            status = 400
    elif form.errors:
        status = 400
    return render_template(
        "auth/reauthenticate.html", form=form, needs_code=needs_code, action=action, resume=resume
    ), status


@bp.route("/logout", methods=["POST"])
@signed_in
def logout() -> Any:
    services.end_all_sessions(current_user._get_current_object())
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
        if services.reset_password(token, form.password.data or "") is None:
            abort(404)  # another request used the link a moment ago
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200

"""Front page, language switcher, accessibility statement and health endpoints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from volunteer_hub.core.access import public
from volunteer_hub.core.navigation import gather_boards
from volunteer_hub.core.redirects import redirect_to_safe_target
from volunteer_hub.extensions import db
from volunteer_hub.families.access import record_case_read

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index() -> Any:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    boards, household_ids = gather_boards()
    if household_ids:  # committed with the answer (core.transaction)
        record_case_read(*household_ids, for_user=current_user._get_current_object())
    return render_template("home/index.html", boards=boards)


@bp.route("/sprog/<code>")
@public
def set_language(code: str) -> Any:
    if code in current_app.config["INTERFACE_LANGUAGES"]:
        session["lang"] = code
    return redirect_to_safe_target(request.args.get("next"), url_for("home.index"))


@bp.route("/tilgaengelighed")
@public
def accessibility() -> Any:
    return render_template("home/accessibility.html")


@bp.route("/healthz")
@public
def healthz() -> Any:
    return jsonify(status="ok")


@bp.route("/readyz")
@public
def readyz() -> Any:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        current_app.logger.warning("readiness check: database unreachable")
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")

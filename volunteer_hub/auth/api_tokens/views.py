"""Pages where coordinators and administrators manage their personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.auth.api_tokens.forms import ApiTokenForm
from volunteer_hub.auth.models import User
from volunteer_hub.auth.session_guard import recent_authentication_required
from volunteer_hub.core.access import STAFF, roles_required
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.db import utcnow

bp = Blueprint("api_tokens", __name__, url_prefix="/api-noegler")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, "api_tokens.index", _l("API keys"), STAFF)


def _user() -> User:
    return current_user._get_current_object()


def _page(form: ApiTokenForm, *, secret: str | None = None, status: int = 200) -> Any:
    return render_template(
        "api/tokens.html", form=form, tokens=tokens.list_tokens_for(_user()), secret=secret, now=utcnow()
    ), status


@bp.route("/")
@roles_required(*STAFF)
def index() -> Any:
    return _page(ApiTokenForm())


@bp.route("/", methods=["POST"])
@roles_required(*STAFF)
@recent_authentication_required
def create() -> Any:
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    days = form.expires_in.data
    expires_at = None if days == "never" else utcnow() + dt.timedelta(days=int(days or 90))
    issued = tokens.create_token(
        _user(), name=form.name.data or "", scopes=form.scopes.data or [], expires_at=expires_at
    )
    # The secret is shown in this response only (never stored, never cached: no-store).
    return _page(ApiTokenForm(formdata=None), secret=issued.secret)


@bp.route("/<int:token_id>/tilbagekald", methods=["POST"])
@roles_required(*STAFF)
def revoke(token_id: int) -> Any:
    token = tokens.get_own_token_or_404(token_id, for_user=_user())
    if tokens.revoke_token(token, actor=_user()):
        flash(
            _("The key “%(name)s” is revoked. Systems using it are refused from now on.", name=token.name),
            "success",
        )
    return redirect(url_for("api_tokens.index"))

"""Development only: ``/dev/mail``, the messages the local mail sink received, for administrators.

Registered only when the configuration names ``DEV_MAIL_DIR`` (development does; testing and
production do not), so the page does not exist in production.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, render_template

from volunteer_hub.core.access import roles_required
from volunteer_hub.core.roles import Role
from volunteer_hub.ops.mail_sink import list_messages

bp = Blueprint("dev_mail", __name__)


@bp.route("/dev/mail")
@roles_required(Role.ADMIN)
def index() -> Any:
    directory = Path(current_app.config["DEV_MAIL_DIR"])
    return render_template("dev/mail.html", messages=list_messages(directory), directory=directory)


def register(app: Flask) -> None:
    if app.config.get("DEV_MAIL_DIR") and not app.config.get("SESSION_COOKIE_SECURE"):
        app.register_blueprint(bp)

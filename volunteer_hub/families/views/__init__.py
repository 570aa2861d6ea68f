"""The families blueprint: case pages per area, the registers, and the dashboard section."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from volunteer_hub import vocab
from volunteer_hub.core.access import MUNICIPAL_STAFF
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.navigation import (
    DASHBOARD_ROWS,
    Board,
    add_dashboard_board,
    add_dashboard_section,
    add_nav_item,
)
from volunteer_hub.families.queries import dashboard

bp = Blueprint("families", __name__, url_prefix="/familier")

from volunteer_hub.families.views import cases, housing, members, reception, registers, welcome  # noqa: E402,F401


def _template_helpers() -> dict[str, Any]:
    from volunteer_hub.families.labels import label_of
    from volunteer_hub.phones import display_phone
    from volunteer_hub.postcodes import postcode_town

    return {
        "label_of": label_of,
        "vocab": vocab,
        "display_phone": display_phone,
        "postcode_town": postcode_town,
    }


def register(app: Flask) -> None:
    """Add the blueprint, its menu entries and its overview section."""
    app.register_blueprint(bp)
    # Globals rather than a context processor: imported macros see globals, not the context.
    app.jinja_env.globals.update(_template_helpers())
    add_nav_item(app, "families.list_cases", _l("Families"), MUNICIPAL_STAFF)
    add_nav_item(app, "families.registers_index", _l("Registers"), MUNICIPAL_STAFF)
    add_dashboard_section(app, "families/_dashboard.html", MUNICIPAL_STAFF)
    add_dashboard_board(app, "families", MUNICIPAL_STAFF, _dashboard_board)


def _dashboard_board() -> Board:
    """The overview's family section, and the households its lists show."""
    board = dashboard(current_user.municipality_id, local_today())
    shown = [
        *(row.household.id for row in board.letters[:DASHBOARD_ROWS]),
        *(row.household.id for row in board.internships[:DASHBOARD_ROWS]),
        *(household.id for household, _warning in board.housing_warnings[:DASHBOARD_ROWS]),
        *(household.id for household, _member, _warning in board.danish_warnings[:DASHBOARD_ROWS]),
    ]
    return Board(board, tuple(shown))

"""The matching pages: a household's suggestions, the plan, a match's page, and the volunteer's matches.

Thin views: parse, fetch and authorise, call one service (``workflow``), commit, redirect.
Municipal staff act on every match of their municipality; partner coordinators only on their
own organisation's volunteers' matches (404 otherwise); volunteers see only their own.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from volunteer_hub.core.access import MUNICIPAL_STAFF, STAFF
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.navigation import Board
from volunteer_hub.matching import queries, waiting
from volunteer_hub.matching.engine.config import CHILD_CONTACT_SCHEMES
from volunteer_hub.volunteers.permissions import get_own_volunteer_or_404

bp = Blueprint("matching", __name__)

from volunteer_hub.matching.views import households, matches, mine, plan  # noqa: E402,F401
from volunteer_hub.matching.views.common import current  # noqa: E402


def _my_matches() -> list[Any]:
    volunteer = get_own_volunteer_or_404(current())
    return queries.volunteer_matches(volunteer.id)


def _dashboard() -> Board:
    """The overview's matching section, and the households its lists name."""
    user, today = current(), local_today()
    match_board = queries.match_board(user, today)
    board: dict[str, Any] = dict(vars(match_board))
    if user.role in MUNICIPAL_STAFF:
        board["waiting"] = waiting.overview_waiting_board(user.municipality_id, today).total
    shown = [
        *(match.household_id for match in match_board.proposed),
        *(row.match.household_id for row in match_board.stale),
        *(check_in.match.household_id for check_in in match_board.check_ins),
    ]
    return Board(board, tuple(shown))


def register(app: Flask) -> None:
    """Add the blueprint, its menu entries, overview section, CLI and template helpers."""
    from volunteer_hub.core.navigation import add_dashboard_board, add_dashboard_section, add_nav_item
    from volunteer_hub.matching import erasure, labels

    app.register_blueprint(bp)
    # Rule 4's schemes, for the volunteers' sign-up to ask consent to a child certificate (one list).
    app.config["CHILD_CONTACT_SCHEMES"] = CHILD_CONTACT_SCHEMES
    add_nav_item(app, "matching.index", _l("Matches"), STAFF)
    add_nav_item(app, "matching.plan", _l("Matching plan"), MUNICIPAL_STAFF)
    add_dashboard_section(app, "matching/_dashboard.html", STAFF)
    add_dashboard_board(app, "matching", STAFF, _dashboard)
    waiting.register(app)
    erasure.register(app)  # the volunteer's matches in their export and erasure
    app.jinja_env.globals.update(
        vh_match_label=labels.match_label,
        vh_match_status=labels.status_label,
        vh_factor_label=labels.factor_label,
        vh_rule_label=labels.rule_label,
        vh_my_matches=_my_matches,
        vh_household_matches=queries.household_matches,
        vh_case_matches=queries.case_matches,
    )

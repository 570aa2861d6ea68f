"""The main menu and the overview page, assembled from what each domain registers.

A domain adds its menu entries and overview sections when its blueprint is registered,
so base.html never needs to know which domains exist. A section's data is a board the domain
registers too: the overview view gathers every board first (and records which households it
shows), then renders the sections, which read ``boards.<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_login import current_user

from volunteer_hub.core.roles import Role

DASHBOARD_ROWS = 10  # each list on the overview page shows its most urgent rows, and how many there are


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy gettext string, translated when shown
    roles: frozenset[Role]


@dataclass(frozen=True)
class DashboardSection:
    template: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class Board:
    """One overview board: what its section shows, and the households whose data it shows."""

    data: Any
    household_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class DashboardBoard:
    name: str
    roles: frozenset[Role]
    gather: Callable[[], Board]


def add_nav_item(app: Flask, endpoint: str, label: Any, roles: Iterable[Role]) -> None:
    """Show a menu entry for ``endpoint`` to users with one of ``roles``."""
    app.extensions.setdefault("vh_nav", []).append(NavItem(endpoint, label, frozenset(roles)))


def add_dashboard_section(app: Flask, template: str, roles: Iterable[Role]) -> None:
    """Include ``template`` on the overview page for users with one of ``roles``."""
    app.extensions.setdefault("vh_dashboard", []).append(DashboardSection(template, frozenset(roles)))


def add_dashboard_board(app: Flask, name: str, roles: Iterable[Role], gather: Callable[[], Board]) -> None:
    """Gather ``gather()`` for the overview page, as ``boards.<name>``, for users with one of ``roles``."""
    entry = DashboardBoard(name, frozenset(roles), gather)
    app.extensions.setdefault("vh_dashboard_boards", []).append(entry)


def _visible(items: list[Any]) -> list[Any]:
    if not current_user.is_authenticated:
        return []
    return [item for item in items if current_user.role in item.roles]


def nav_items() -> list[NavItem]:
    """Menu entries the current user may use."""
    return _visible(current_app.extensions.get("vh_nav", []))


def dashboard_sections() -> list[str]:
    """Overview templates for the current user."""
    return [s.template for s in _visible(current_app.extensions.get("vh_dashboard", []))]


def gather_boards() -> tuple[dict[str, Any], list[int]]:
    """The current user's overview boards by name, and the households they show (each once)."""
    boards: dict[str, Any] = {}
    household_ids: dict[int, None] = {}
    for entry in _visible(current_app.extensions.get("vh_dashboard_boards", [])):
        board = entry.gather()
        boards[entry.name] = board.data
        household_ids.update(dict.fromkeys(board.household_ids))
    return boards, list(household_ids)

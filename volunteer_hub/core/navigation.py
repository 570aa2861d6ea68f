"""The main menu and the overview page, assembled from what each domain registers.

A domain adds its menu entries and overview sections when its blueprint is registered,
so base.html never needs to know which domains exist.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def add_nav_item(app: Flask, endpoint: str, label: Any, roles: Iterable[Role]) -> None:
    """Show a menu entry for ``endpoint`` to users with one of ``roles``."""
    app.extensions.setdefault("vh_nav", []).append(NavItem(endpoint, label, frozenset(roles)))


def add_dashboard_section(app: Flask, template: str, roles: Iterable[Role]) -> None:
    """Include ``template`` on the overview page for users with one of ``roles``."""
    app.extensions.setdefault("vh_dashboard", []).append(DashboardSection(template, frozenset(roles)))


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

"""Fixtures of the security suite: the seeded world; and the coverage summary at the end."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.security.domains import REGISTRY
from tests.security.harness import World
from tests.security.stats import COUNTS, LABELS
from volunteer_hub.extensions import db


def build_world(app: Flask) -> World:
    """Run every domain's seeder on the (empty) database and commit."""
    world = World()
    with app.app_context():
        for seeder in REGISTRY.seeders:
            seeder(world)
        db.session.commit()
    COUNTS["canaries"] = max(COUNTS["canaries"], len(world.canaries))
    return world


@pytest.fixture
def world(app: Flask) -> World:
    """Two municipalities, their organisations, one viewer per role, canaries everywhere."""
    return build_world(app)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    terminalreporter.section("security suite coverage")
    keys = [key for key in LABELS if key in COUNTS] + sorted(set(COUNTS) - set(LABELS))
    for key in keys:
        terminalreporter.write_line(f"{COUNTS[key]:>8}  {LABELS.get(key, key)}")

"""Volunteer Hub: the application factory."""

from __future__ import annotations

import os

from flask import Flask

from volunteer_hub.web import (
    register_blueprints,
    register_cli,
    register_error_handlers,
    register_extensions,
    register_request_hooks,
)


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for ``config_name`` (default: $VOLUNTEER_HUB_ENV or development)."""
    from config import config_for

    app = Flask(__name__, instance_relative_config=True)
    name = config_name or os.environ.get("VOLUNTEER_HUB_ENV", "development")
    app.config.from_object(config_for(name, app.instance_path))
    app.config.update(overrides or {})
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_cli(app)
    return app

"""The register_* steps of create_app(): extensions, blueprints, hooks, errors and commands."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from volunteer_hub.core import log_privacy, sql_days
from volunteer_hub.db import parse_id, set_session_tenant
from volunteer_hub.extensions import babel, csrf, db, limiter, login_manager, migrate

LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def select_locale() -> str:
    """The interface language: the visitor's choice, else Danish."""
    from flask import current_app, has_request_context

    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["INTERFACE_LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_extensions(app: Flask) -> None:
    import volunteer_hub.models  # noqa: F401 - every table must be known to metadata

    if app.config.get("PROXY_FIX_X_FOR"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust exactly the configured number of proxies for the client address and scheme.
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    if str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        # The connection given back last is handed out next: a sync worker then talks to one warm
        # server process, not to each of its pooled ones in turn. JIT compilation is off: the
        # pages' queries are short, and compiling them cost more than it ever saved (seconds on
        # the report's aggregates when the planner's estimates were large).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_use_lifo": True,
            "connect_args": {"options": "-c jit=off"},
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
    # A database error's text never reaches the log with the values written: they are e-mail
    # addresses, names, password hashes and second-factor secrets (SECURITY.md, "Logs").
    log_privacy.install()
    sql_days.install()  # SQLite connections learn the Danish day of a stored moment
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "hide_parameters": True,
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir(app)))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from volunteer_hub.core.formatting import register_filters

    register_filters(app)  # numbers, shares and scores in the interface language
    login_manager.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"

    from volunteer_hub.auth.models import User

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The signed-in account, while its sessions are still valid and the account is active."""
        raw_id, _, version = session_id.partition(":")
        user_id = parse_id(raw_id)
        if user_id is None or not version.isdigit():
            return None
        user = db.session.get(User, user_id)
        if user is None or user.session_version != int(version) or not user.is_active_account:
            return None
        return user


def _migrations_dir(app: Flask) -> str:
    import os

    return os.path.join(os.path.dirname(app.root_path), "migrations")


def register_blueprints(app: Flask) -> None:
    from volunteer_hub import api
    from volunteer_hub.answers import views as answers_views
    from volunteer_hub.auth import admin_views
    from volunteer_hub.auth import links as auth_links
    from volunteer_hub.auth.views import bp as auth_bp
    from volunteer_hub.core.access import declare_builtin_policies
    from volunteer_hub.core.converters import register_id_converter
    from volunteer_hub.families.views import register as register_families
    from volunteer_hub.home.views import bp as home_bp
    from volunteer_hub.letters import link_views as family_link_views
    from volunteer_hub.letters import views as letters_views
    from volunteer_hub.matching.views import register as register_matching
    from volunteer_hub.notifications import views as notifications_views
    from volunteer_hub.ops import mail_views
    from volunteer_hub.reports import views as report_views
    from volunteer_hub.tenancy import views as tenancy_views
    from volunteer_hub.volunteers.views import register as register_volunteers

    register_id_converter(app)  # before the first route: every <int:id> is a database id
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    admin_views.register(app)
    auth_links.register(app)  # sent link e-mails lose their tokens once delivered
    tenancy_views.register(app)
    register_volunteers(app)
    register_families(app)
    register_matching(app)
    for module in (letters_views, family_link_views, notifications_views, answers_views):
        app.register_blueprint(module.bp)
        module.register(app)
    report_views.register(app)
    mail_views.register(app)  # development only: /dev/mail, what the local mail sink received
    api.register(app)
    declare_builtin_policies(app)


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def register_request_hooks(app: Flask) -> None:
    from volunteer_hub.auth.api_tokens.authentication import authenticate_api_request
    from volunteer_hub.auth.session_guard import enforce_idle_timeout
    from volunteer_hub.core.access import enforce_route_policy
    from volunteer_hub.core.input_guard import refuse_unstorable_input
    from volunteer_hub.core.transaction import finish_request

    # The commit (or rollback) of the request's one transaction, once its answer is made.
    # Registered before this file's other hooks, so it runs after them (Flask runs them in reverse).
    app.after_request(finish_request)
    app.before_request(refuse_unstorable_input)
    app.before_request(authenticate_api_request)  # before the tenant scope: sets the API's user

    @app.before_request
    def scope_to_tenant() -> None:
        municipality_id = current_user.municipality_id if current_user.is_authenticated else None
        g.municipality_id = municipality_id
        set_session_tenant(db.session(), municipality_id)

    app.before_request(enforce_idle_timeout)
    app.before_request(enforce_route_policy)

    @app.after_request
    def security_headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["HSTS_SECONDS"]:
            response.headers["Strict-Transport-Security"] = (
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains"
            )
        if request.endpoint != "static":
            # Pages may carry personal data: never keep them in any cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        from volunteer_hub.core.navigation import DASHBOARD_ROWS, dashboard_sections, nav_items
        from volunteer_hub.core.roles import role_label

        return {
            "current_language": select_locale(),
            "language_names": LANGUAGE_NAMES,
            "nav_items": nav_items,
            "dashboard_sections": dashboard_sections,
            "dashboard_rows": DASHBOARD_ROWS,
            "role_label": role_label,
        }


def register_error_handlers(app: Flask) -> None:
    from sqlalchemy.exc import IntegrityError

    from volunteer_hub.core.api.problems import is_api_request, problem_for_exception
    from volunteer_hub.core.transaction import conflict_answer

    app.register_error_handler(IntegrityError, conflict_answer)  # 409, nothing kept, nothing logged

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        db.session.rollback()
        if is_api_request():  # the API answers every error as problem details, never HTML
            return problem_for_exception(error)
        return render_template("errors/error.html", code=code, error=error), code


def register_cli(app: Flask) -> None:
    from volunteer_hub.answers.cli import register_cli as register_answers_cli
    from volunteer_hub.auth.cli import register_cli as register_users_cli
    from volunteer_hub.demo.cli import register_cli as register_demo_cli
    from volunteer_hub.letters.cli import register_cli as register_letters_cli
    from volunteer_hub.matching.cli import register_cli as register_match_cli
    from volunteer_hub.notifications.cli import register_cli as register_outbox_cli
    from volunteer_hub.ops.cli import register_cli as register_ops_cli
    from volunteer_hub.reports.cli import register_cli as register_report_cli
    from volunteer_hub.tenancy.cli import register_cli as register_tenancy_cli

    register_outbox_cli(app)
    register_answers_cli(app)
    register_letters_cli(app)
    register_ops_cli(app)
    register_report_cli(app)
    register_match_cli(app)
    register_demo_cli(app)
    register_tenancy_cli(app)
    register_users_cli(app)

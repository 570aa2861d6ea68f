"""The JSON API under /api/v1, its OpenAPI document, and personal API tokens.

How a domain adds endpoints (one line here):

1. Write ``volunteer_hub/<domain>/api.py`` with a flask-smorest Blueprint called ``blp``,
   named ``api_<domain>`` and with ``url_prefix`` relative to /api/v1, e.g.
   ``blp = Blueprint("api_volunteers", __name__, url_prefix="/volunteers", description=...)``.
2. Give every view function, below ``@blp.route(...)``, a route policy (``@signed_in`` or
   ``@roles_required(...)``) exactly as on pages, and describe input and output with
   ``@blp.arguments(Schema)`` and ``@blp.response(200, Schema)`` (the OpenAPI document is
   generated from these). One function per method, so each method has its own policy.
   Use ``SafeText`` and ``record_id`` from ``volunteer_hub.core.api.schemas`` for text and ids,
   fetch records with the domain's ``get_<thing>_or_404(id, for_user=current_user)``, and
   commit once at the end of a write, as page views do.
3. Add the module's dotted name to ``API_MODULES`` below.
4. List every new endpoint in the security suite's matrix (tests/security/domains/).

Authentication, tenancy scope, route policy, scopes (``read`` for GET, ``write`` otherwise),
CSRF exemption and problem-details errors then apply without further code.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask

API_MODULES: tuple[str, ...] = (
    "volunteer_hub.auth.api",
    "volunteer_hub.tenancy.api",
    "volunteer_hub.api.audit_events",
    "volunteer_hub.volunteers.api",
    "volunteer_hub.families.api",
    "volunteer_hub.matching.api",
    "volunteer_hub.reports.api",
)


def _refuse_ids_beyond_the_database() -> None:
    """A path id no database integer can hold names nothing: 404, never a database error.

    Runs after authentication and the route policy (app hooks come first), so an anonymous
    caller still gets 401.
    """
    from flask import abort, request

    from volunteer_hub.core.api.schemas import MAX_ID

    if any(isinstance(value, int) and value > MAX_ID for value in (request.view_args or {}).values()):
        abort(404)


def _choose_api_language(app: Flask) -> None:
    """The API speaks the language ``Accept-Language`` prefers (English unless it is Danish); the
    pages keep theirs (the visitor's choice). Wraps the locale selector ``web`` gave Babel."""
    from flask import has_request_context

    from volunteer_hub.core.api.messages import api_language
    from volunteer_hub.core.api.problems import is_api_request

    babel_config = app.extensions["babel"]
    pages_locale = babel_config.locale_selector

    def select_locale() -> str | None:
        if has_request_context() and is_api_request():
            return api_language()
        return pages_locale() if pages_locale else None

    babel_config.locale_selector = select_locale


def register(app: Flask) -> None:
    """Set up the Api, register every domain's API blueprint and the token pages."""
    from volunteer_hub.api.openapi import API_URL_PREFIX, VolunteerHubApi, api_settings
    from volunteer_hub.auth.api_tokens import views
    from volunteer_hub.core.access import POLICY_ATTR, AccessPolicy
    from volunteer_hub.extensions import csrf

    for key, value in api_settings().items():
        app.config.setdefault(key, value)
    _choose_api_language(app)
    api = VolunteerHubApi(app)
    app.extensions["vh_api"] = api
    for dotted in API_MODULES:
        blp: Any = importlib.import_module(dotted).blp
        if _refuse_ids_beyond_the_database not in blp.before_request_funcs.get(None, []):
            blp.before_request(_refuse_ids_beyond_the_database)  # once: blueprints outlive an app
        api.register_blueprint(blp, url_prefix=API_URL_PREFIX + (blp.url_prefix or ""))
        # Only bearer tokens authenticate API requests (never the cookie), so no CSRF token.
        csrf.exempt(blp)

    # The OpenAPI document describes the API to anyone, like a public page would.
    endpoint = "api-docs.openapi_json"
    document = app.view_functions[endpoint]

    def openapi_json() -> Any:
        return document()

    setattr(openapi_json, POLICY_ATTR, AccessPolicy(public=True))
    app.view_functions[endpoint] = openapi_json
    views.register(app)

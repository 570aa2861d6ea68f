"""The flask-smorest ``Api``: the OpenAPI document is generated from the code it describes."""

from __future__ import annotations

import http
from typing import Any

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from volunteer_hub.core.api.problems import PROBLEM_CONTENT_TYPE
from volunteer_hub.core.api.schemas import ProblemSchema

API_URL_PREFIX = "/api/v1"

DESCRIPTION = """\
Volunteer Hub's JSON API for a municipality's other systems.

**Authentication.** Every operation needs a personal API token, sent as
`Authorization: Bearer <token>`. Coordinators and administrators create tokens on the page
"API-nøgler" (API keys, `/api-noegler/`); a token acts with its owner's current role,
municipality and organisation, and its scopes: `read` for GET, `write` for every other method.
The API never accepts the browser's session cookie, so a web page cannot make a signed-in
browser call it.

**Errors** are RFC 9457 problem details (`application/problem+json`) with `type`, `title`,
`status` and `detail`; validation errors (400, 422) add `errors`, the messages per field.
"""


class VolunteerHubApi(Api):
    """smorest's Api with problem-details errors, documented as such for every status."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        # web.register_error_handlers answers every error on /api/ with problem details.
        return None

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def api_settings() -> dict[str, Any]:
    """The smorest settings; create_app's config may override any of them."""
    return {
        "API_TITLE": "Volunteer Hub API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_URL_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        # No Swagger UI or ReDoc: they load scripts from CDNs, which the CSP refuses.
        "API_SPEC_OPTIONS": {
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal API token from the page 'API keys'",
                    }
                }
            },
        },
    }

"""The flask-smorest ``Api``: the OpenAPI document is generated from the code it describes."""

from __future__ import annotations

import http
from typing import Any

from apispec import BasePlugin
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
Every error status an operation can answer is listed with that body. `detail` and the
messages in `errors` are in English, or in Danish when `Accept-Language` prefers `da`; the
answer's `Content-Language` says which.
"""

# Every operation may answer these (token, role); one with a record id in its path also 404.
_ALWAYS = ("401", "403")
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class ClientFriendlyPlugin(BasePlugin):
    """What a generated client needs from each operation: a stable ``operationId`` (the view
    function's name), and a problem-details body on every error status, declared or implied."""

    def init_spec(self, spec: Any) -> None:
        self.operation_ids: dict[str, str] = {}

    def operation_helper(self, path: str | None = None, operations: Any = None, **kwargs: Any) -> None:
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            if rule is not None:
                name = rule.endpoint.rsplit(".", 1)[-1]
                owner = f"{method} {path}"
                if self.operation_ids.setdefault(name, owner) != owner:
                    raise ValueError(f"operationId {name!r} is used twice ({owner})")
                operation.setdefault("operationId", name)
            responses = operation.setdefault("responses", {})
            implied = list(_ALWAYS) + (["404"] if "{" in (path or "") else [])
            for status in implied:
                responses.setdefault(status, http.HTTPStatus(int(status)).name)
            for status, response in responses.items():
                if isinstance(response, dict) and status != "default" and int(status) >= 400:
                    response.setdefault("content", {PROBLEM_CONTENT_TYPE: {"schema": _PROBLEM_REF}})


def _nullable_reference(self: Any, field: Any, ret: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """A nullable nested schema as ``allOf: [$ref]`` with ``nullable: true`` (OpenAPI 3.0).

    apispec writes ``anyOf: [{type: object, nullable: true}, {$ref}]``, which generated clients
    read as a union with an anonymous object, so ``volunteer.organisation.name`` fails there.
    """
    loose = {"type": "object", "nullable": True}
    any_of = ret.get("anyOf")
    if not (getattr(field, "allow_none", False) and isinstance(any_of, list) and loose in any_of):
        return {}
    del ret["anyOf"]
    return {"allOf": [item for item in any_of if item != loose], "nullable": True}


class VolunteerHubApi(Api):
    """smorest's Api with problem-details errors, documented as such for every status."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, **kwargs: Any) -> None:
        kwargs["extra_plugins"] = [*(kwargs.get("extra_plugins") or ()), ClientFriendlyPlugin()]
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(_nullable_reference)

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

"""The JSON API and the pages where staff manage their API tokens."""

from __future__ import annotations

from tests.security.harness import (
    ADMIN,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    RecordParam,
    Route,
    account_owner,
    everyone,
)

PARAMS = {
    "token_id": RecordParam("api_token", account_owner),
}

ROUTES = [
    # Token pages
    Route("api_tokens.index", STAFF),
    Route("api_tokens.create", STAFF, reauth=True),
    Route("api_tokens.revoke", STAFF),
    # The API (bearer token only; volunteers have no tokens, so they get 401)
    Route("api-docs.openapi_json", PUBLIC),
    Route("api_account.me", SIGNED_IN),
    Route("api_account.update_me", SIGNED_IN, ok={"PATCH": (422,)}, note="an empty body lacks the name"),
    Route("api_organisations.list_partner_organisations", STAFF),
    Route(
        "api_audit.list_audit_events",
        ADMIN,
        # Any user's history may be asked for; another municipality's simply has no events here.
        query={"object_type": "user_account", "object_id": RecordParam("user", everyone)},
    ),
]

"""Rows written at each migration revision, for the "data survives every upgrade" test.

When you add a migration, add an entry for it here: representative rows of the tables it
creates or changes, written as they would be at that revision (plain column values, parent
rows before child rows, explicit primary keys). tests/core/test_migration_data.py then
upgrades from empty one revision at a time, writes each revision's rows with plain SQL, and
after every later upgrade checks that every row written so far reads back unchanged.

A revision that changes existing rows on purpose (a backfill, a renamed column, a split
value) says what it does to them in ``EXPECTED_CHANGES``: a function from the rows as they
were before that revision to the rows as they must be after it. Without an entry, a change
to any earlier row is a failure.

Revisions without an entry are still upgraded through, with all earlier rows in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# (table, primary-key values) -> {column: value as read back}
Rows = dict[tuple[str, tuple[Any, ...]], dict[str, Any]]

WHEN = "2026-01-15 10:00:00+00:00"
LATER = "2026-01-15 11:00:00+00:00"


@dataclass(frozen=True)
class RevisionData:
    """Rows to insert when the schema is at one revision: table -> list of {column: value}."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


MIGRATION_DATA: dict[str, RevisionData] = {
    # platform foundation: tenancy, accounts, audit trail, outbox, throttling, reset tokens
    "af8c45d63d3d": RevisionData(
        rows={
            "municipality": [
                {
                    "id": 501,
                    "code": "0161",
                    "name": "Glostrup Kommune",
                    "created_at": WHEN,
                    "updated_at": WHEN,
                },
                {
                    "id": 502,
                    "code": "0101",
                    "name": "Københavns Kommune",
                    "created_at": WHEN,
                    "updated_at": WHEN,
                },
            ],
            "organisation": [
                {
                    "id": 511,
                    "municipality_id": 501,
                    "name": "Røde Kors Glostrup",
                    "description": "Besøgsvenner",
                    "created_at": WHEN,
                    "updated_at": WHEN,
                },
            ],
            "user_account": [
                {
                    "id": 521,
                    "municipality_id": 501,
                    "email": "mette@glostrup.dk",
                    "name": "Mette Ærø",
                    "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                    "role": "municipal_coordinator",
                    "organisation_id": None,
                    "is_active_account": True,
                    "session_version": 3,
                    "last_login_at": LATER,
                    "created_at": WHEN,
                    "updated_at": LATER,
                },
                {
                    "id": 522,
                    "municipality_id": 501,
                    "email": "peter@rodekors.dk",
                    "name": "Peter Øst",
                    "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                    "role": "partner_coordinator",
                    "organisation_id": 511,
                    "is_active_account": False,
                    "session_version": 1,
                    "last_login_at": None,
                    "created_at": WHEN,
                    "updated_at": WHEN,
                },
            ],
            "audit_event": [
                {
                    "id": 531,
                    "occurred_at": WHEN,
                    "municipality_id": 501,
                    "actor_user_id": 521,
                    "action": "user.created",
                    "object_type": "user",
                    "object_id": 522,
                    "details": '{"role": "partner_coordinator"}',
                },
                {
                    "id": 532,
                    "occurred_at": LATER,
                    "municipality_id": None,
                    "actor_user_id": None,
                    "action": "auth.login_failed",
                    "object_type": None,
                    "object_id": None,
                    "details": "{}",
                },
            ],
            "outbox_message": [
                {
                    "id": 541,
                    "municipality_id": 501,
                    "message_id": "<m541@volunteer-hub>",
                    "template": "password_reset",
                    "language": "da",
                    "recipient": "mette@glostrup.dk",
                    "subject": "Vælg en ny adgangskode",
                    "body": "Hej Mette,\n\nlink\n",
                    "status": "sent",
                    "attempts": 1,
                    "next_attempt_at": WHEN,
                    "last_error": None,
                    "created_at": WHEN,
                    "sent_at": LATER,
                },
                {
                    "id": 542,
                    "municipality_id": 502,
                    "message_id": "<m542@volunteer-hub>",
                    "template": "password_reset",
                    "language": "en",
                    "recipient": "x@example.dk",
                    "subject": "Choose a new password",
                    "body": "Hello",
                    "status": "failed",
                    "attempts": 8,
                    "next_attempt_at": LATER,
                    "last_error": "ConnectionRefusedError",
                    "created_at": WHEN,
                    "sent_at": None,
                },
            ],
            "failed_login": [{"id": 551, "email_key": "a" * 64, "attempted_at": WHEN}],
            "password_reset_token": [
                {
                    "id": 561,
                    "user_id": 521,
                    "token_hash": "b" * 64,
                    "expires_at": LATER,
                    "used_at": None,
                    "created_at": WHEN,
                },
            ],
        }
    ),
    # data versions for derived data (core/derived.py); the upgrade itself gives the
    # municipalities above a random version, so this revision writes a new municipality's
    "0e595366a58b": RevisionData(
        rows={
            "municipality": [
                {
                    "id": 503,
                    "code": "0165",
                    "name": "Albertslund Kommune",
                    "created_at": WHEN,
                    "updated_at": WHEN,
                }
            ],
            "data_version": [{"municipality_id": 503, "version": 2**62 - 7}],
        },
    ),
}

def _without_data_versions(rows: Rows) -> Rows:
    return {key: columns for key, columns in rows.items() if key[0] != "data_version"}


#: Revisions that change or drop earlier data on purpose, each with what it does to the rows.
EXPECTED_CHANGES: dict[str, Callable[[Rows], Rows]] = {
    # Data versions served only derived data kept per version, which issue 17 removed.
    "a17c0a5e0004": _without_data_versions,
}
#: Rows of MIGRATION_DATA that a later revision drops on purpose (see EXPECTED_CHANGES).
DROPPED_ROWS = 1

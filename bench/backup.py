"""What `flask backup` and `flask restore` cost: time and size for a database of known size.

    .venv/bin/python -m bench.backup [--scale 1] [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Scale 1 is 20,000 user accounts, 200,000 audit events and 50,000 outbox messages (with
real e-mail bodies), spread over 98 municipalities. The script creates two throw-away
databases, fills one with plain SQL, times backup and restore through the same functions
the commands use, checks the restored copy table by table, and drops both databases.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from volunteer_hub.ops.services import backup_database, restore_database, table_fingerprints

FILL = [
    # 98 municipalities, four partner organisations each.
    """INSERT INTO municipality (code, name, created_at, updated_at)
       SELECT lpad(n::text, 4, '0'), 'Kommune ' || n, now(), now() FROM generate_series(1, 98) n""",
    """INSERT INTO organisation (municipality_id, name, description, created_at, updated_at)
       SELECT m.id, 'Organisation ' || o, 'Frivillige i kommunen', now(), now()
       FROM municipality m CROSS JOIN generate_series(1, 4) o""",
    # Accounts: argon2id-sized hashes, mostly volunteers.
    """INSERT INTO user_account (municipality_id, email, name, password_hash, role, is_active_account,
                                 session_version, created_at, updated_at)
       SELECT 1 + n % 98, 'person' || n || '@example.dk', 'Person Nummer ' || n,
              '$argon2id$v=19$m=65536,t=3,p=4$' || md5(n::text) || '$' || md5((n * 7)::text) || md5(n::text),
              CASE WHEN n % 50 = 0 THEN 'municipal_coordinator' ELSE 'volunteer' END, true, 1, now(), now()
       FROM generate_series(1, :users) n""",
    # The audit trail: the table that grows for ever.
    """INSERT INTO audit_event (occurred_at, municipality_id, actor_user_id, action, object_type, object_id,
                                details)
       SELECT now() - (n || ' minutes')::interval, 1 + n % 98, 1 + n % :users,
              (ARRAY['volunteer.approved', 'match.proposed', 'match.approved', 'auth.login',
                     'family.updated'])[1 + n % 5],
              'volunteer', n % :users, json_build_object('status', 'approved', 'step', n % 7)
       FROM generate_series(1, :events) n""",
    # Sent e-mail stays in the outbox: subject, recipient and a body of realistic length.
    """INSERT INTO outbox_message (municipality_id, message_id, template, language, recipient, subject, body,
                                   status, attempts, next_attempt_at, created_at, sent_at)
       SELECT 1 + n % 98, '<' || gen_random_uuid() || '@volunteer-hub>', 'password_reset', 'da',
              'person' || n || '@example.dk', 'Vælg en ny adgangskode til Volunteer Hub',
              'Hej Person Nummer ' || n || E',\n\n'
              || repeat('Nogen har bedt om at nulstille adgangskoden. ', 8)
              || E'\n\nhttps://volunteer-hub.example.dk/password/reset/' || md5(n::text) || md5((n + 1)::text)
              || E'\n\nVolunteer Hub',
              'sent', 1, now(), now(), now()
       FROM generate_series(1, :messages) n""",
    "ANALYZE",
]


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    sizes = {
        "users": int(20_000 * args.scale),
        "events": int(200_000 * args.scale),
        "messages": int(50_000 * args.scale),
    }

    from flask_migrate import upgrade

    from volunteer_hub import create_app

    names = [f"vh_bench_{uuid.uuid4().hex[:8]}_{suffix}" for suffix in ("source", "restored")]
    admin = _admin_engine(args.pg_url)
    with admin.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    source_url, restored_url = (args.pg_url.rsplit("/", 1)[0] + "/" + name for name in names)
    try:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": source_url})
        with app.app_context():
            upgrade()
            from volunteer_hub.extensions import db

            db.engine.dispose()
        engine = sa.create_engine(source_url)
        started = time.monotonic()
        with engine.begin() as connection:
            for statement in FILL:
                connection.execute(sa.text(statement), sizes)
        fill_seconds = time.monotonic() - started
        with engine.connect() as connection:
            size_query = sa.text("SELECT pg_database_size(current_database())")
            database_bytes = connection.execute(size_query).scalar()
        engine.dispose()

        dump = backup_database(source_url, Path(tempfile.gettempdir()) / f"{names[0]}.dump")
        restored = restore_database(restored_url, dump.path)
        same = table_fingerprints(source_url) == table_fingerprints(restored_url)
        dump.path.unlink()

        rows = sum(sizes.values())
        print(
            f"scale {args.scale:g}: {sizes['users']:,} accounts, {sizes['events']:,} audit events, "
            f"{sizes['messages']:,} outbox messages ({rows:,} rows; filled in {fill_seconds:.1f} s)"
        )
        print(f"{'database size':<28}{database_bytes / 1e6:>10.1f} MB")
        print(f"{'backup file':<28}{dump.size_bytes / 1e6:>10.1f} MB")
        print(
            f"{'flask backup (pg_dump -Fc)':<28}{dump.seconds:>10.1f} s   "
            f"{database_bytes / 1e6 / dump.seconds:>6.0f} MB/s of database"
        )
        print(
            f"{'flask restore (1 txn)':<28}{restored.seconds:>10.1f} s   "
            f"{database_bytes / 1e6 / restored.seconds:>6.0f} MB/s of database"
        )
        print(f"{'restored copy identical':<28}{'yes' if same else 'NO':>10}")
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

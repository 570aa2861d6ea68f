"""Backup and restore with pg_dump / pg_restore, against the configured database.

A backup is one pg_dump file in the custom format (compressed, restorable table by table).
It is written next to its final name and renamed into place only when pg_dump succeeded,
so a failed nightly run never leaves a truncated file that looks like a backup, and it is
readable by its owner only (it holds personal data). A restore runs in one transaction:
it lands completely or not at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool


class OpsError(RuntimeError):
    """An operation was refused or failed; the message says what to do."""


@dataclass(frozen=True)
class PostgresTarget:
    """How the PostgreSQL client tools reach the database, without a password on their command line."""

    sqlalchemy_url: URL
    libpq_url: str
    env: dict[str, str]

    @property
    def display(self) -> str:
        return self.sqlalchemy_url.render_as_string(hide_password=True)


def postgres_target(database_uri: str) -> PostgresTarget:
    """The target for ``database_uri``; refuses anything but PostgreSQL."""
    url = make_url(database_uri)
    if url.get_backend_name() != "postgresql":
        raise OpsError(
            f"Backup and restore work on PostgreSQL only; this installation uses {url.get_backend_name()} "
            f"(DATABASE_URL). For an SQLite file, stop the app and copy the file."
        )
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)  # ps shows command lines, not environments
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return PostgresTarget(sqlalchemy_url=url, libpq_url=libpq, env=env)


def pg_tool(name: str, bin_dir: str | None = None) -> str:
    """The path of a PostgreSQL client program (``PG_BIN_DIR`` if set, else the PATH)."""
    found = shutil.which(name, path=bin_dir) if bin_dir else shutil.which(name)
    if found is None:
        where = bin_dir or "the PATH"
        raise OpsError(f"{name} was not found in {where}; install the PostgreSQL client (postgresql-client)")
    return found


def _major_version(tool: str) -> int:
    output = subprocess.run(  # noqa: S603 - an argument list, no shell
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise OpsError(f"could not read the version of {tool}: {output.strip()!r}")
    return int(match.group(1))


def _engine(target: PostgresTarget) -> sa.Engine:
    return sa.create_engine(target.sqlalchemy_url, poolclass=NullPool)


def server_major_version(target: PostgresTarget) -> int:
    engine = _engine(target)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    except sa.exc.OperationalError as exc:
        raise OpsError(f"Cannot connect to {target.display}: {exc.orig}") from exc
    finally:
        engine.dispose()


ANY_RELATION = ("r", "p", "v", "m", "S", "f")  # tables, views, sequences, foreign tables


def list_relations(target: PostgresTarget, kinds: tuple[str, ...] = ANY_RELATION) -> list[str]:
    """Relations outside PostgreSQL's own schemas (none: an empty database), as schema.name."""
    engine = _engine(target)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text(
                        "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind::text = ANY(:kinds) "
                        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                        "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1"
                    ),
                    {"kinds": list(kinds)},
                ).scalars()
            )
    except sa.exc.OperationalError as exc:
        raise OpsError(f"Cannot connect to {target.display}: {exc.orig}") from exc
    finally:
        engine.dispose()


def _tail(stderr: str, lines: int = 8) -> str:
    return "\n".join(stderr.strip().splitlines()[-lines:])


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    seconds: float


def backup_database(database_uri: str, path: Path, bin_dir: str | None = None) -> BackupResult:
    """Dump the database to ``path`` (pg_dump custom format), atomically and owner-readable only."""
    target = postgres_target(database_uri)
    pg_dump = pg_tool("pg_dump", bin_dir)
    client, server = _major_version(pg_dump), server_major_version(target)
    if client < server:
        raise OpsError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server; "
            f"install postgresql-client-{server} or set PG_BIN_DIR"
        )
    path = path.resolve()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603 - an argument list, no shell
        [pg_dump, "--format=custom", "--no-password", f"--file={partial}", f"--dbname={target.libpq_url}"],
        env=target.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        partial.unlink(missing_ok=True)
        raise OpsError(f"pg_dump failed (exit {completed.returncode}):\n{_tail(completed.stderr)}")
    os.replace(partial, path)
    return BackupResult(path=path, size_bytes=path.stat().st_size, seconds=time.monotonic() - started)


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    seconds: float


# With --force everything in the public schema goes, in the same transaction as the restore;
# the schema comes back as PostgreSQL 15 creates it.
_REPLACE_EVERYTHING = (
    b"DROP SCHEMA public CASCADE;\n"
    b"CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n"
    b"GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
)


def restore_database(
    database_uri: str, path: Path, *, force: bool = False, bin_dir: str | None = None
) -> RestoreResult:
    """Restore a ``backup_database`` file into the database, in one transaction.

    Refuses a database that already holds tables unless ``force``; with ``force`` the
    public schema is dropped and rebuilt from the file. Either way a failure (a damaged
    file, an SQL error, a lost connection) leaves the database exactly as it was. Owners
    and grants are not restored: the restoring role owns everything afterwards.
    """
    target = postgres_target(database_uri)
    pg_restore, psql = pg_tool("pg_restore", bin_dir), pg_tool("psql", bin_dir)
    listing = subprocess.run(  # noqa: S603 - an argument list, no shell
        [pg_restore, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise OpsError(f"{path} is not a backup made by `flask backup`:\n{_tail(listing.stderr)}")
    existing = list_relations(target)
    if existing and not force:
        sample = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
        raise OpsError(
            f"The database {target.display} is not empty ({len(existing)} tables, views or sequences: "
            f"{sample}). Restore into an empty database, or add --force to replace everything in it."
        )
    started = time.monotonic()
    producer_ok, consumer_ok, errors = pipe_sql_into_psql(
        [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(path)],
        [
            psql,
            "--no-psqlrc",
            "--no-password",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--file=-",
            f"--dbname={target.libpq_url}",
        ],
        env=target.env,
        prelude=_REPLACE_EVERYTHING if force else b"",
    )
    if not (producer_ok and consumer_ok):
        raise OpsError(f"The restore failed and was rolled back; the database is unchanged:\n{_tail(errors)}")
    return RestoreResult(tables=len(list_relations(target, ("r", "p"))), seconds=time.monotonic() - started)


def pipe_sql_into_psql(
    producer_args: list[str], consumer_args: list[str], *, env: dict[str, str], prelude: bytes
) -> tuple[bool, bool, str]:
    """Run pg_restore's SQL through psql inside BEGIN ... COMMIT.

    COMMIT is sent only after pg_restore finished successfully: if it stops half-way
    (a truncated file), psql reaches the end of its input inside the transaction, and
    PostgreSQL rolls everything back. Returns (producer ok, consumer ok, error output).
    """
    with tempfile.TemporaryFile() as producer_errors, tempfile.TemporaryFile() as consumer_errors:
        producer = subprocess.Popen(  # noqa: S603 - an argument list, no shell
            producer_args, stdout=subprocess.PIPE, stderr=producer_errors
        )
        consumer = subprocess.Popen(  # noqa: S603 - an argument list, no shell
            consumer_args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=consumer_errors, env=env
        )
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            consumer.stdin.write(b"BEGIN;\nSET client_min_messages = warning;\n" + prelude)
            shutil.copyfileobj(producer.stdout, consumer.stdin, 1 << 20)
            if producer.wait() == 0:
                consumer.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): nothing was committed
            producer.kill()
        finally:
            try:
                consumer.stdin.close()
            except BrokenPipeError:
                pass
            producer.stdout.close()
            producer.wait()
            consumer.wait()
        producer_errors.seek(0)
        consumer_errors.seek(0)
        errors = (consumer_errors.read() + producer_errors.read()).decode(errors="replace")
    return producer.returncode == 0, consumer.returncode == 0, errors


def table_fingerprints(database_uri: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and an MD5 of its rows in primary-key order: for restore drills.

    Two databases with the same fingerprints hold the same rows, value for value.
    """
    engine = sa.create_engine(database_uri, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            result = {}
            for table in sorted(inspector.get_table_names()):
                key = inspector.get_pk_constraint(table)["constrained_columns"]
                order = ", ".join(f't."{column}"' for column in key) or "t::text"
                count, digest = connection.execute(
                    sa.text(
                        f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), '')) "  # noqa: S608  # nosec B608 - quoted names from the catalogue
                        f'FROM "{table}" AS t'
                    )
                ).one()
                result[table] = (count, digest)
            return result
    finally:
        engine.dispose()

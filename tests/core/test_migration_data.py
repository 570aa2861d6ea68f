"""Data written at each revision survives every later upgrade; each downgrade undoes its upgrade.

Both walk the whole revision history one step at a time, so they keep covering migrations
that other work adds: see tests/core/migration_data.py for the rows each revision writes.
"""

from __future__ import annotations

import copy
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade

from tests.core.migration_data import DROPPED_ROWS, EXPECTED_CHANGES, MIGRATION_DATA, RevisionData, Rows
from tests.support import fresh_postgres_database
from volunteer_hub import create_app
from volunteer_hub.extensions import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg_only)])
def empty_database(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    request.getfixturevalue("_session_pg_app")  # skips, or fails on CI, without PostgreSQL
    with fresh_postgres_database() as url:
        yield url


def _app(url: str, migrations: Path | None = None) -> Flask:
    overrides: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": url}
    if migrations is not None:
        overrides["MIGRATIONS_DIR"] = str(migrations)
    return create_app("testing", overrides)


def revision_path() -> list[str]:
    """Every revision id from the first to the head, in upgrade order (inside an app context)."""
    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads {heads}: merge them into one"
    return [revision.revision for revision in reversed(list(script.walk_revisions("base", heads[0])))]


# --- data survives upgrades -------------------------------------------------------------


def _primary_keys(connection: sa.Connection, table: str) -> list[str]:
    return sa.inspect(connection).get_pk_constraint(table)["constrained_columns"]


def _read_rows(connection: sa.Connection, wanted: Rows) -> Rows:
    """The rows ``wanted`` names, with the columns it names, as they are now (missing: absent)."""
    found: Rows = {}
    keys: dict[str, list[str]] = {}
    for (table, key), columns in wanted.items():
        keys.setdefault(table, _primary_keys(connection, table))
        where = " AND ".join(f'"{name}" = :k{i}' for i, name in enumerate(keys[table]))
        selected = ", ".join(f'"{name}"' for name in columns)
        row = (
            connection.execute(
                sa.text(f'SELECT {selected} FROM "{table}" WHERE {where}'),  # noqa: S608 - names from the test data
                {f"k{i}": value for i, value in enumerate(key)},
            )
            .mappings()
            .one_or_none()
        )
        if row is not None:
            found[(table, key)] = dict(row)
    return found


def _write_rows(connection: sa.Connection, data: RevisionData) -> Rows:
    """Insert a revision's rows with plain SQL; return them as read back."""
    written: Rows = {}
    for table, rows in data.rows.items():
        key_columns = _primary_keys(connection, table)
        for row in rows:
            columns = ", ".join(f'"{name}"' for name in row)
            values = ", ".join(f":{name}" for name in row)
            connection.execute(sa.text(f'INSERT INTO "{table}" ({columns}) VALUES ({values})'), row)  # noqa: S608
            written[(table, tuple(row[name] for name in key_columns))] = dict.fromkeys(row)
    return _read_rows(connection, written)


def _differences(expected: Rows, actual: Rows) -> list[str]:
    problems = []
    for (table, key), columns in expected.items():
        now = actual.get((table, key))
        if now is None:
            problems.append(f"{table} {key}: row is gone")
            continue
        problems += [
            f"{table} {key}.{column}: {value!r} became {now[column]!r}"
            for column, value in columns.items()
            if now[column] != value
        ]
    return problems


def upgrade_with_data(
    data: dict[str, RevisionData] = MIGRATION_DATA,
    changes: dict[str, Callable[[Rows], Rows]] = EXPECTED_CHANGES,
) -> Rows:
    """Upgrade from empty one revision at a time, writing and re-checking the registered rows."""
    path = revision_path()
    assert not set(data) - set(path), f"migration_data names unknown revisions {set(data) - set(path)}"
    expected: Rows = {}
    for revision in path:
        upgrade(revision=revision)
        if revision in changes:
            expected = changes[revision](copy.deepcopy(expected))
        with db.engine.connect() as connection:
            problems = _differences(expected, _read_rows(connection, expected))
        assert not problems, f"upgrading to {revision} changed earlier data:\n" + "\n".join(problems)
        if revision in data:
            with db.engine.begin() as connection:
                expected.update(_write_rows(connection, data[revision]))
    return expected


def _load_every_row_through_the_models() -> int:
    loaded = 0
    for mapper in db.Model.registry.mappers:
        statement = sa.select(mapper.class_).execution_options(all_tenants=True)
        loaded += len(db.session.execute(statement).scalars().all())
    db.session.rollback()
    return loaded


def test_data_written_at_each_revision_survives_every_later_upgrade(empty_database):
    app = _app(empty_database)
    with app.app_context():
        try:
            expected = upgrade_with_data()
            assert len(expected) == sum(
                len(rows) for data in MIGRATION_DATA.values() for rows in data.rows.values()
            ) - DROPPED_ROWS
            # At the head the models read every old row (enum values, JSON, time zones).
            assert _load_every_row_through_the_models() >= len(expected)
        finally:
            db.engine.dispose()


# --- the harness catches what it is for ---------------------------------------------------

SYNTHETIC = {
    "adds_a_nullable_column": """
        with op.batch_alter_table("municipality") as batch:
            batch.add_column(sa.Column("note", sa.String(50), nullable=True))
    """,
    "rewrites_names": """
        op.execute("UPDATE municipality SET name = name || ' (old)'")
    """,
}
REQUIRED_COLUMN_WITHOUT_DEFAULT = """
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("phone", sa.String(20), nullable=False))
"""


def _migrations_with(tmp_path: Path, body: str) -> Path:
    """A copy of the real migrations with one more revision on top of the head."""
    migrations = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", migrations, ignore=shutil.ignore_patterns("__pycache__"))
    with _app("sqlite://", migrations).app_context():
        head = revision_path()[-1]
    (migrations / "versions" / "synthetic.py").write_text(
        f'"""synthetic"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = "5e1f7e57"\n'
        f'down_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade():\n{textwrap.indent(textwrap.dedent(body).strip(), '    ')}\n\n\n"
        "def downgrade():\n    pass\n"
    )
    return migrations


def test_the_harness_accepts_a_migration_that_keeps_old_data(tmp_path):
    app = _app(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        _migrations_with(tmp_path, SYNTHETIC["adds_a_nullable_column"]),
    )
    with app.app_context():
        upgrade_with_data()
        db.engine.dispose()


def test_the_harness_refuses_a_migration_that_changes_old_data_unless_it_is_declared(tmp_path):
    app = _app(
        f"sqlite:///{tmp_path / 'db.sqlite3'}", _migrations_with(tmp_path, SYNTHETIC["rewrites_names"])
    )
    with app.app_context():
        with pytest.raises(AssertionError, match=r"municipality \(501,\)\.name: 'Glostrup Kommune' became"):
            upgrade_with_data()
        db.drop_all()
        db.session.execute(sa.text("DROP TABLE alembic_version"))
        db.session.commit()

        def renamed(rows: Rows) -> Rows:
            for (table, _), columns in rows.items():
                if table == "municipality":
                    columns["name"] += " (old)"
            return rows

        upgrade_with_data(changes={**EXPECTED_CHANGES, "5e1f7e57": renamed})
        db.engine.dispose()


@pytest.mark.pg_only
def test_the_harness_catches_a_required_column_that_only_fails_once_rows_exist(_session_pg_app, tmp_path):
    migrations = _migrations_with(tmp_path, REQUIRED_COLUMN_WITHOUT_DEFAULT)
    with fresh_postgres_database() as url, _app(url, migrations).app_context():
        upgrade()  # on an empty database PostgreSQL accepts the migration ...
        downgrade(revision="base")
        with pytest.raises(sa.exc.IntegrityError, match="phone"):
            upgrade_with_data()  # ... with last year's rows in it, production would not
        db.engine.dispose()


# --- each downgrade undoes its upgrade ----------------------------------------------------


def _schema(connection: sa.Connection) -> dict[str, Any]:
    """Tables, columns, keys, indexes and checks (and on PostgreSQL triggers and functions)."""
    inspector = sa.inspect(connection)
    schema: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        schema[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in inspector.get_columns(table)
            ),
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (
                    fk["name"] or "",
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    str(fk.get("options")),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted((c["name"] or "", c["sqltext"]) for c in inspector.get_check_constraints(table)),
        }
    if connection.dialect.name == "postgresql":
        schema["triggers"] = sorted(
            connection.execute(
                sa.text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).all()
        )
        schema["functions"] = sorted(
            connection.execute(
                sa.text(
                    "SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = 'public'"
                )
            ).scalars()
        )
    return schema


def _current_schema() -> dict[str, Any]:
    with db.engine.connect() as connection:
        return _schema(connection)


def check_each_downgrade_undoes_its_upgrade() -> None:
    """Step through every revision: up, down, up again, comparing the whole schema each time."""
    previous = "base"
    for revision in revision_path():
        before = _current_schema()
        upgrade(revision=revision)
        after = _current_schema()
        downgrade(revision=previous)
        assert _current_schema() == before, f"downgrading {revision} left a different schema"
        upgrade(revision=revision)
        assert _current_schema() == after, f"upgrading {revision} again gave a different schema"
        previous = revision


# SQLite cannot reflect an expression index (volunteer list order, PostgreSQL only); PostgreSQL compares it.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_each_downgrade_restores_the_schema_before_its_upgrade(empty_database):
    app = _app(empty_database)
    with app.app_context():
        try:
            check_each_downgrade_undoes_its_upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
        finally:
            db.engine.dispose()


def test_a_downgrade_that_forgets_part_of_its_upgrade_is_caught(tmp_path):
    # The synthetic revision adds a column and its downgrade does nothing.
    migrations = _migrations_with(tmp_path, SYNTHETIC["adds_a_nullable_column"])
    with _app(f"sqlite:///{tmp_path / 'db.sqlite3'}", migrations).app_context():
        with pytest.raises(AssertionError, match="downgrading 5e1f7e57 left a different schema"):
            check_each_downgrade_undoes_its_upgrade()
        db.engine.dispose()

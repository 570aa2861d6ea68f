"""Migrations build the schema from empty on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.support import fresh_postgres_database, make_app
from volunteer_hub.extensions import db


def _drift(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


# SQLite cannot reflect an expression index (volunteer list order, PostgreSQL only); PostgreSQL compares it.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_sqlite_upgrades_from_empty_to_head_without_drift(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert _drift(app) == []


@pytest.mark.pg_only
def test_postgresql_upgrades_from_empty_to_head_without_drift(_session_pg_app):
    with fresh_postgres_database() as url:
        app = make_app(url)
        try:
            assert _drift(app) == []
        finally:
            with app.app_context():
                db.engine.dispose()


@pytest.mark.pg_only
def test_postgresql_downgrades_to_base_and_upgrades_again(_session_pg_app):
    from flask_migrate import downgrade, upgrade

    with fresh_postgres_database() as url:
        app = make_app(url)
        try:
            with app.app_context():
                downgrade(revision="base")
                assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
                upgrade()
            assert _drift(app) == []
        finally:
            with app.app_context():
                db.engine.dispose()

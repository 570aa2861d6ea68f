"""The dashboard and the case list computed from plain rows equal the same computed from models."""

from __future__ import annotations

import datetime as dt

import pytest

from volunteer_hub.extensions import db
from volunteer_hub.families.dates import local_today
from volunteer_hub.families.queries import _build_case_book, build_dashboard, load_households
from volunteer_hub.tenancy.services import get_municipality_by_code


@pytest.mark.parametrize("days_later", [0, 10, 400])
def test_plain_rows_give_the_board_and_the_case_list_the_models_give(app, days_later):
    # The demo's 30 households: overdue and open welcome letters and internships, shared units,
    # temporary housing with children, Danish classes without work, reunified adults.
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        municipality_id = get_municipality_by_code("0161").id
        today = local_today() + dt.timedelta(days=days_later)
        models = load_households(municipality_id)
        board = build_dashboard(municipality_id, today)
        assert board == build_dashboard(municipality_id, today, models)
        assert board.letters or board.internships or board.housing_warnings  # not trivially empty
        book = _build_case_book(municipality_id, today)
        assert book == _build_case_book(municipality_id, today, models)
        assert len(book.rows) == len(models) >= 30
        db.session.rollback()

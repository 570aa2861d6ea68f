"""Finalised reports: one per quarter and organisation, enforced by the database; never changed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_municipality, make_organisation, make_user
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.reports.models import FinalisedReport, FinalisedReportImmutableError
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.services import ReportError, finalise_report, get_finalised_report


def _setting():
    municipality = make_municipality()
    organisation = make_organisation(municipality)
    user = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    db.session.flush()
    return municipality, organisation, user


def _row(municipality, user, organisation_id, year=2026, quarter=3):
    return FinalisedReport(
        municipality_id=municipality.id, organisation_id=organisation_id, year=year, quarter=quarter,
        figures={"volunteers": {"registered": 1}}, finalised_by_id=user.id,
    )  # fmt: skip


def _assert_one_per_quarter(session_app):
    with session_app.app_context():
        municipality, organisation, user = _setting()
        db.session.add_all([_row(municipality, user, None), _row(municipality, user, organisation.id),
                            _row(municipality, user, None, quarter=2)])  # fmt: skip
        db.session.commit()
        for organisation_id in (None, organisation.id):
            db.session.add(_row(municipality, user, organisation_id))
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


def test_one_finalised_report_per_quarter_and_organisation(app):
    _assert_one_per_quarter(app)


@pytest.mark.pg_only
def test_one_finalised_report_per_quarter_and_organisation_on_postgresql(pg_app):
    _assert_one_per_quarter(pg_app)


def test_finalised_report_cannot_be_changed_or_deleted(ctx):
    municipality, _organisation, user = _setting()
    report = _row(municipality, user, None)
    db.session.add(report)
    db.session.commit()
    report.figures = {"volunteers": {"registered": 99}}
    with pytest.raises(FinalisedReportImmutableError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(report)
    with pytest.raises(FinalisedReportImmutableError):
        db.session.flush()


def test_finalise_refuses_an_unfinished_quarter_and_a_second_time(ctx):
    municipality, organisation, user = _setting()
    q3 = Quarter(2026, 3)
    common = {"municipality_id": municipality.id, "quarter": q3, "actor": user}
    with pytest.raises(ReportError, match="quarter_not_over"):
        finalise_report(**common, organisation=None, today=date(2026, 9, 30))  # the last day is not over
    stored = finalise_report(**common, organisation=organisation, today=date(2026, 10, 1))
    assert get_finalised_report(municipality.id, organisation.id, q3) is stored
    assert get_finalised_report(municipality.id, None, q3) is None  # the municipality's own is separate
    assert stored.figures["organisation"] == organisation.name
    with pytest.raises(ReportError, match="already_finalised"):
        finalise_report(**common, organisation=organisation, today=date(2026, 10, 1))

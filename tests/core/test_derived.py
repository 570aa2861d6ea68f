"""Derived data is kept per municipality and data version, and never outlives a change."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.matching.factories import TODAY, household, volunteer
from tests.support import make_municipality, make_user
from volunteer_hub.audit.services import record
from volunteer_hub.core import derived
from volunteer_hub.extensions import db
from volunteer_hub.matching import services
from volunteer_hub.volunteers.models import LanguageLevel, Volunteer, VolunteerLanguage, VolunteerStatus


def _version(municipality_id: int) -> int | None:
    db.session.rollback()  # a fresh transaction sees the latest commit
    return derived.data_version(municipality_id)


def test_a_new_municipality_has_a_version_and_each_change_gives_a_new_one(ctx):
    glostrup = make_municipality()
    db.session.commit()
    first = _version(glostrup.id)
    assert first is not None
    v = volunteer(glostrup, first_name="Senait")
    db.session.commit()
    second = _version(glostrup.id)
    assert second != first
    v.postcode = "2605"
    db.session.commit()
    assert _version(glostrup.id) != second


def test_reading_and_bookkeeping_leave_the_version_alone(ctx):
    glostrup = make_municipality()
    v = volunteer(glostrup)
    make_user(glostrup, email="coordinator@glostrup.dk")
    db.session.commit()
    before = _version(glostrup.id)
    db.session.execute(select(Volunteer)).all()
    record("volunteer.viewed", actor=None, municipality_id=glostrup.id, obj=v)  # not case data
    db.session.commit()
    assert _version(glostrup.id) == before


def test_a_rolled_back_change_gives_no_new_version(ctx):
    glostrup = make_municipality()
    v = volunteer(glostrup)
    db.session.commit()
    before = _version(glostrup.id)
    v.postcode = "2605"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _version(glostrup.id) == before


def test_a_child_row_counts_for_its_parents_municipality_and_others_keep_theirs(ctx):
    glostrup, copenhagen = make_municipality(), make_municipality("0101", "Københavns Kommune")
    v = volunteer(glostrup)
    db.session.commit()
    before = {m.id: _version(m.id) for m in (glostrup, copenhagen)}
    v = db.session.get(Volunteer, v.id)
    db.session.add(VolunteerLanguage(volunteer=v, code="ar", level=LanguageLevel.BASIC))
    db.session.commit()
    assert _version(glostrup.id) != before[glostrup.id]
    assert _version(copenhagen.id) == before[copenhagen.id]


def test_a_bulk_statement_gives_every_municipality_a_new_version(ctx):
    glostrup, copenhagen = make_municipality(), make_municipality("0101", "Københavns Kommune")
    volunteer(glostrup)
    db.session.commit()
    before = {m.id: _version(m.id) for m in (glostrup, copenhagen)}
    db.session.execute(Volunteer.__table__.update().values(postcode="2600"))
    db.session.commit()
    assert all(_version(m) != version for m, version in before.items())


def test_the_cache_answers_until_the_data_changes(ctx):
    glostrup = make_municipality()
    db.session.commit()
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert derived.cached("test-kind", glostrup.id, "p", compute) == 1
    assert derived.cached("test-kind", glostrup.id, "p", compute) == 1  # kept
    assert derived.cached("test-kind", glostrup.id, "other", compute) == 2  # other parameters
    volunteer(glostrup)
    db.session.commit()
    db.session.rollback()
    assert derived.cached("test-kind", glostrup.id, "p", compute) == 3  # the data changed


def test_one_computation_per_key_while_several_threads_ask(ctx):
    store = derived._Store(capacity=4)
    started, release, calls = threading.Event(), threading.Event(), []

    def compute() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "value"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(store.get_or_compute("k", compute))) for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == ["value"] * 5 and len(calls) == 1


def test_suggestions_see_a_volunteer_approved_after_the_pool_was_kept(ctx):
    glostrup = make_municipality()
    h = household(glostrup)
    senait = volunteer(glostrup, first_name="Senait", status=VolunteerStatus.PENDING)
    db.session.commit()
    assert services.suggestions_for(h, "friend_buddy", TODAY) == []
    senait.status = VolunteerStatus.APPROVED
    db.session.commit()
    rows = services.suggestions_for(h, "friend_buddy", TODAY)
    assert [row.volunteer.first_name for row in rows] == ["Senait"]


@pytest.mark.parametrize("gender", ["f", None])
def test_the_plain_row_loader_sees_what_the_models_say(ctx, gender):
    """The pool's rows read without ORM objects equal the per-row conversion of loaded models."""
    glostrup = make_municipality()
    h = household(glostrup, interests=["football", "chess"], volunteer_gender=gender)
    volunteer(glostrup, first_name="Senait", interests=["football"], capacity=2, certificate_on=TODAY)
    volunteer(glostrup, first_name="Anna", languages={"da": "native", "ar": "basic"}, gender="f")
    volunteer(glostrup, first_name="Paused", status=VolunteerStatus.PAUSED)
    db.session.commit()
    data = services._build_matcher_data(glostrup.id, TODAY)
    models = db.session.execute(
        select(Volunteer).where(Volunteer.status == VolunteerStatus.APPROVED)
    ).scalars()
    expected = sorted((services.to_matcher_volunteer(v, 0) for v in models), key=lambda v: v.ref)
    assert list(data.pool.volunteers) == expected
    assert data.matcher_households == {h.ref: services.to_matcher_household(h, TODAY)}


def test_a_kept_report_draft_is_recomputed_after_a_change_and_copied_for_each_caller(ctx):
    from volunteer_hub.reports.periods import Quarter
    from volunteer_hub.reports.provider import today_in_denmark
    from volunteer_hub.reports.services import build_report

    glostrup = make_municipality()
    volunteer(glostrup, first_name="Senait")
    db.session.commit()
    quarter = Quarter.of(today_in_denmark())  # the volunteers registered today count in it
    first = build_report(glostrup.id, quarter, None)
    again = build_report(glostrup.id, quarter, None)
    assert again == first and again is not first  # kept, and each caller gets its own copy
    volunteer(glostrup, first_name="Anna")
    db.session.commit()
    assert build_report(glostrup.id, quarter, None) != first


@pytest.mark.pg_only
def test_concurrent_writers_of_several_municipalities_never_deadlock_on_versions(pg_app):
    """Writers changing one, two (in either order) or every municipality (bulk statements) at
    once, on real PostgreSQL connections: each writes only its own rows, so the version rows are
    all they share. All commit, and every municipality ends with a version it had not had."""
    from sqlalchemy.orm import Session

    writers = 8
    with pg_app.app_context():
        municipalities = [make_municipality(code, f"Kommune {code}") for code in ("0161", "0101", "0147")]
        own = [[volunteer(m).id for m in municipalities] for _ in range(writers)]
        db.session.commit()
        seen = {m.id: {_version(m.id)} for m in municipalities}
        engine = db.engine
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Session(engine) as session:
                for round_ in range(15):
                    kind = (n + round_) % 4
                    if kind == 3:  # a bulk statement: every municipality gets a new version
                        session.execute(
                            Volunteer.__table__.update()
                            .where(Volunteer.id.in_(own[n]))
                            .values(postcode="2600")
                        )
                    else:  # one or two municipalities, in either order
                        for i in [kind] if n % 2 else [kind, (kind + 1) % 3][::-1]:
                            session.get(Volunteer, own[n][i]).phone = f"+45 {n:02d}{round_:02d} 0000"
                    session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with pg_app.app_context():
        assert all(_version(m) not in versions for m, versions in seen.items())


def test_a_version_read_with_the_account_serves_only_its_own_transaction(ctx):
    """web.load_user reads the account with its municipality's version; later reads in the same
    transaction use it, and the first read after a commit goes to the database again."""
    glostrup, copenhagen = make_municipality(), make_municipality("0101", "Københavns Kommune")
    db.session.commit()
    actual = _version(glostrup.id)
    derived.note_version(glostrup.id, 12345)
    assert derived.data_version(glostrup.id) == 12345
    assert derived.data_version(copenhagen.id) not in (None, 12345)  # another municipality is read
    db.session.commit()
    assert derived.data_version(glostrup.id) == actual

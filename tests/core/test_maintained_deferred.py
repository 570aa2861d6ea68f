"""Kept values under bulk writes (``maintained.deferred``): an import recomputes each row once, at
its end, and what the lists show afterwards is what the cases say."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.factories import adult, make_household, make_municipality, make_volunteer
from tests.support import recorded_statements, stored
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, Member
from volunteer_hub.families.services.households import add_member
from volunteer_hub.maintained import deferred
from volunteer_hub.matching.models import Match
from volunteer_hub.matching.rarity import pool_token
from volunteer_hub.volunteers.models import VolunteerStatus

FAMILIES = "ref,name,contact_name,postcode,arrival_on,languages,adults,children_ages,schemes,consent_on\n"
MATCHES = "family,volunteer,scheme,started_on\n"


def _writes(statements: list[str]) -> Counter[str]:
    """The UPDATE statements among ``statements``, counted by table and first column set."""
    found: Counter[str] = Counter()
    for statement in statements:
        written = re.match(r"\s*UPDATE \"?(\w+)\"? SET \"?(\w+)", statement)
        if written:
            found[".".join(written.groups())] += 1
    return found


def _import(app, tmp_path, kind: str, text: str):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", kind, str(path)])
    assert result.exit_code == 0, result.output
    return result


def test_an_import_keeps_every_value_right_and_recomputes_once(app, tmp_path):
    with app.app_context():
        glostrup = make_municipality()
        for n in range(6):
            make_volunteer(glostrup, ref=f"V{n}", email=f"v{n}@example.dk", status=VolunteerStatus.APPROVED)
        db.session.commit()
        token_before = pool_token(glostrup.id)
    rows = [
        f"F{n},Family {n},Contact {n},2600,2026-11-{10 + n:02},ar:native,2,4,family_buddy,2026-11-01"
        for n in range(6)
    ]
    with recorded_statements(app) as statements:
        _import(app, tmp_path, "families", FAMILIES + "\n".join(rows) + "\n")
        pairs = "".join(f"F{n},V{n},family_buddy,2026-12-0{n + 1}\n" for n in range(6))
        _import(app, tmp_path, "matches", MATCHES + pairs)
    writes = _writes(statements)
    # One recomputation per kept value and import, not one per household or match.
    assert writes["household.earliest_arrival_on"] == 1
    assert writes["household.first_owed_on"] == 1
    assert writes["household_member.municipality_id"] == 1
    assert writes["match.last_contact_on"] == 1
    assert writes["matching_pool_version.token"] == 1  # the families changed the pool: one new token
    with app.app_context():
        households = db.session.execute(sa.select(Household).order_by(Household.ref)).scalars().all()
        for n, household in enumerate(households):
            arrival = dt.date(2026, 11, 10 + n)
            assert (household.earliest_arrival_on, household.first_owed_on) == (arrival, arrival)
            assert {m.municipality_id for m in household.members} == {glostrup.id}
        matches = db.session.execute(sa.select(Match).order_by(Match.started_on)).scalars().all()
        assert [m.last_contact_on for m in matches] == [dt.date(2026, 12, n + 1) for n in range(6)]
        assert pool_token(glostrup.id) not in ("", token_before)


def test_a_deferred_block_recomputes_at_its_end_and_not_after_an_error(ctx):
    glostrup = make_municipality()
    household = make_household(glostrup, arrival=dt.date(2026, 11, 20))
    db.session.commit()

    with deferred(db.session()):
        with deferred(db.session()):  # a block inside another waits for the outer one
            partner = add_member(
                household,
                adult("Amanuel Haile", dt.date(2026, 10, 1)),
                expected_version=household.version_id,
                actor=None,
            )
            db.session.flush()
        assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 11, 20)
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 10, 1)
    assert household.earliest_arrival_on == dt.date(2026, 10, 1)  # the session's object reads it anew
    assert stored(Member, "municipality_id", partner.id) == glostrup.id
    db.session.commit()

    with pytest.raises(RuntimeError), deferred(db.session()):
        partner.arrival_on = dt.date(2026, 9, 1)
        db.session.flush()
        raise RuntimeError("the import found a problem")
    db.session.rollback()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 10, 1)

    # Outside a block, every flush recomputes again at once.
    db.session.get(Member, partner.id).arrival_on = dt.date(2026, 9, 15)
    db.session.flush()
    assert stored(Household, "earliest_arrival_on", household.id) == dt.date(2026, 9, 15)

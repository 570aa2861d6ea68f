"""Finding 9: the five answers the test found without a read event now record one.

``/matching/<id>``, its contact-card PDF, ``/matching/plan``, ``/familier/`` and
``GET /api/v1/households`` each write ``family.viewed`` for every household whose personal data
they show, with the user who saw it. tests/audit/test_case_reads.py covers every other page.
"""

from __future__ import annotations

from tests.audit.test_case_reads import _reads_of, world
from tests.support import login_as

__all__ = ["world"]  # the fixture, used by name


def test_each_route_the_pen_test_named_records_the_household_it_shows(app, client, world):
    login_as(client, world.coordinator)
    matched = {(world.matched_id, world.coordinator_id)}
    waiting = {(world.waiting_id, world.coordinator_id)}
    assert _reads_of(app, client, f"/matching/{world.match_id}") == matched
    assert _reads_of(app, client, f"/matching/{world.match_id}/kontaktkort.pdf") == matched
    assert _reads_of(app, client, "/matching/plan") == waiting
    assert _reads_of(app, client, "/familier/") == matched | waiting
    api = {"headers": {"Authorization": f"Bearer {world.api_secret}"}}
    assert _reads_of(app, client, "/api/v1/households", **api) == matched | waiting

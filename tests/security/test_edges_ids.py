"""Finding 7: a page id the database cannot hold is "not found", never a server error.

PostgreSQL refuses an INTEGER past 2**31 - 1 ("integer out of range"); before the id converter,
every page taking an id answered such a number with a 500 (105 answers over 44 route rules).
Every rule with an id in its path is called with ids past the range, by every method it takes,
as the administrator (who may call the most) and with a CSRF token, so only the id is wrong.
"""

from __future__ import annotations

import re

from tests.security.harness import csrf_for, iter_rules, methods_of, page_client
from volunteer_hub.core.roles import Role

TOO_LARGE = (2**31, 2**63, 10**30)
ID_IN_PATH = re.compile(r"<int:([^<>]+)>")


def test_every_route_answers_an_id_past_the_database_range_with_404(app, world):
    admin = world.viewer(Role.ADMIN.value)
    answers: dict[str, int] = {}
    rules = [rule for rule in iter_rules(app) if ID_IN_PATH.search(rule.rule)]
    assert len(rules) >= 40, "the routes that take an id were not found"
    for rule in rules:
        for number in TOO_LARGE:
            path = ID_IN_PATH.sub(str(number), rule.rule)
            for method in methods_of(rule):
                client = page_client(app, admin)
                data = {"csrf_token": csrf_for(client)} if method != "GET" else None
                answers[f"{method} {path}"] = client.open(path, method=method, data=data).status_code
    wrong = {call: status for call, status in answers.items() if status != 404}
    assert not wrong, f"{len(wrong)} of {len(answers)} calls were not 404: {sorted(wrong.items())[:10]}"


def test_an_id_within_the_range_still_reaches_the_page(app, world, client):
    """The converter refuses only what no row can have: a real household's page still opens."""
    admin = world.viewer(Role.ADMIN.value)
    household = world.records["household"][0]
    response = page_client(app, admin).get(f"/familier/{household.id}")
    assert response.status_code == 200
    assert page_client(app, admin).get("/familier/0").status_code == 404

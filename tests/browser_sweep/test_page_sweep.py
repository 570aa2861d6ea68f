"""Every staff and public page, as each role, on a phone (375 px) and a laptop (1,366 px).

On the Glostrup demo data, each page must fit the window's width without scrolling sideways
(``document.documentElement.scrollWidth <= innerWidth``), have no axe-core violation (WCAG 2.1
A/AA), and show no English interface text on a Danish page. One browser for the session and one
context per role and width keep the sweep to a couple of minutes; axe, the slow part, runs once per
page and width (the first role that sees it), since what it checks is the page's markup, which the
roles share. Which pages, and the explicit list of rules that are not pages: ``pages.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import axe_violations
from tests.browser_sweep.checks import danish_text, overflow, untranslated
from tests.browser_sweep.pages import ANONYMOUS, ROLES, pages_for, prepared_client, session_cookie

pytestmark = pytest.mark.browser

WIDTHS = (375, 1366)
AXE_DONE: set[tuple[str, int]] = set()


def _check(page: Any, url: str, *, axe: bool) -> list[str]:
    problems = []
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"answered {response.status if response else 'nothing'}"]
    measured = overflow(page)
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(f"{measured['scrollWidth']} px wide; too wide: {', '.join(measured['wide'])}")
    for violation in axe_violations(page) if axe else []:
        targets = [node["target"] for node in violation["nodes"]][:3]
        problems.append(f"axe {violation['id']} ({violation['impact']}) at {targets}")
    if page.locator("html").get_attribute("lang") == "da":
        english = untranslated(danish_text(page))
        if english:
            problems.append(f"English on a Danish page: {english}")
    return problems


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_page_fits_a_phone_and_a_laptop_is_accessible_and_translated(
    app, demo, live_server, _browser, role
):
    client = prepared_client(app, role)
    visits, unreached = pages_for(app, role, client)
    assert visits, f"no page found for {role}"
    problems = [f"{role}: no demo id opens {rule}" for rule in unreached]
    for width in WIDTHS:
        context = _browser.new_context(locale="da-DK", viewport={"width": width, "height": 800})
        context.add_cookies(session_cookie(app, client, live_server))
        page = context.new_page()
        try:
            for visit in visits:
                axe = (visit.endpoint, width) not in AXE_DONE
                AXE_DONE.add((visit.endpoint, width))
                for problem in _check(page, live_server + visit.url, axe=axe):
                    problems.append(f"{role} {width}px {visit.url} ({visit.endpoint}): {problem}")
        finally:
            context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_sweep_visits_the_staff_pages_the_issue_names(app, demo):
    """The pages issue 20 measured too wide on a phone are among those the sweep visits."""
    visits, unreached = pages_for(app, ROLES[3], prepared_client(app, ROLES[3]))
    assert unreached == []
    anonymous, _ = pages_for(app, ANONYMOUS, prepared_client(app, ANONYMOUS))
    assert "volunteers.register_check" in {visit.endpoint for visit in anonymous}
    endpoints = {visit.endpoint for visit in visits}
    named = {"families.list_cases", "notifications.outbox", "families.case", "matching.plan", "home.index"}
    assert named <= endpoints and "matching.detail" in endpoints
    assert ANONYMOUS in ROLES

"""The report's charts are readable on a phone: their text is drawn at about 12 px, not 6-9 px."""

from __future__ import annotations

import pytest

from tests.browser_sweep.pages import prepared_client, session_cookie
from volunteer_hub.core.roles import Role

pytestmark = pytest.mark.browser

TEXT_SIZES_JS = """() => [...document.querySelectorAll('svg.vh-chart')].map((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return 12 * scale;
})"""


@pytest.mark.parametrize(("width", "smallest", "largest"), [(375, 11, 14), (1366, 11, 18)])
def test_chart_text_is_readable_on_a_phone_and_not_huge_on_a_laptop(
    app, demo, live_server, _browser, width, smallest, largest
):
    client = prepared_client(app, Role.MUNICIPAL_COORDINATOR)
    context = _browser.new_context(locale="da-DK", viewport={"width": width, "height": 800})
    context.add_cookies(session_cookie(app, client, live_server))
    page = context.new_page()
    try:
        page.goto(f"{live_server}/reports/quarterly")
        sizes = page.evaluate(TEXT_SIZES_JS)
    finally:
        context.close()
    assert len(sizes) == 3
    assert all(smallest <= size <= largest for size in sizes), sizes

"""The volunteer's check-your-answers page on a phone: rows stacked, words kept whole."""

from __future__ import annotations

import pytest

from tests.browser_sweep.pages import ANONYMOUS, LONG_NAME, prepared_client, session_cookie

pytestmark = pytest.mark.browser

# How many line boxes the long surname takes: 1 means it was not split mid-word.
WORD_LINES_JS = """(word) => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const at = walker.currentNode.textContent.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(walker.currentNode, at);
      range.setEnd(walker.currentNode, at + word.length);
      return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
    }
  }
  return 0;
}"""


def test_check_your_answers_keeps_words_whole_on_a_phone(app, demo, live_server, _browser):
    client = prepared_client(app, ANONYMOUS)  # has filled in every step, with a long surname
    context = _browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    context.add_cookies(session_cookie(app, client, live_server))
    page = context.new_page()
    try:
        page.goto(f"{live_server}/bliv-frivillig/tjek")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.evaluate(WORD_LINES_JS, LONG_NAME) == 1, "the surname is split across lines"
    finally:
        context.close()

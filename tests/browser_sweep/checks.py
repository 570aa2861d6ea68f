"""What the sweep checks on each page: sideways overflow, axe, and English left on a Danish page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "volunteer_hub/translations/da/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
WORD = re.compile(r"[A-Za-z]{2,}")

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) {
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      const spill = style.overflowX === 'visible' ? element.scrollWidth - element.clientWidth : 0;
      if (box.width > 0 && (box.right > width + 1 || (spill > 1 && box.right + spill > width + 1))) {
        if (style.visibility === 'hidden' || style.position === 'fixed') continue;
        let name = element.tagName.toLowerCase();
        if (element.id) name += '#' + element.id;
        if (element.classList.length) name += '.' + [...element.classList].join('.');
        wide.push(name + ' (' + Math.round(box.right) + ')');
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(-4)};
}"""


@cache
def english_phrases() -> tuple[str, ...]:
    """Interface texts (their literal parts) whose Danish translation differs: seen in a Danish
    page, they are English that was not translated. Only phrases of three or more words, so that a
    name or a word both languages share ("Status", "PDF") is not taken for English."""
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle, locale="da")
    phrases: set[str] = set()
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for part in PLACEHOLDER.split(english):
                part = part.strip(" .,:;()–-\n")
                if len(WORD.findall(part)) >= 3 and not any(part in danish for danish in strings):
                    phrases.add(" ".join(part.split()))
    return tuple(sorted(phrases, key=len, reverse=True))


def untranslated(text: str) -> list[str]:
    """The English interface phrases in a page's visible ``text``."""
    flat = " ".join(text.split())
    return [phrase for phrase in english_phrases() if phrase in flat][:5]


DANISH_TEXT_JS = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang|="da"])').forEach((element) => element.remove());
  return copy.textContent;
}"""


def danish_text(page: Any) -> str:
    """The page's text outside parts marked as another language (a family's e-mail subject)."""
    return page.evaluate(DANISH_TEXT_JS)


def overflow(page: Any) -> dict[str, Any]:
    return page.evaluate(OVERFLOW_JS)

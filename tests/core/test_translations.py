"""Every text in the interface has a Danish translation that is neither missing nor fuzzy."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("volunteer_hub/**.py", "python"),
    ("volunteer_hub/templates/**.html", "jinja2"),
    ("volunteer_hub/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_text_is_translated_to_danish():
    with open(ROOT / "volunteer_hub/translations/da/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="da")
    problems = []
    for message_id in sorted(_source_messages()):
        entry = catalog.get(message_id)
        if entry is None or not entry.string:
            problems.append(f"missing: {message_id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message_id!r}")
    assert problems == [], "run `make messages` and translate:\n" + "\n".join(problems)

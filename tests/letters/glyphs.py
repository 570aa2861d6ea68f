"""Checks that every character on a page or in a PDF was drawn with a font that has a glyph for it.

A missing glyph ("tofu", a box) happens when no font in use has the character. So the
checks ask two things: which fonts did the renderer actually use, and does one of them
cover each character. Coverage comes from the font files' own cmap tables (fontTools,
which WeasyPrint already depends on), found through fontconfig for system fonts and in
the design system's folder for its web font.

- Browser: Chromium reports, per element, the platform fonts it used for the element's
  text (DevTools protocol, ``CSS.getPlatformFontsForNode``).
- PDF: ``pdffonts`` lists the fonts WeasyPrint embedded and ``pdftotext`` gives the text
  back through the PDF's ToUnicode maps; a box drawn for a character no font has still
  maps back to that character, so it shows up as uncovered.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR_FONTS = ROOT / "volunteer_hub" / "static" / "vendor"
ARABIC = re.compile(r"[\u0600-\u06FF]")
ETHIOPIC = re.compile(r"[\u1200-\u137F]")


def require_tools(*tools: str) -> None:
    """Fail under CI (VH_REQUIRE_BROWSER=1), else skip, when poppler or fontconfig is missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: run `make browser-deps` (poppler-utils, fontconfig)"
    if os.environ.get("VH_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@functools.cache
def _vendor_fonts() -> dict[str, list[str]]:
    from fontTools.ttLib import TTFont

    found: dict[str, list[str]] = {}
    for path in VENDOR_FONTS.glob("**/ttf/*.ttf"):
        font = TTFont(str(path), lazy=True)
        try:
            # Chromium may report the legacy family ("IBM Plex Sans SemiBold"), the full name
            # or the typographic one.
            names = {font["name"].getDebugName(name_id) for name_id in (1, 4, 6, 16)} - {None}
        finally:
            font.close()
        for name in names:
            found.setdefault(name, []).append(str(path))
    return found


@functools.cache
def font_files(family: str) -> tuple[str, ...]:
    """The files of ``family``: installed ones (fontconfig), else the design system's web font."""
    result = subprocess.run(
        ["fc-list", "--format", "%{file}\n", f":family={family}"], capture_output=True, text=True, check=True
    )
    files = [line for line in result.stdout.splitlines() if line]
    return tuple(files or _vendor_fonts().get(family, []))


@functools.cache
def coverage(family: str) -> frozenset[int]:
    """Every code point some style of ``family`` has a glyph for."""
    points: set[int] = set()
    for path in font_files(family):
        points |= _cmap(path)
    return frozenset(points)


def needs_glyph(char: str) -> bool:
    """Spaces, controls and format characters (bidi marks, ZWNJ) are not drawn."""
    return unicodedata.category(char) not in {"Zs", "Zl", "Zp", "Cc", "Cf"}


def uncovered(text: str, families: list[str]) -> set[str]:
    """Characters of ``text`` that none of ``families`` has a glyph for."""
    covered: set[int] = set()
    for family in families:
        covered |= coverage(family)
    return {c for c in text if needs_glyph(c) and ord(c) not in covered}


# --- Browser -------------------------------------------------------------------------

_MARK_TEXT_ELEMENTS = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const text = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join('').trim();
    if (text && el.getClientRects().length) {
      el.setAttribute('data-glyph-check', String(found.length));
      found.push(text);
    }
  }
  return found;
}"""


def browser_fonts(page: Any) -> list[tuple[str, list[str]]]:
    """For every rendered element with text of its own: the text and the fonts Chromium drew it with."""
    texts = page.evaluate(_MARK_TEXT_ELEMENTS)
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node_ids = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-check]"})[
            "nodeIds"
        ]
        result = []
        for node_id in node_ids:
            attributes = session.send("DOM.getAttributes", {"nodeId": node_id})["attributes"]
            index = int(attributes[attributes.index("data-glyph-check") + 1])
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            result.append((texts[index], [font["familyName"] for font in fonts]))
        return result
    finally:
        session.detach()


def missing_glyphs_in_page(page: Any) -> list[str]:
    """Problems found: characters drawn with no font that has them, per element."""
    problems = []
    for text, families in browser_fonts(page):
        missing = uncovered(text, families)
        if missing:
            points = ", ".join(f"U+{ord(c):04X}" for c in sorted(missing))
            problems.append(f"{text[:40]!r} drawn with {families}: no glyph for {points}")
    return problems


# --- PDF -----------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext gives it back (from the glyphs' ToUnicode maps)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_font_families(path: Path) -> dict[str, bool]:
    """Embedded font families (``ABCDEF+Noto-Naskh-Arabic-Bold`` -> ``Noto Naskh Arabic``) -> embedded?"""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    families: dict[str, bool] = {}
    for line in out.splitlines()[2:]:
        columns = line.split()
        name = columns[0].split("+", 1)[-1]
        name = re.sub(r"-(Bold|Italic|BoldItalic|Regular)$", "", name)
        embedded = columns[-5] == "yes"  # emb, sub, uni, object number, generation
        families[name.replace("-", " ")] = families.get(name.replace("-", " "), True) and embedded
    return families


def missing_glyphs_in_pdf(path: Path) -> set[str]:
    """Characters in the PDF that no embedded font has a glyph for (each would print as a box)."""
    return uncovered(pdf_text(path), list(pdf_font_families(path)))


def _bare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(c) == "Cf" else c for c in text)  # bidi marks, ZWNJ
    return re.sub(r"[\u064B-\u065F\u0670]", "", text)  # Arabic vowel marks


def words(text: str) -> set[str]:
    """The words of a text, without bidi controls, joiners or Arabic vowel marks."""
    return {w for w in re.findall(r"[^\W_]+", _bare(text)) if len(w) > 1}


def missing_words(expected: str, pdf_text: str) -> set[str]:
    """Words of ``expected`` that pdftotext's output lacks.

    pdftotext reorders right-to-left lines and puts Arabic vowel marks, and sometimes a
    space, apart from their letters; so each bare word is looked for in the output with
    all spaces removed, which keeps the letters of a word in order.
    """
    squashed = re.sub(r"\s+", "", _bare(pdf_text))
    return {w for w in words(expected) if w not in squashed}

"""Letters as PDF: the right language's text, fonts that cover the script, no boxes, right to left."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import make_municipality
from tests.letters.glyphs import (
    missing_glyphs_in_pdf,
    missing_words,
    pdf_font_families,
    pdf_text,
    require_tools,
)
from volunteer_hub.core.languages import _f, family_language
from volunteer_hub.extensions import db
from volunteer_hub.letters import rendering
from volunteer_hub.letters.data import sample_contact_card, sample_welcome_letter
from volunteer_hub.letters.models import LetterKind
from volunteer_hub.letters.texts import default_letter_text, fill_in_plain

SCRIPT_FONT = {
    "ar": "Noto Naskh Arabic",
    "fa": "Noto Naskh Arabic",
    "prs": "Noto Naskh Arabic",
    "ps": "Noto Naskh Arabic",
    "ti": "Noto Sans Ethiopic",
}


@pytest.fixture(autouse=True)
def _tools():
    require_tools("pdftotext", "pdffonts", "pdftoppm", "fc-list")


def _write(tmp_path: Path, name: str, pdf: bytes) -> Path:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _expected_text(kind: LetterKind, data) -> str:
    """What the letter must say: its whole default text filled in, and a few labels."""
    text = default_letter_text(kind, data.language)
    filled = fill_in_plain(text.title + "\n" + text.body, data.placeholders())
    with family_language(data.language):
        labels = [_f("Phone"), _f("Languages")] if kind == LetterKind.CONTACT_CARD else [_f("Kind regards")]
    return filled + " " + " ".join(labels)


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_contact_card_pdf_has_the_language_the_script_font_and_no_missing_glyphs(ctx, tmp_path, language):
    municipality = make_municipality()
    db.session.commit()
    data = sample_contact_card(municipality.id, municipality.name, language)
    path = _write(tmp_path, "card.pdf", rendering.render_contact_card_pdf(data))

    assert missing_words(_expected_text(LetterKind.CONTACT_CARD, data), pdf_text(path)) == set()
    assert "mette.frivillig" in pdf_text(path) and "+45 12 34 56 78" in pdf_text(path)
    fonts = pdf_font_families(path)
    assert fonts.get(SCRIPT_FONT[language]) is True, fonts  # embedded
    assert all(fonts.values()), f"a font is not embedded: {fonts}"
    assert missing_glyphs_in_pdf(path) == set()


@pytest.mark.parametrize("language", ["ar", "ti", "fa", "prs", "ps", "uk", "ku", "so", "da"])
def test_welcome_letter_pdf_in_every_language_prints_every_character(ctx, tmp_path, language):
    municipality = make_municipality()
    db.session.commit()
    data = sample_welcome_letter(municipality.id, municipality.name, "Hanne Demo Borgmester", "", language)
    path = _write(tmp_path, "welcome.pdf", rendering.render_welcome_letter_pdf(data))
    assert missing_words(_expected_text(LetterKind.WELCOME_LETTER, data), pdf_text(path)) == set()
    assert missing_glyphs_in_pdf(path) == set()
    if language in SCRIPT_FONT:
        assert pdf_font_families(path).get(SCRIPT_FONT[language]) is True


def test_the_missing_glyph_check_finds_a_box(ctx, tmp_path):
    """The check is not vacuous: a character no installed font has is reported."""
    from weasyprint import HTML

    pdf = HTML(string='<p lang="en">ab\u0378c</p>').write_pdf()
    path = _write(tmp_path, "box.pdf", pdf)
    assert missing_glyphs_in_pdf(path) == {"\u0378"}


def _aligned_lines(path: Path, tmp_path: Path) -> tuple[int, int]:
    """How many text lines of the page image start at the left margin, and how many end at the right one."""
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    pixels = image.load()
    lines, current = [], None
    for y in range(height):
        inked = [x for x in range(width) if pixels[x, y] < 128]
        if inked:
            left, right = min(inked), max(inked)
            current = (min(current[0], left), max(current[1], right)) if current else (left, right)
        elif current:
            lines.append(current)
            current = None
    margin_left = min(left for left, _ in lines)
    margin_right = max(right for _, right in lines)
    at_left = sum(1 for left, _ in lines if left - margin_left <= 4)
    at_right = sum(1 for _, right in lines if margin_right - right <= 4)
    return at_left, at_right


def test_arabic_letter_image_is_laid_out_right_to_left(ctx, tmp_path):
    municipality = make_municipality()
    db.session.commit()
    pages = {}
    for language in ("ar", "da"):
        data = sample_welcome_letter(municipality.id, municipality.name, "Hanne", "", language)
        pages[language] = _aligned_lines(
            _write(tmp_path, f"{language}.pdf", rendering.render_welcome_letter_pdf(data)), tmp_path
        )
    ar_left, ar_right = pages["ar"]
    da_left, da_right = pages["da"]
    # Ragged lines end at the right margin in Arabic and start at the left margin in Danish.
    assert ar_right > ar_left + 3, pages
    assert da_left > da_right + 3, pages

"""The printed contact card carries a QR code to the family's private link: read back from the PDF."""

from __future__ import annotations

import io

import sqlalchemy as sa
import zxingcpp
from pypdf import PdfReader

from tests.answers.helpers import approved_match
from tests.support import login_as
from volunteer_hub.extensions import db
from volunteer_hub.letters.models import FamilyLink


def _qr_codes_in(pdf: bytes) -> list[str]:
    """The QR codes found in the PDF's images (as embedded, decoded by zxing-cpp), each once."""
    found: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            for result in zxingcpp.read_barcodes(image.image):
                if result.format == zxingcpp.BarcodeFormat.QRCode and result.text not in found:
                    found.append(result.text)
    return found


def test_the_coordinators_printed_card_has_a_code_that_opens_a_new_private_link(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="ti")
        links_before = db.session.execute(sa.select(sa.func.count()).select_from(FamilyLink)).scalar_one()
    login_as(client, glostrup.coordinator_login)
    response = client.get(f"/matching/{made.match_id}/kontaktkort.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (url,) = _qr_codes_in(response.data)
    assert url.startswith(app.config["PUBLIC_BASE_URL"].rstrip("/") + "/k/")
    with app.app_context():
        assert (
            db.session.execute(sa.select(sa.func.count()).select_from(FamilyLink)).scalar_one()
            == links_before + 1
        )
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    page = client.get(url.removeprefix(app.config["PUBLIC_BASE_URL"].rstrip("/")))
    assert page.status_code == 200
    assert "ተራኺብና ኢና" in page.get_data(as_text=True)  # the card, with the family's choices


def test_the_pdf_the_family_downloads_carries_the_code_of_its_own_link(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="ar")
    response = client.get(f"/k/{made.token}/pdf")
    assert response.status_code == 200
    assert _qr_codes_in(response.data) == [app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/k/{made.token}"]

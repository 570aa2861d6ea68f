"""A QR code for a private link on the printed contact card (issue 22: "scan this code").

The code is a PNG (black on white, a quiet zone of 4 modules) as a data URI, so the page
and the PDF need no external asset and the Content-Security-Policy's ``img-src data:`` allows it.
"""

from __future__ import annotations

import segno

MODULE_PIXELS = 8  # each module 8 px: crisp when printed at the card's size, easy for a phone


def qr_data_uri(url: str) -> str:
    """The PNG QR code (error correction M) of ``url`` as a ``data:image/png;base64,...`` URI."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=MODULE_PIXELS, border=4)

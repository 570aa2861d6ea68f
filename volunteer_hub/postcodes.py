"""Danish postcodes (GeoNames, CC BY): validation and the post town's name."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

POSTCODES_FILE = Path(__file__).resolve().parent / "data" / "dk_postcodes.csv"


@lru_cache(maxsize=1)
def _postcodes() -> dict[str, str]:
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["postcode"]: row["name"] for row in csv.DictReader(handle)}


def is_valid_postcode(code: str | None) -> bool:
    """True when ``code`` is a known four-digit Danish postcode."""
    return bool(code) and len(code) == 4 and code.isdigit() and code in _postcodes()


def postcode_town(code: str | None) -> str:
    """The post town of ``code`` (e.g. "Glostrup" for 2600), or "" when unknown."""
    return _postcodes().get(code or "", "")

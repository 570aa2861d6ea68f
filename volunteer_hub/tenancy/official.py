"""The official list of Denmark's 98 municipalities (``data/dk_municipalities.csv``, Danmarks Statistik)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "dk_municipalities.csv"
CODE_PATTERN = re.compile(r"\d{4}")


@cache
def official_municipalities() -> dict[str, str]:
    """Kommunekode (four digits, leading zero kept) -> the municipality's official name."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def official_name(code: str) -> str | None:
    """The official name for ``code``, or None when it is not one of the 98 kommunekoder."""
    return official_municipalities().get(code)

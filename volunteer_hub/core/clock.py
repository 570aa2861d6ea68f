"""The clock: today's date in Denmark, where deadlines and quarters are counted in local calendar days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def local_today() -> dt.date:
    """The current date in Europe/Copenhagen (a server in UTC is an hour or two behind)."""
    return dt.datetime.now(DANISH_TIME).date()

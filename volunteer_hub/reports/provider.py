"""Where the report's figures come from: a provider registered on the app.

The application registers ``db_provider.DatabaseReportProvider``, which counts the report in
SQL. Tests and benchmarks may register instead a provider of plain facts (``data.ReportInput``,
counted by the pure ``quarterly``) with ``register_report_provider(app, provider)``. With
neither, ``EmptyReportProvider`` answers: a municipality with no facts, all zeros.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Protocol, runtime_checkable

from flask import Flask, current_app

from volunteer_hub.core.clock import local_today
from volunteer_hub.reports.data import ReportInput

PROVIDER_KEY = "vh_report_provider"
# A quarter ends at midnight Danish time.
today_in_denmark = local_today


_pause_lock = threading.Lock()
_pauses = 0  # reports being built right now (threads of this process)
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector switched off.

    A report at national scale builds some 100,000 small objects (rows and facts) that are all
    alive until the report is done and contain no reference cycles: every collection on the way
    walks them, and the process's other objects, for nothing. That was about half the time of
    the report. Reference counting still frees everything as usual; the collector is switched
    back on when the last report being built in the process is done (so two threads building
    reports at once cannot leave it off), and only if it was on before.
    """
    global _pauses, _collector_was_enabled
    with _pause_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                gc.enable()


@runtime_checkable
class ReportDataProvider(Protocol):
    """Loads the facts of one municipality for a report.

    ``load(municipality_id, start, end, organisation_id=None)`` returns a ``ReportInput`` with
    ``as_of`` = the day the facts describe (normally ``today_in_denmark()``) and:

    - ``volunteers``: every volunteer of the municipality registered on or before ``end``, with
      the status history that tells their status on any day (``VolunteerFact``);
    - ``households``: every household registered on or before ``end``, and those that arrived
      on or before ``end`` (the welcome-letter and housing figures count arrivals);
    - ``adults``: the adults of those households (introduction-internship deadlines);
    - ``matches``: every match (approved or imported pair) of the municipality that started on
      or before ``end``, whatever its organisation, with ``organisation_id`` = the volunteer's
      organisation when the match was made;
    - ``meetings``: the meetings logged for those matches on days from ``start`` to ``end``.

    ``start`` is the first day the report looks at: the first day of the quarter *before* the
    reported one, because the report compares with it. ``organisation_id`` says which
    organisation the report is for; the provider must still return the whole municipality (the
    core needs every household and match to find first matches and waiting households, and
    narrows to the organisation itself). Facts outside the range may be included; the core
    ignores what it does not need. The provider reads; it never writes.
    """

    def load(
        self, municipality_id: int, start: date, end: date, organisation_id: int | None = None
    ) -> ReportInput: ...


class EmptyReportProvider:
    """The provider until the volunteer, household and match models are merged: no facts."""

    def load(
        self, municipality_id: int, start: date, end: date, organisation_id: int | None = None
    ) -> ReportInput:
        return ReportInput(as_of=today_in_denmark())


def register_report_provider(app: Flask, provider: ReportDataProvider) -> None:
    """Make ``provider`` the source of every report of ``app`` (the page, exports and CLI)."""
    if not isinstance(provider, ReportDataProvider):
        raise TypeError("a report provider needs a load(municipality_id, start, end, organisation_id) method")
    app.extensions[PROVIDER_KEY] = provider


def get_report_provider() -> ReportDataProvider:
    """The current app's provider (the empty one if none was registered)."""
    return current_app.extensions.get(PROVIDER_KEY) or EmptyReportProvider()

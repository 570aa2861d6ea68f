"""The report's source in the application: counted in the database (``reports.sql``)."""

from __future__ import annotations

from typing import Any

from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.sql import compute_report


class DatabaseReportProvider:
    """Counts each report in SQL over the quarter's rows, at every request (read only)."""

    def report(
        self,
        municipality_id: int,
        quarter: Quarter,
        organisation: OrganisationRef | None,
        valid_months: int,
    ) -> dict[str, Any]:
        """The report of ``quarter`` for the municipality or one of its organisations."""
        return compute_report(municipality_id, quarter, organisation, valid_months)

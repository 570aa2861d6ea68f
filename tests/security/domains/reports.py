"""The quarterly report: the page, its CSV/XLSX/PDF exports, and finalising.

The ``organisation`` query parameter chooses whose report: an organisation's id, or empty
for the whole municipality. Partner coordinators get their own organisation's report only
(without the parameter, or with their own id; anything else is 404); municipal staff get
their municipality's or any of its organisations'. Exports need a recent sign-in.
"""

from __future__ import annotations

from tests.security.harness import (
    MUNICIPAL_STAFF,
    STAFF,
    Owner,
    RecordParam,
    Route,
    World,
    organisation_staff,
)

ORDER = 50

# An organisation's report: its partner coordinators and the municipality's staff. The whole
# municipality's report (the empty value) is an "organisation" of no organisation, which
# the same rule gives to municipal staff only.
REPORT_SCOPE = RecordParam("report_scope", organisation_staff)


def seed(world: World) -> None:
    for key in ("A1", "A2", "B1"):
        world.add_record("report_scope", world.organisation_ids[key], Owner(key[0], key))
    world.add_record("report_scope", "", Owner("A"))  # type: ignore[arg-type] - the municipality's


ROUTES = [
    Route("reports.quarterly", STAFF, query={"organisation": REPORT_SCOPE}),
    Route(
        "reports.export",
        STAFF,
        params={"fmt": ["csv", "xlsx", "pdf"]},
        query={"organisation": REPORT_SCOPE},
        reauth=True,
    ),
    Route(
        "reports.finalise",
        MUNICIPAL_STAFF,
        ok={"POST": (302,)},
        note="finalises the last quarter, or says it already is",
    ),
]

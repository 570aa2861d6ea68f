"""A report provider that serves the hand-counted dataset, mapped onto real organisation rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from tests.reports.dataset import DFH, GLOSTRUP, RK
from tests.support import Glostrup
from volunteer_hub.reports.data import ReportInput
from volunteer_hub.reports.provider import PROVIDER_KEY, register_report_provider


class FixedProvider:
    """Returns ``data`` for every load and remembers what it was asked."""

    def __init__(self, data: ReportInput) -> None:
        self.data = data
        self.calls: list[tuple[int, date, date, int | None]] = []

    def load(
        self, municipality_id: int, start: date, end: date, organisation_id: int | None = None
    ) -> ReportInput:
        self.calls.append((municipality_id, start, end, organisation_id))
        return self.data


def remap_organisations(data: ReportInput, ids: dict[int, int]) -> ReportInput:
    """The dataset with its organisation ids (10, 20) replaced by database ids."""

    def new(old: int | None) -> int | None:
        return ids.get(old, old) if old is not None else None

    return dataclasses.replace(
        data,
        volunteers=tuple(
            dataclasses.replace(v, organisation_id=new(v.organisation_id)) for v in data.volunteers
        ),
        matches=tuple(dataclasses.replace(m, organisation_id=new(m.organisation_id)) for m in data.matches),
    )


@dataclasses.dataclass(frozen=True)
class ReportedGlostrup(Glostrup):
    """The shared Glostrup, with the provider that serves the hand-counted dataset for it."""

    provider: FixedProvider


@pytest.fixture
def glostrup(app, glostrup: Glostrup) -> Iterator[ReportedGlostrup]:
    """The shared Glostrup, its Røde Kors and DFH standing for the dataset's, served by the provider."""
    ids = {RK.id: glostrup.red_cross_id, DFH.id: glostrup.refugee_council_id}
    provider = FixedProvider(remap_organisations(GLOSTRUP, ids))
    previous = app.extensions.get(PROVIDER_KEY)
    register_report_provider(app, provider)
    fields = {f.name: getattr(glostrup, f.name) for f in dataclasses.fields(glostrup)}
    yield ReportedGlostrup(**fields, provider=provider)
    app.extensions[PROVIDER_KEY] = previous

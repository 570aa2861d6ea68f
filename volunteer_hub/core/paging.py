"""One page of a long list, and how many pages a list makes (the volunteer, match and case lists)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and its total (``side`` in the URL; macros/pagination.html shows it)."""

    items: list[T]
    total: int
    page: int
    per_page: int
    # The volunteer list's columns, by volunteer id, read as plain rows (not as ORM collections):
    languages: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # [(code, level)]
    schemes: dict[int, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows make (at least one, the empty list's)."""
    return max(1, math.ceil(total / per_page))

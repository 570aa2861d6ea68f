"""Quarters and calendar-month arithmetic, pure date helpers for the report."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Quarter:
    """A calendar quarter: the closed date range ``start``..``end``."""

    year: int
    quarter: int
    start: date = field(init=False, repr=False, compare=False)
    end: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1, 2, 3 or 4, not {self.quarter}")
        if not 1 <= self.year <= 9998:
            raise ValueError(f"year {self.year} is out of range")
        month = 3 * self.quarter
        # Computed once: the report asks for them hundreds of thousands of times.
        object.__setattr__(self, "start", date(self.year, month - 2, 1))
        object.__setattr__(self, "end", date(self.year, month, calendar.monthrange(self.year, month)[1]))

    def previous(self) -> Quarter:
        """The quarter before this one (Q1's previous is Q4 of the year before)."""
        if self.quarter == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.quarter - 1)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months (negative: minus); the day is clamped to the month.

    2026-01-31 + 1 -> 2026-02-28; 2027-11-30 + 3 -> 2028-02-29 (leap year).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= 28:  # every month has the day: no clamping (the common, fast case)
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: date, months: int) -> date:
    """``day`` minus whole calendar months, as the matcher's certificate rule counts them."""
    return add_months(day, -months)


def last_completed_quarter(today: date) -> Quarter:
    """The newest quarter that has ended before ``today``."""
    return Quarter.of(today).previous()

"""Bar charts drawn on the server as SVG: no JavaScript, no inline styles (the CSP forbids them).

Colours and fonts are SVG presentation attributes (``fill=``), which the CSP allows. A chart
is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``, which
points to the data table beside it: the table, not the picture, is what a screen reader
reads. A hidden (``<5``) value is drawn as no bar with the text ``<5``, so the picture never
reveals what the table hides.

The drawing is narrow (``WIDTH`` units, about a phone's width in CSS pixels): each category's
name stands on its own line above its bars, so the chart is shown near 1:1 on a phone and its
12-unit text stays about 12 px, instead of a wide drawing shrunk to 6-9 px text. The page's CSS
caps its width on a desktop so that the text does not grow large either. The same SVG goes into
the PDF. Numbers are written by ``core.formatting`` in the interface language.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from volunteer_hub.core.formatting import format_number

COLOURS = ("#1f5c99", "#a35200", "#2e7d32")
"""Series colours, each at least 4.5:1 against white."""
TEXT = "#1a1a1a"
WIDTH = 360
VALUE_ROOM = 56
BAR_ROOM = WIDTH - VALUE_ROOM
CHAR_WIDTH = 6.6  # a generous average width of a 12px sans-serif character
LINE = 16
BAR = 14
GAP = 10


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[float | int | str | None]  # a str is a hidden value, e.g. "<5"


def _number(value: float | int | str | None) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, int(WIDTH / CHAR_WIDTH)) or [""]


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """The legend's swatches and names, wrapped onto as many rows as the width needs."""
    parts: list[str] = []
    x, y = 0, 4
    for index, item in enumerate(series):
        width = round(24 + CHAR_WIDTH * len(item.label))
        if x and x + width > WIDTH:
            x, y = 0, y + LINE + 2
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 10}">{escape(item.label)}</text>')
        x += width
    return parts, y + LINE + 8


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    formatter: Callable[[Any], str] = format_number,
) -> Markup:
    """A horizontal grouped bar chart: one group per category (its name above), one bar per series."""
    largest = max((_number(v) for s in series for v in s.values), default=0.0) or 1.0
    parts, y = _legend(series)
    body: list[str] = []
    for row, category in enumerate(categories):
        for line in _lines(category):
            body.append(f'<text x="0" y="{y + 12}" font-weight="bold">{escape(line)}</text>')
            y += LINE
        for index, item in enumerate(series):
            value = item.values[row]
            length = round(BAR_ROOM * _number(value) / largest, 1)
            colour = COLOURS[index % len(COLOURS)]
            if length > 0:
                body.append(
                    f'<rect x="0" y="{y + 1}" width="{length:g}" height="{BAR - 2}" fill="{colour}"/>'
                )
            body.append(f'<text x="{length + 4:g}" y="{y + BAR - 3}">{escape(formatter(value))}</text>')
            y += BAR
        y += GAP
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vh-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {y}" '
        f'width="100%" focusable="false" font-family="sans-serif" font-size="12" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    legend, bars = "<g>" + "".join(parts) + "</g>", '<g class="vh-bars">' + "".join(body) + "</g>"
    return Markup("".join([*head, legend, bars, "</svg>"]))  # noqa: S704  # nosec B704 - every text above is escaped

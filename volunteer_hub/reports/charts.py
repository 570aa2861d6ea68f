"""Bar charts drawn on the server as SVG: no JavaScript, no inline styles (the CSP forbids them).

Colours and fonts are SVG presentation attributes (``fill=``), which the CSP allows. A chart
is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``, which
points to the data table beside it: the table, not the picture, is what a screen reader
reads. A hidden (``<5``) value is drawn as no bar with the text ``<5``, so the picture never
reveals what the table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

COLOURS = ("#1f5c99", "#a35200", "#2e7d32")
"""Series colours, each at least 4.5:1 against white."""
TEXT = "#1a1a1a"
BAR_ROOM = 320
VALUE_ROOM = 40
CHAR_WIDTH = 6.6  # a generous average width of a 12px sans-serif character
BAR = 14
GAP = 14
LEGEND = 30


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[float | int | str | None]  # a str is a hidden value, e.g. "<5"


def _number(value: float | int | str | None) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _text(value: float | int | str | None, decimal_comma: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    decimal_comma: bool = True,
) -> Markup:
    """A horizontal grouped bar chart: one group per category, one bar per series."""
    group = len(series) * BAR + GAP
    height = LEGEND + len(categories) * group + 4
    largest = max((_number(v) for s in series for v in s.values), default=0.0) or 1.0
    label_width = round(min(max(len(c) for c in categories) * CHAR_WIDTH + 12, 360)) if categories else 80
    legend_width = sum(24 + CHAR_WIDTH * len(item.label) for item in series)
    width = max(label_width + BAR_ROOM + VALUE_ROOM, round(legend_width))
    room = width - label_width - VALUE_ROOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vh-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" focusable="false" font-family="sans-serif" font-size="12" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    x = 0
    for index, item in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="16">{escape(item.label)}</text>')
        x += round(24 + CHAR_WIDTH * len(item.label))
    for row, category in enumerate(categories):
        top = LEGEND + row * group
        middle = top + len(series) * BAR / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle + 4:g}" text-anchor="end">{escape(category)}</text>'
        )
        for index, item in enumerate(series):
            value = item.values[row]
            y = top + index * BAR
            length = round(room * _number(value) / largest, 1)
            colour = COLOURS[index % len(COLOURS)]
            if length > 0:
                parts.append(
                    f'<rect x="{label_width}" y="{y + 1}" width="{length:g}" height="{BAR - 2}" '
                    f'fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{label_width + length + 4:g}" y="{y + BAR - 3}">'
                f"{escape(_text(value, decimal_comma))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every text above is escaped

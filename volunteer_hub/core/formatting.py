"""Numbers, shares and scores as text in the interface language: the one place that decides.

Everything goes through Babel with the current locale (Danish outside a request), so a Danish
page shows ``1.234``, ``23,5``, ``45,5 %`` and a score as ``0,78``, an English one ``1,234``,
``23.5``, ``45.5%`` and ``0.78``. Registered as the Jinja filters ``number``, ``percent``,
``percent_points`` and ``score`` (``register_filters``).

- A share (0.455) is always shown as a percentage with at most one decimal, never as 0,455.
- A change of a share is in percentage points (``-14,5 procentpoint``), so that it is not read
  as a relative change.
- A matching score (and a factor's contribution to it) is shown with two decimals.
- ``None`` is shown as ``–``; text (``<5``, a date) is shown as it is.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from flask import Flask, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

MISSING = "–"
SCORE_FORMAT = "0.00"


def current_locale() -> Locale:
    """The interface language's locale; Danish outside a request (CLI, exports in a job)."""
    locale = get_locale() if has_request_context() else None
    return locale or Locale.parse("da")


def _plain(value: Any) -> str | None:
    if value is None:
        return MISSING
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return None


def format_number(value: Any, *, signed: bool = False, decimals: int | None = None) -> str:
    """A count or a measure (``1.234``, ``23,5``); ``+`` before a rise when ``signed``."""
    text = _plain(value)
    if text is not None:
        return text
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    text = format_decimal(value, format=pattern, locale=current_locale())
    return "+" + text if signed and value > 0 else text


def format_percent(share: Any, *, signed: bool = False) -> str:
    """A share (0.455) as a percentage, ``45,5 %``; ``+`` before a rise when ``signed``."""
    text = _plain(share)
    if text is not None:
        return text
    # At most one decimal (0.1 percentage point), in the locale's own pattern ("45,5 %", "45.5%").
    text = babel_percent(round(share, 3), locale=current_locale(), decimal_quantization=False)
    return "+" + text if signed and share > 0 else text


def format_percent_points(change: Any) -> str:
    """A change of a share (-0.145) in percentage points: ``-14,5 procentpoint``."""
    text = _plain(change)
    if text is not None:
        return text
    points = format_number(round(change * 100, 1), signed=True)
    return _("%(points)s percentage points", points=points)


def format_score(score: Any) -> str:
    """A matching score or a factor's contribution, with two decimals: ``0,78``."""
    text = _plain(score)
    if text is not None:
        return text
    return format_decimal(score, format=SCORE_FORMAT, locale=current_locale())


def register_filters(app: Flask) -> None:
    """The formats as Jinja filters: ``{{ n|number }}``, ``{{ s|percent }}``, ``{{ x|score }}``."""
    app.jinja_env.filters.update(
        number=format_number,
        percent=format_percent,
        percent_points=format_percent_points,
        score=format_score,
    )

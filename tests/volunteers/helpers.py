"""``make_volunteer`` under the name tests outside tests/volunteers still import.

It lives in tests/factories.py; import it from there.
"""

from __future__ import annotations

from tests.factories import make_volunteer

__all__ = ["make_volunteer"]

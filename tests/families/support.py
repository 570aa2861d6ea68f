"""The household factories and ``Login``, under the names tests outside tests/families still import.

They live in tests/factories.py and tests/support.py; import them from there.
"""

from __future__ import annotations

from tests.factories import adult, child, household_data, make_household
from tests.support import Login

__all__ = ["Login", "adult", "child", "household_data", "make_household"]

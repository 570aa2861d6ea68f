"""Settings other domains keep that the administrator's overview lists as a task while empty.

The municipality's contact details live here (``services.missing_settings``); the mayor's name
and title for the letters live with the letters. A domain above this one registers a check that
names its own empty settings, as (label, endpoint of the page that fills them in), for the
municipality's id; the overview's task lists them beside the contact details.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

MissingCheck = Callable[[int], list[tuple[str, str]]]
_KEY = "vh_missing_setting_checks"


def add_missing_setting_check(app: Flask, check: MissingCheck) -> None:
    app.extensions.setdefault(_KEY, []).append(check)


def missing_elsewhere(municipality_id: int) -> list[tuple[str, str]]:
    return [item for check in current_app.extensions.get(_KEY, []) for item in check(municipality_id)]

"""The URL converter for ids: a page id the database cannot hold is no page (404), never a 500.

Every ``<int:...>`` in a route is a row's id. Werkzeug's own ``int`` accepts any number of
digits, and an id at or past 2**31 makes PostgreSQL refuse the query ("integer out of
range"), a server error on each of the pages that take one. This converter replaces ``int``
for the whole app, so a route cannot forget it: ids run from 1 to the INTEGER column's top.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from volunteer_hub.db import MAX_INTEGER


class DatabaseIdConverter(IntegerConverter):
    """``int`` in a route: 1 to 2**31 - 1, ASCII digits only; anything else does not match."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


def register_id_converter(app: Any) -> None:
    """Before any route is added: every ``<int:...>`` becomes a database id."""
    app.url_map.converters["int"] = DatabaseIdConverter

"""Paginated lists: ``?page=&page_size=`` in, ``{"items", "total", "page", "page_size"}`` out.

The page metadata travels in the JSON body, described by the same schema as the items, so
clients and the fuzzer validate all of it (a JSON header cannot be described faithfully
in OpenAPI 3.0). Usage in a domain's api.py::

    class VolunteerQuery(PageArgsSchema):
        status = ma.fields.Enum(VolunteerStatus, by_value=True)

    @blp.route("")
    @roles_required(*STAFF)
    @blp.arguments(VolunteerQuery, location="query")
    @blp.response(200, page_schema(VolunteerSchema))
    def list_volunteers(args):
        return paginate(select(Volunteer).order_by(Volunteer.id), args)
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate
from sqlalchemy import Select, func, select

from volunteer_hub.extensions import db

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class PageArgsSchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = ma.fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


_PAGE_SCHEMAS: dict[type[ma.Schema], type[ma.Schema]] = {}


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The schema of one page of ``item_schema`` objects (named ``<Item>Page`` in the document)."""
    if item_schema not in _PAGE_SCHEMAS:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _PAGE_SCHEMAS[item_schema] = ma.Schema.from_dict(
            {
                "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
                "total": ma.fields.Integer(required=True, metadata={"description": "Items on all pages"}),
                "page": ma.fields.Integer(required=True),
                "page_size": ma.fields.Integer(required=True),
            },
            name=name,
        )
    return _PAGE_SCHEMAS[item_schema]


def paginate(statement: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    """Run ``statement`` for one page (``args`` from PageArgsSchema); counts all matching rows."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.execute(counted).scalar_one()
    page, size = args["page"], args["page_size"]
    offset = (page - 1) * size
    items = []
    if offset < total:  # past the end: nothing, and no pointless query with a huge OFFSET
        items = list(db.session.execute(statement.offset(offset).limit(size)).scalars())
    return {"items": items, "total": total, "page": page, "page_size": size}

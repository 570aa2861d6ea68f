"""Schema building blocks every domain's API uses: safe text, database ids, problem details."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from marshmallow import validate

# PostgreSQL integer columns: an id outside this range is refused as invalid input, not a 500.
MAX_ID = 2**31 - 1

# NUL cannot be stored in PostgreSQL text; other control characters (C0 and C1) and lone
# surrogates (from JSON escapes) have no place in names or notes and could split e-mail
# headers. The same rules are published as a JSON-Schema ``pattern`` so clients and the
# fuzzer know them; the check itself is two linear searches, not the backtracking pattern.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SURROGATES = r"\ud800-\udfff"  # refused, but not in the published pattern: not valid Unicode anyway
_BREAKS = r"\n\r\u2028\u2029"
_TAB = r"\t"


def _pattern(single_line: bool) -> str:
    allowed = f"[^{_CONTROL}{_BREAKS}{_TAB}]" if single_line else f"[^{_CONTROL}]"
    return f"^{allowed}*[^\\s{_CONTROL}]{allowed}*$"


class SafeText(ma.fields.String):
    """Text with at least one visible character and no control characters.

    ``single_line`` (the default) also refuses line breaks and tabs: use it for names and
    anything that may end up in an e-mail subject.
    """

    default_error_messages = {
        "control": "Must not contain control characters.",
        "line_break": "Must be on one line.",
        "blank": "Must not be blank.",
    }

    def __init__(self, *, single_line: bool = True, **kwargs: Any) -> None:
        metadata = {"pattern": _pattern(single_line), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)
        refused = f"{_CONTROL}{_SURROGATES}" + (f"{_BREAKS}{_TAB}" if single_line else "")
        self._refused = re.compile(f"[{refused}]")
        self.single_line = single_line

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        found = self._refused.search(text)
        if found:
            raise self.make_error("line_break" if found.group() in "\n\r\u2028\u2029\t" else "control")
        if not text.strip():
            raise self.make_error("blank")
        return text


def record_id(*, strict: bool = True, **kwargs: Any) -> ma.fields.Integer:
    """A database id: a positive integer PostgreSQL can hold (``strict=False`` for query strings)."""
    return ma.fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every API error is answered (documentation only)."""

    type = ma.fields.String(
        required=True,
        metadata={"description": "A URI naming the kind of problem; about:blank when the status says all"},
    )
    title = ma.fields.String(required=True, metadata={"description": "Short summary of the problem"})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation errors per field (only on 400 and 422)"},
    )


class OrganisationRefSchema(ma.Schema):
    """A reference to a partner organisation: its id and name."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)

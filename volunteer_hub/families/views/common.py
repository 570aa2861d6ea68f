"""Small helpers shared by the families views."""

from __future__ import annotations

from typing import Any

from flask import render_template

from volunteer_hub.core.transaction import keep_writes_on_error
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import STALE_MESSAGE
from volunteer_hub.families.services.households import CaseError


def attach_error(form: Any, error: CaseError) -> None:
    """Show a service's refusal beside the field it concerns (or above the form)."""
    db.session.rollback()
    field = getattr(form, error.field_name, None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def refuse_stale(form: Any) -> int:
    """A stale save: say so above the form; the caller answers 409 Conflict."""
    form.form_errors.append(str(STALE_MESSAGE))
    return 409


def render_audited(template: str, status: int = 200, **context: Any) -> Any:
    """Render a page whose read the view audited. The audit event is kept even when the page
    answers a refused form (400, 409): the refused change was rolled back before."""
    html = render_template(template, **context)
    keep_writes_on_error()
    return html, status

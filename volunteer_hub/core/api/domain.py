"""Small pieces the domain APIs share: references to records, and refusals as problem details."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask_login import current_user
from flask_smorest import abort

from volunteer_hub.extensions import db

__all__ = ["current_actor", "record_first", "refuse"]

F = TypeVar("F", bound=Callable[..., Any])


def current_actor() -> Any:
    """The token's owner as a plain User object (services keep it as the actor)."""
    return current_user._get_current_object()


def refuse(status: int, error: Exception) -> NoReturn:
    """Roll back and answer with a problem whose detail is the service's own message."""
    db.session.rollback()
    abort(status, message=str(error))


def record_first(fetch: Callable[..., Any]) -> Callable[[F], F]:
    """Run ``fetch(**view_args)`` (a fetch-and-authorise helper) before the body is validated.

    Place it below the route policy and above ``@blp.arguments``: a record the caller may not
    see is then a 404 whatever the body, and the body's errors (422) are only ever reported
    for records the caller may act on.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            fetch(**kwargs)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
